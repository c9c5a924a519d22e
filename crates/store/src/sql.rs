//! Parameterised statements for the tables the TypeScript layer defines once for every SQL
//! backend: batches arrive as one JSON text (one N-API crossing) and run in one transaction;
//! query results leave as one JSON text. Values are bound as parameters, never spliced into SQL.

use rusqlite::{params_from_iter, types::Value as SqlValue, types::ValueRef, Connection};
use serde::Deserialize;
use serde_json::Value as Json;

use crate::error::{StoreError, StoreResult};

/// One statement and the rows of parameters to run it with.
#[derive(Debug, Deserialize)]
pub struct Statement {
    pub sql: String,
    pub rows: Vec<Vec<Json>>,
}

fn to_sql(value: &Json) -> SqlValue {
    match value {
        Json::Null => SqlValue::Null,
        Json::Bool(b) => SqlValue::Integer(*b as i64),
        Json::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

/// Runs every statement over its rows in one transaction (all or nothing); returns the rows
/// each statement changed.
pub fn run_batch_json(conn: &mut Connection, batch: &str) -> StoreResult<Vec<usize>> {
    let statements: Vec<Statement> =
        serde_json::from_str(batch).map_err(|e| StoreError::Data(format!("statement batch is not [{{sql, rows}}]: {e}")))?;
    let tx = conn.transaction()?;
    let mut changed = Vec::with_capacity(statements.len());
    for st in &statements {
        let mut stmt = tx.prepare_cached(&st.sql)?;
        let mut n = 0;
        for row in &st.rows {
            n += stmt.execute(params_from_iter(row.iter().map(to_sql)))?;
        }
        changed.push(n);
    }
    tx.commit()?;
    Ok(changed)
}

/// Runs a query with JSON parameters; returns `{"columns": [...], "rows": [[...], ...]}`.
pub fn query_json(conn: &Connection, sql: &str, params: &str) -> StoreResult<String> {
    let params: Vec<Json> =
        serde_json::from_str(params).map_err(|e| StoreError::Data(format!("query parameters are not a JSON array: {e}")))?;
    let mut stmt = conn.prepare_cached(sql)?;
    let columns: Vec<Json> = stmt.column_names().into_iter().map(|c| Json::String(c.to_string())).collect();
    let width = columns.len();
    let mut rows = stmt.query(params_from_iter(params.iter().map(to_sql)))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(width);
        for i in 0..width {
            values.push(match row.get_ref(i)? {
                ValueRef::Null => Json::Null,
                ValueRef::Integer(v) => Json::from(v),
                ValueRef::Real(v) => serde_json::Number::from_f64(v).map(Json::Number).unwrap_or(Json::Null),
                ValueRef::Text(t) => Json::String(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
            });
        }
        out.push(Json::Array(values));
    }
    Ok(serde_json::json!({ "columns": columns, "rows": out }).to_string())
}

/// Runs SQL text (several statements allowed) with no parameters: DDL and migrations.
pub fn exec(conn: &Connection, sql: &str) -> StoreResult<()> {
    Ok(conn.execute_batch(sql)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_all_or_nothing_and_values_are_parameters() {
        let mut conn = Connection::open_in_memory().unwrap();
        exec(&conn, "CREATE TABLE t (a TEXT PRIMARY KEY, b REAL)").unwrap();
        let evil = "'); DROP TABLE t; --";
        let ok = format!(r#"[{{"sql":"INSERT INTO t VALUES (?1, ?2)","rows":[[{},1.5],["x",2]]}}]"#, serde_json::to_string(evil).unwrap());
        assert_eq!(run_batch_json(&mut conn, &ok).unwrap(), vec![2]);
        let dup = r#"[{"sql":"INSERT INTO t VALUES (?1, ?2)","rows":[["y",1],["x",2]]}]"#;
        assert_eq!(run_batch_json(&mut conn, dup).unwrap_err().code(), "STORE_SQL");
        let got: Json = serde_json::from_str(&query_json(&conn, "SELECT a, b FROM t ORDER BY b", "[]").unwrap()).unwrap();
        assert_eq!(got["rows"], serde_json::json!([[evil, 1.5], ["x", 2.0]]));
    }
}
