//! Versioned migrations recorded in `schema_migrations(component, version, applied_at)`. Each
//! component (the journal, the store's tables) has its own list; a database that records a
//! version beyond the list was written by a newer build and is refused, never "repaired".

use rusqlite::{params, Connection};

use crate::error::{StoreError, StoreResult};

const CREATE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    applied_at INTEGER NOT NULL,
    PRIMARY KEY (component, version)
)";

/// The highest version of `component` recorded in the database (0 when none).
pub fn current_version(conn: &Connection, component: &str) -> StoreResult<i64> {
    conn.execute(CREATE, [])?;
    Ok(conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?1",
        params![component],
        |row| row.get(0),
    )?)
}

/// Applies the migrations of `component` the database lacks, each in its own transaction with
/// its record. `steps[i]` is version `i + 1`. Returns the version reached.
pub fn apply(conn: &mut Connection, path: &str, component: &str, steps: &[&str], now_ms: i64) -> StoreResult<i64> {
    let found = current_version(conn, component)?;
    let known = steps.len() as i64;
    if found > known {
        return Err(StoreError::SchemaTooNew { path: path.to_string(), component: component.to_string(), found, known });
    }
    for (i, step) in steps.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.execute(
            "INSERT INTO schema_migrations (component, version, applied_at) VALUES (?1, ?2, ?3)",
            params![component, (i + 1) as i64, now_ms],
        )?;
        tx.commit()?;
    }
    Ok(known)
}

/// Milliseconds since the epoch, UTC.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
