//! The order journal: an append-only table of order intents and events, written before an
//! order leaves the process and read back on start to reconcile with the venue.
//!
//! Every commit is fsynced (`synchronous=FULL` in WAL), so an entry whose append returned
//! survives `kill -9`. Appends arrive as one JSON array per batch (one N-API crossing, one
//! transaction, one fsync); `seq` is an `AUTOINCREMENT` key, strictly increasing from 1 and never
//! reused, even after the newest entries are deleted.

use std::sync::{Condvar, Mutex};

use rusqlite::{params_from_iter, types::Value, Connection};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::connection::{open, Durability};
use crate::error::{StoreError, StoreResult};
use crate::migrations;

/// Journal migrations, version `i + 1` at index `i`. Append only.
const MIGRATIONS: &[&str] = &["CREATE TABLE order_journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        time INTEGER NOT NULL,
        kind TEXT NOT NULL,
        session TEXT,
        ref INTEGER,
        client_order_id TEXT,
        payload TEXT NOT NULL
    );
    CREATE INDEX order_journal_client_order_id ON order_journal (client_order_id) WHERE client_order_id IS NOT NULL;
    CREATE INDEX order_journal_session ON order_journal (session, seq) WHERE session IS NOT NULL;"];

/// One entry as the caller gives it (`seq` is assigned by the journal). `payload` is kept as
/// the exact JSON text it arrived as.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JournalInput<'a> {
    pub time: i64,
    pub kind: String,
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default, rename = "ref")]
    pub order_ref: Option<i64>,
    #[serde(default)]
    pub client_order_id: Option<String>,
    #[serde(borrow)]
    pub payload: &'a RawValue,
}

/// Which entries to read; every field narrows the selection.
#[derive(Debug, Default, Clone)]
pub struct JournalFilter {
    pub after_seq: Option<i64>,
    pub client_order_id: Option<String>,
    pub session: Option<String>,
    pub kind: Option<String>,
}

/// An open journal. The connection sits behind a mutex so that group commits can run on a
/// worker thread while the JavaScript thread keeps appending to the next batch. Appends take a
/// ticket when they are made and commit in ticket order, so sequence numbers follow the order of
/// the calls even when a batch handed to a worker thread has not reached the connection yet.
pub struct Journal {
    conn: Mutex<Connection>,
    /// (next ticket to hand out, ticket whose turn it is)
    turns: Mutex<(u64, u64)>,
    turn_changed: Condvar,
}

/// A place in the commit order, taken when an append is made.
#[derive(Debug)]
pub struct Ticket(u64);

/// Passes the turn on when the holder is done, also on error or panic.
struct Turn<'a>(&'a Journal);

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut turns = self.0.turns.lock().unwrap_or_else(|e| e.into_inner());
        turns.1 += 1;
        self.0.turn_changed.notify_all();
    }
}

impl Journal {
    /// Opens (creating if needed) the journal in the SQLite file at `path`.
    pub fn open(path: &str) -> StoreResult<Journal> {
        let mut conn = open(path, Durability::Full)?;
        migrations::apply(&mut conn, path, "journal", MIGRATIONS, migrations::now_ms())
            .map_err(|e| reopen_error(path, e))?;
        Ok(Journal { conn: Mutex::new(conn), turns: Mutex::new((0, 0)), turn_changed: Condvar::new() })
    }

    /// Takes the next place in the commit order (call it where the append is made).
    pub fn ticket(&self) -> Ticket {
        let mut turns = self.turns.lock().unwrap_or_else(|e| e.into_inner());
        let t = turns.0;
        turns.0 += 1;
        Ticket(t)
    }

    /// Waits until every append ticketed before `ticket` has committed.
    fn wait_turn(&self, ticket: Ticket) -> Turn<'_> {
        let mut turns = self.turns.lock().unwrap_or_else(|e| e.into_inner());
        while turns.1 != ticket.0 {
            turns = self.turn_changed.wait(turns).unwrap_or_else(|e| e.into_inner());
        }
        Turn(self)
    }

    /// Appends a JSON batch in its turn: after every batch ticketed before it.
    pub fn append_batch_json_in_turn(&self, ticket: Ticket, batch: &str) -> StoreResult<Vec<i64>> {
        let _turn = self.wait_turn(ticket);
        self.append_batch_json(batch)
    }

    fn lock(&self) -> StoreResult<std::sync::MutexGuard<'_, Connection>> {
        self.conn.lock().map_err(|_| StoreError::Sql("journal connection poisoned by an earlier panic".into()))
    }

    /// Appends a JSON array of entries in one transaction (all or nothing) and returns their
    /// sequence numbers, in order.
    pub fn append_batch_json(&self, batch: &str) -> StoreResult<Vec<i64>> {
        let entries: Vec<JournalInput> = serde_json::from_str(batch)
            .map_err(|e| StoreError::Data(format!("journal batch is not a list of entries: {e}")))?;
        self.append(&entries)
    }

    /// Appends `entries` in one transaction (all or nothing) and returns their sequence numbers.
    pub fn append(&self, entries: &[JournalInput]) -> StoreResult<Vec<i64>> {
        for (i, e) in entries.iter().enumerate() {
            if e.kind.is_empty() {
                return Err(StoreError::InvalidParam(format!("journal entry {i}: kind is empty; give the kind of event ('intent', 'sent', ...)")));
            }
            if e.time < 0 {
                return Err(StoreError::InvalidParam(format!("journal entry {i}: time {} is before 1970; give UTC milliseconds", e.time)));
            }
        }
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        let mut seqs = Vec::with_capacity(entries.len());
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO order_journal (time, kind, session, ref, client_order_id, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for e in entries {
                stmt.execute(rusqlite::params![e.time, e.kind, e.session, e.order_ref, e.client_order_id, e.payload.get()])?;
                seqs.push(tx.last_insert_rowid());
            }
        }
        tx.commit()?;
        Ok(seqs)
    }

    /// The entries matching `filter`, oldest first, as one JSON array (payloads embedded as
    /// the JSON they were written as), so the caller parses everything in one go.
    pub fn read_json(&self, filter: &JournalFilter) -> StoreResult<String> {
        let mut sql = String::from("SELECT seq, time, kind, session, ref, client_order_id, payload FROM order_journal WHERE seq > ?1");
        let mut args: Vec<Value> = vec![Value::Integer(filter.after_seq.unwrap_or(0))];
        for (column, value) in [("client_order_id", &filter.client_order_id), ("session", &filter.session), ("kind", &filter.kind)] {
            if let Some(v) = value {
                args.push(Value::Text(v.clone()));
                sql.push_str(&format!(" AND {column} = ?{}", args.len()));
            }
        }
        sql.push_str(" ORDER BY seq");
        let conn = self.lock()?;
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(args))?;
        let mut out = String::from("[");
        while let Some(row) = rows.next()? {
            if out.len() > 1 {
                out.push(',');
            }
            let seq: i64 = row.get(0)?;
            let time: i64 = row.get(1)?;
            let kind: String = row.get(2)?;
            out.push_str(&format!("{{\"seq\":{seq},\"time\":{time},\"kind\":{}", json_string(&kind)));
            if let Some(session) = row.get::<_, Option<String>>(3)? {
                out.push_str(&format!(",\"session\":{}", json_string(&session)));
            }
            if let Some(order_ref) = row.get::<_, Option<i64>>(4)? {
                out.push_str(&format!(",\"ref\":{order_ref}"));
            }
            if let Some(id) = row.get::<_, Option<String>>(5)? {
                out.push_str(&format!(",\"clientOrderId\":{}", json_string(&id)));
            }
            let payload: String = row.get(6)?;
            out.push_str(",\"payload\":");
            out.push_str(&payload);
            out.push('}');
        }
        out.push(']');
        Ok(out)
    }

    /// The newest sequence number ever assigned (0 for an empty journal).
    pub fn last_seq(&self) -> StoreResult<i64> {
        let conn = self.lock()?;
        Ok(conn.query_row(
            "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'order_journal'), 0)",
            [],
            |row| row.get(0),
        )?)
    }
}

/// A file that opened but whose journal could not be set up is an open error naming the file.
fn reopen_error(path: &str, err: StoreError) -> StoreError {
    match err {
        StoreError::Sql(reason) => StoreError::Open { path: path.to_string(), reason },
        other => other,
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_and_reads_back_with_increasing_seq() {
        let j = Journal::open(":memory:").unwrap();
        let seqs = j
            .append_batch_json(r#"[{"time":1,"kind":"intent","clientOrderId":"a","payload":{"x":1}},{"time":2,"kind":"sent","ref":7,"payload":[1,"two"]}]"#)
            .unwrap();
        assert_eq!(seqs, vec![1, 2]);
        assert_eq!(j.last_seq().unwrap(), 2);
        let all: serde_json::Value = serde_json::from_str(&j.read_json(&JournalFilter::default()).unwrap()).unwrap();
        assert_eq!(all[0]["payload"]["x"], 1);
        assert_eq!(all[1]["ref"], 7);
        let only_a = j.read_json(&JournalFilter { client_order_id: Some("a".into()), ..Default::default() }).unwrap();
        assert_eq!(serde_json::from_str::<serde_json::Value>(&only_a).unwrap().as_array().unwrap().len(), 1);
    }

    #[test]
    fn batches_commit_in_ticket_order_across_threads() {
        let j = std::sync::Arc::new(Journal::open(":memory:").unwrap());
        let first = j.ticket();
        let second = j.ticket();
        let worker = {
            let j = std::sync::Arc::clone(&j);
            std::thread::spawn(move || {
                // Hold the first ticket back: the second batch must wait for it.
                std::thread::sleep(std::time::Duration::from_millis(50));
                j.append_batch_json_in_turn(first, r#"[{"time":1,"kind":"first","payload":1}]"#).unwrap()
            })
        };
        let later = j.append_batch_json_in_turn(second, r#"[{"time":2,"kind":"second","payload":2}]"#).unwrap();
        assert_eq!(worker.join().unwrap(), vec![1]);
        assert_eq!(later, vec![2]);
    }

    #[test]
    fn a_failed_batch_passes_its_turn_on() {
        let j = Journal::open(":memory:").unwrap();
        let t = j.ticket();
        assert!(j.append_batch_json_in_turn(t, "not json").is_err());
        assert_eq!(j.append_batch_json_in_turn(j.ticket(), r#"[{"time":1,"kind":"k","payload":null}]"#).unwrap(), vec![1]);
    }

    #[test]
    fn a_bad_entry_writes_nothing_of_its_batch() {
        let j = Journal::open(":memory:").unwrap();
        let err = j.append_batch_json(r#"[{"time":1,"kind":"intent","payload":1},{"time":2,"kind":"","payload":2}]"#).unwrap_err();
        assert_eq!(err.code(), "INVALID_PARAM");
        assert_eq!(j.last_seq().unwrap(), 0);
        assert_eq!(j.read_json(&JournalFilter::default()).unwrap(), "[]");
    }

    #[test]
    fn a_missing_directory_is_an_open_error_naming_the_path() {
        let err = Journal::open("/no/such/dir/journal.db").err().unwrap();
        assert_eq!(err.code(), "STORE_OPEN");
        assert!(err.to_string().contains("/no/such/dir/journal.db"));
    }
}
