//! Reading a data file into memory with a bound: a path can name something that never ends
//! (`/dev/zero`, a FIFO nobody closes) or a file larger than the memory the process has, and
//! reading it whole would grow until the process is killed. Regular files are checked against
//! the bound by their size before a byte is read; anything else is read up to the bound and
//! refused past it. Buffers grow with `try_reserve`, so an allocation the system refuses is an
//! error, not an abort.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{CoreError, CoreResult};

/// Default bound on a regular file: 4 GiB (checked by its size, before reading).
pub const DEFAULT_MAX_BYTES: u64 = 4 << 30;
/// Default bound on what is read from a device, FIFO or socket: 256 MiB. Its size is known only
/// once it ends, so the bound is paid in memory; a path to one is more often a mistake
/// (`/dev/zero`, `/dev/stdin` left open) than a data source.
pub const DEFAULT_MAX_STREAM_BYTES: u64 = 256 << 20;

/// Reads the file at `path` whole, refusing one of more than `max_bytes` (when `None`, the
/// defaults above).
pub fn read_bounded(path: &Path, max_bytes: Option<u64>) -> CoreResult<Vec<u8>> {
    let name = path.display().to_string();
    let fail = |what: String| CoreError::Data(format!("{name}: {what}"));
    let mut file = File::open(path).map_err(|e| fail(format!("cannot read the file: {e}; check the path")))?;
    let meta = file.metadata().map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if meta.is_dir() {
        return Err(fail("is a directory; give the path of a data file".into()));
    }
    let too_big = |size: String, max_bytes: u64| {
        fail(format!(
            "{size} is more than maxBytes ({max_bytes} bytes); raise the feed option maxBytes if the file is meant to be this large"
        ))
    };
    if meta.is_file() {
        let max_bytes = max_bytes.unwrap_or(DEFAULT_MAX_BYTES);
        if meta.len() > max_bytes {
            return Err(too_big(format!("the file's {} bytes", meta.len()), max_bytes));
        }
        let mut bytes = Vec::new();
        bytes.try_reserve_exact(meta.len() as usize).map_err(|_| out_of_memory(&name, meta.len()))?;
        file.read_to_end(&mut bytes).map_err(|e| fail(format!("cannot read the file: {e}")))?;
        if bytes.len() as u64 > max_bytes {
            return Err(too_big(format!("the file's {} bytes", bytes.len()), max_bytes));
        }
        return Ok(bytes);
    }
    // A device, FIFO or socket: its size is unknown until it ends, if it ever does.
    let max_bytes = max_bytes.unwrap_or(DEFAULT_MAX_STREAM_BYTES);
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(fail(format!("cannot read the file: {e}"))),
        };
        if (bytes.len() + n) as u64 > max_bytes {
            return Err(too_big(format!("it is not a regular file and gave more than {max_bytes} bytes, which"), max_bytes));
        }
        bytes.try_reserve(n).map_err(|_| out_of_memory(&name, (bytes.len() + n) as u64))?;
        bytes.extend_from_slice(&chunk[..n]);
    }
}

/// A data file opened for reading in pieces, with the same bound as [`read_bounded`]: a regular
/// file is checked by its size before a byte is read, anything else is refused once it gives
/// more than the bound. Readers that parse as they go (the CSV reader) use this instead of
/// holding the whole file next to what they build from it.
pub struct BoundedFile {
    file: File,
    name: String,
    /// The file's size when it is a regular file.
    size: Option<u64>,
    max_bytes: u64,
    read: u64,
}

impl BoundedFile {
    /// Opens `path`, refusing a directory and a regular file of more than `max_bytes` (when
    /// `None`, the defaults above).
    pub fn open(path: &Path, max_bytes: Option<u64>) -> CoreResult<BoundedFile> {
        let name = path.display().to_string();
        let fail = |what: String| CoreError::Data(format!("{name}: {what}"));
        let file = File::open(path).map_err(|e| fail(format!("cannot read the file: {e}; check the path")))?;
        let meta = file.metadata().map_err(|e| fail(format!("cannot read the file: {e}")))?;
        if meta.is_dir() {
            return Err(fail("is a directory; give the path of a data file".into()));
        }
        let regular = meta.is_file();
        let max_bytes = max_bytes.unwrap_or(if regular { DEFAULT_MAX_BYTES } else { DEFAULT_MAX_STREAM_BYTES });
        if regular && meta.len() > max_bytes {
            return Err(fail(too_big(&format!("the file's {} bytes", meta.len()), max_bytes)));
        }
        Ok(BoundedFile { file, name, size: regular.then_some(meta.len()), max_bytes, read: 0 })
    }

    /// The file's size, for a regular file.
    pub fn size(&self) -> Option<u64> {
        self.size
    }

    /// Counts the bytes equal to `byte` in the whole file and goes back to its start, for a
    /// regular file (`None` for anything else, which cannot be read twice). The CSV reader
    /// counts line ends this way to size its columns once: the second read comes from the
    /// page cache and costs a few milliseconds per hundred megabytes.
    pub fn count_and_rewind(&mut self, byte: u8) -> CoreResult<Option<u64>> {
        use std::io::{Seek, SeekFrom};
        if self.size.is_none() {
            return Ok(None);
        }
        let mut chunk = vec![0u8; 1 << 20];
        let mut count = 0u64;
        loop {
            let n = match self.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(CoreError::Data(format!("{}: {e}", self.name))),
            };
            count += chunk[..n].iter().filter(|&&b| b == byte).count() as u64;
        }
        self.file
            .seek(SeekFrom::Start(0))
            .map_err(|e| CoreError::Data(format!("{}: cannot read the file: {e}", self.name)))?;
        self.read = 0;
        Ok(Some(count))
    }
}

impl Read for BoundedFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        self.read += n as u64;
        if self.read > self.max_bytes {
            let size = match self.size {
                Some(_) => format!("the file's {} bytes (it grew while read)", self.read),
                None => format!("it is not a regular file and gave more than {} bytes, which", self.max_bytes),
            };
            return Err(std::io::Error::other(too_big(&size, self.max_bytes)));
        }
        Ok(n)
    }
}

fn too_big(size: &str, max_bytes: u64) -> String {
    format!("{size} is more than maxBytes ({max_bytes} bytes); raise the feed option maxBytes if the file is meant to be this large")
}

fn out_of_memory(name: &str, bytes: u64) -> CoreError {
    CoreError::Data(format!(
        "{name}: cannot allocate {bytes} bytes to read the file; free memory or read a smaller file (feed option maxBytes bounds what is read)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_device_is_refused_at_the_bound() {
        let err = read_bounded(Path::new("/dev/zero"), Some(1 << 20)).unwrap_err().to_string();
        assert!(err.contains("not a regular file") && err.contains("maxBytes"), "{err}");
        assert!(read_bounded(Path::new("/dev/zero"), None).unwrap_err().to_string().contains(&DEFAULT_MAX_STREAM_BYTES.to_string()));
    }

    #[test]
    fn a_bounded_file_reads_in_pieces_and_counts_lines() {
        let dir = std::env::temp_dir().join(format!("ferrotrade-source-pieces-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("rows.csv");
        std::fs::write(&p, b"a\nb\nc").unwrap();
        let mut f = BoundedFile::open(&p, None).unwrap();
        assert_eq!(f.size(), Some(5));
        assert_eq!(f.count_and_rewind(b'\n').unwrap(), Some(2));
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        assert_eq!(text, "a\nb\nc");
        assert!(BoundedFile::open(&p, Some(4)).err().unwrap().to_string().contains("5 bytes"));
        let mut zero = BoundedFile::open(Path::new("/dev/zero"), Some(1 << 16)).unwrap();
        assert_eq!(zero.count_and_rewind(b'\n').unwrap(), None);
        let err = std::io::copy(&mut zero, &mut std::io::sink()).unwrap_err().to_string();
        assert!(err.contains("not a regular file") && err.contains("maxBytes"), "{err}");
    }

    #[test]
    fn a_regular_file_past_the_bound_is_refused_before_reading() {
        let dir = std::env::temp_dir().join(format!("ferrotrade-source-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("big.csv");
        std::fs::write(&p, vec![b'x'; 1000]).unwrap();
        assert!(read_bounded(&p, Some(999)).unwrap_err().to_string().contains("1000 bytes"));
        assert_eq!(read_bounded(&p, Some(1000)).unwrap().len(), 1000);
        assert!(read_bounded(&dir, None).unwrap_err().to_string().contains("directory"));
    }
}
