//! The store's one error type. `code()` gives the stable name the TypeScript layer maps onto
//! its typed errors (`StoreError`, `DataError`, `TimeBackwardsError`).

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum StoreError {
    /// The database file could not be opened or set up (missing directory, not a database,
    /// no permission).
    #[error("cannot open SQLite database '{path}': {reason}")]
    Open { path: String, reason: String },
    /// The database was written by a newer ferrotrade (a migration this build does not know).
    #[error("SQLite database '{path}' has {component} schema version {found}, newer than this build knows ({known}); upgrade ferrotrade to open it")]
    SchemaTooNew { path: String, component: String, found: i64, known: i64 },
    /// A statement failed (constraint, I/O, locked database ...).
    #[error("SQLite: {0}")]
    Sql(String),
    /// A row that cannot be stored as given (NaN price, high below low, bad JSON ...).
    #[error("{0}")]
    Data(String),
    /// A bar whose time is not after the bar before it in the same batch.
    #[error("{source_name}, row {row}: timestamp {found} goes backwards (previous row has {previous}); sort the data by time or fix the row")]
    TimeBackwards { source_name: String, row: usize, found: i64, previous: i64 },
    /// An argument out of range.
    #[error("{0}")]
    InvalidParam(String),
}

impl StoreError {
    /// Stable name of the variant, used across the N-API boundary.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Open { .. } => "STORE_OPEN",
            StoreError::SchemaTooNew { .. } => "STORE_SCHEMA_NEWER",
            StoreError::Sql(_) => "STORE_SQL",
            StoreError::Data(_) => "DATA",
            StoreError::TimeBackwards { .. } => "DATA_TIME_BACKWARDS",
            StoreError::InvalidParam(_) => "INVALID_PARAM",
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        StoreError::Sql(err.to_string())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

impl From<rusqlite::types::FromSqlError> for StoreError {
    fn from(err: rusqlite::types::FromSqlError) -> Self {
        StoreError::Sql(format!("unexpected value in the database: {err}"))
    }
}
