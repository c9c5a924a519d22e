//! Reads of files written by arrow-rs's own writers, and seeded mutations of them: every
//! mutation is an error or bars that pass the checks, never a panic out of the reader.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray};
use arrow_ipc::writer::{FileWriter, StreamWriter};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use ferrotrade_columnar::{read_arrow_bytes, read_parquet_bytes, ColumnChoice, ColumnarOptions};
use ferrotrade_core::CoreError;
use parquet::arrow::ArrowWriter;

const N: usize = 64;

fn batch(zone: Option<&str>) -> RecordBatch {
    let t0 = 1_577_836_800_000i64;
    let close: Vec<f64> = (0..N).map(|i| 100.0 + (i as f64 / 5.0).sin()).collect();
    let cols: Vec<ArrayRef> = vec![
        Arc::new(TimestampMillisecondArray::from((0..N as i64).map(|i| t0 + i * 60_000).collect::<Vec<_>>()).with_timezone_opt(zone.map(Arc::<str>::from))),
        Arc::new(Float64Array::from(close.clone())),
        Arc::new(Float64Array::from(close.iter().map(|c| c + 1.0).collect::<Vec<_>>())),
        Arc::new(Float64Array::from(close.iter().map(|c| c - 1.0).collect::<Vec<_>>())),
        Arc::new(Float64Array::from(close)),
        Arc::new(Int64Array::from((0..N as i64).collect::<Vec<_>>())),
        Arc::new(StringArray::from((0..N).map(|i| format!("n{i}")).collect::<Vec<_>>())),
    ];
    let schema = Schema::new(vec![
        Field::new("Time", DataType::Timestamp(TimeUnit::Millisecond, zone.map(Into::into)), false),
        Field::new("open", DataType::Float64, false),
        Field::new("High", DataType::Float64, false),
        Field::new("low", DataType::Float64, false),
        Field::new("close", DataType::Float64, false),
        Field::new("volume", DataType::Int64, false),
        Field::new("note", DataType::Utf8, false),
    ]);
    RecordBatch::try_new(Arc::new(schema), cols).unwrap()
}

fn ipc_file(b: &RecordBatch) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = FileWriter::try_new(&mut out, &b.schema()).unwrap();
    w.write(b).unwrap();
    w.finish().unwrap();
    drop(w);
    out
}

fn ipc_stream(b: &RecordBatch) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = StreamWriter::try_new(&mut out, &b.schema()).unwrap();
    w.write(b).unwrap();
    w.finish().unwrap();
    drop(w);
    out
}

fn parquet(b: &RecordBatch) -> Vec<u8> {
    let mut out = Vec::new();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .set_max_row_group_row_count(Some(20))
        .build();
    let mut w = ArrowWriter::try_new(&mut out, b.schema(), Some(props)).unwrap();
    w.write(b).unwrap();
    w.close().unwrap();
    out
}

#[test]
fn reads_every_format_into_the_same_bars() {
    let b = batch(None);
    let opts = ColumnarOptions::default();
    let loads = [
        read_arrow_bytes("file", &ipc_file(&b), &opts).unwrap(),
        read_arrow_bytes("stream", &ipc_stream(&b), &opts).unwrap(),
        read_parquet_bytes("parquet", parquet(&b), &opts).unwrap(),
    ];
    for l in &loads {
        assert_eq!(l.bars.datetime.len(), N);
        assert_eq!(l.bars.datetime[1] - l.bars.datetime[0], 60_000.0);
        assert_eq!(l.bars.high[3], l.bars.close[3] + 1.0);
        assert_eq!(l.bars.volume[N - 1], (N - 1) as f64);
        assert!(l.bars.openinterest.iter().all(|&v| v == 0.0));
        assert_eq!(l.datetime_column, "Time");
        assert!(!l.zoned);
    }
    assert!(read_arrow_bytes("z", &ipc_file(&batch(Some("UTC"))), &opts).unwrap().zoned);
}

#[test]
fn a_text_column_mapped_as_a_price_is_named() {
    let mut opts = ColumnarOptions::default();
    opts.columns[4] = ColumnChoice::Name("note".into());
    let err = read_parquet_bytes("p", parquet(&batch(None)), &opts).unwrap_err().to_string();
    assert!(err.contains("column 'note' (close) is Utf8, not a number"), "{err}");
}

#[test]
fn a_footer_claiming_more_rows_than_the_file_holds_is_refused() {
    let err = read_parquet_bytes("p", b"PAR1\x00\x00\x00\x00PAR1".to_vec(), &ColumnarOptions::default()).unwrap_err();
    assert!(matches!(err, CoreError::Data(ref m) if m.starts_with("p: not a readable Parquet file")), "{err}");
}

/// xorshift64*: a fixed sequence, so every run tries the same mutations.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(base: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(b.len());
        match rng.below(5) {
            0 => b[at] ^= 1 << rng.below(8),
            1 => b.insert(at, rng.next() as u8),
            2 => {
                let end = (at + 1 + rng.below(16)).min(b.len());
                b.drain(at..end);
            }
            3 => b.truncate(at),
            _ => {
                let p = at & !3;
                let v = [0xffff_ffffu32, 0x7fff_ffff, 0x8000_0000][rng.below(3)].to_le_bytes();
                for (k, byte) in v.iter().enumerate() {
                    if p + k < b.len() {
                        b[p + k] = *byte;
                    }
                }
            }
        }
        if b.is_empty() {
            break;
        }
    }
    b
}

#[test]
fn mutations_are_errors_or_checked_bars() {
    let b = batch(None);
    let opts = ColumnarOptions::default();
    let bases: [(&str, Vec<u8>); 3] = [("file", ipc_file(&b)), ("stream", ipc_stream(&b)), ("parquet", parquet(&b))];
    for (seed, (kind, base)) in bases.iter().enumerate() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed as u64);
        let (mut ok, mut refused) = (0, 0);
        for _ in 0..1000 {
            let bytes = mutate(base, &mut rng);
            let read = if *kind == "parquet" { read_parquet_bytes(kind, bytes, &opts) } else { read_arrow_bytes(kind, &bytes, &opts) };
            match read {
                Ok(l) => {
                    l.bars.validate(kind).unwrap();
                    ok += 1;
                }
                Err(e) => {
                    assert!(e.code().starts_with("DATA"), "{kind}: {e}");
                    refused += 1;
                }
            }
        }
        assert!(ok > 0 && refused > 0, "{kind}: {ok} read, {refused} refused");
    }
}

#[test]
fn reads_lz4_and_zstd_compressed_ipc_and_every_parquet_codec() {
    use arrow_ipc::writer::IpcWriteOptions;
    use arrow_ipc::CompressionType;
    use parquet::basic::{Compression, GzipLevel, ZstdLevel};
    let b = batch(None);
    let opts = ColumnarOptions::default();
    // Feather v2 as pyarrow writes it by default: lz4-compressed bodies.
    for codec in [CompressionType::LZ4_FRAME, CompressionType::ZSTD] {
        let mut out = Vec::new();
        let wopts = IpcWriteOptions::default().try_with_compression(Some(codec)).unwrap();
        let mut w = FileWriter::try_new_with_options(&mut out, &b.schema(), wopts).unwrap();
        w.write(&b).unwrap();
        w.finish().unwrap();
        drop(w);
        assert_eq!(read_arrow_bytes("c", &out, &opts).unwrap().bars.close.len(), N, "{codec:?}");
    }
    for codec in [Compression::LZ4_RAW, Compression::ZSTD(ZstdLevel::default()), Compression::GZIP(GzipLevel::default()), Compression::UNCOMPRESSED] {
        let mut out = Vec::new();
        let props = parquet::file::properties::WriterProperties::builder().set_compression(codec).build();
        let mut w = ArrowWriter::try_new(&mut out, b.schema(), Some(props)).unwrap();
        w.write(&b).unwrap();
        w.close().unwrap();
        assert_eq!(read_parquet_bytes("p", out, &opts).unwrap().bars.close.len(), N, "{codec:?}");
    }
}
