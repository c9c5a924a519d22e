//! Times the backtrader CSV reader on a file: `cargo run --release --example parse_csv -- FILE`.
use std::time::Instant;

use ferrotrade_core::series::csv::{read_csv_file, CsvLayout, CsvOptions};

fn main() {
    let path = std::env::args().nth(1).expect("usage: parse_csv FILE");
    let opts = CsvOptions::new(CsvLayout::Backtrader);
    for _ in 0..5 {
        let t = Instant::now();
        let load = read_csv_file(std::path::Path::new(&path), &opts).expect("readable CSV");
        println!("{} rows in {:.1} ms", load.bars.len(), t.elapsed().as_secs_f64() * 1e3);
    }
}
