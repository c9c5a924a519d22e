//! Opening a SQLite file the way the store needs it: WAL, a busy timeout so that a second
//! process waits instead of failing, and the durability the caller asks for.

use rusqlite::Connection;

use crate::error::{StoreError, StoreResult};

/// How hard a commit waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=NORMAL` in WAL: a commit can be lost on power failure, never corrupted.
    /// Right for bars and run records, which can be written again.
    Normal,
    /// `synchronous=FULL`: the WAL is fsynced on every commit, so a committed row survives
    /// `kill -9` and power loss. The order journal uses this.
    Full,
}

/// Opens (creating if needed) the database at `path` (`:memory:` for an in-memory one).
pub fn open(path: &str, durability: Durability) -> StoreResult<Connection> {
    let fail = |reason: String| StoreError::Open { path: path.to_string(), reason };
    let conn = Connection::open(path).map_err(|e| fail(e.to_string()))?;
    let sync = match durability {
        Durability::Normal => "NORMAL",
        Durability::Full => "FULL",
    };
    // Reading the journal mode also proves the file is a database: a text file fails here with
    // "file is not a database", which is what the user needs to hear.
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
        .map_err(|e| fail(e.to_string()))?;
    if path != ":memory:" && !mode.eq_ignore_ascii_case("wal") {
        return Err(fail(format!("WAL mode is not available (journal_mode is {mode})")));
    }
    conn.execute_batch(&format!("PRAGMA synchronous={sync}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"))
        .map_err(|e| fail(e.to_string()))?;
    Ok(conn)
}
