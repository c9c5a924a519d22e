//! The one error type of the core. Every variant carries what a user needs to fix the input:
//! the file, line and column for data, the parameter and its valid range for indicators.

use thiserror::Error;

/// A typed error. `code()` gives a stable machine-readable name that the TypeScript layer maps
/// onto its own error classes.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum CoreError {
    /// A CSV field could not be read. `line` is 1-based as an editor shows it, `column` is 1-based.
    #[error("{file}:{line}: column {column} ({column_name}): {message}")]
    Parse {
        file: String,
        line: u64,
        column: usize,
        column_name: String,
        message: String,
    },
    /// A row's timestamp is earlier than the row before it. `location` is "line N" for files
    /// (1-based, as an editor shows it) and "row N" for in-memory columns (0-based index).
    #[error("{source_name}, {location}: timestamp {found} goes backwards (previous row has {previous}); sort the data by time or fix the row")]
    TimeBackwards {
        source_name: String,
        location: String,
        found: String,
        previous: String,
    },
    /// The data as a whole is unusable (no header, missing columns, unreadable file).
    #[error("{0}")]
    Data(String),
    /// An invalid parameter: which one, what was given and what is allowed.
    #[error("{0}")]
    InvalidParam(String),
    /// An indicator name that the registry does not know.
    #[error("{0}")]
    UnknownIndicator(String),
    /// An order the broker cannot accept as given.
    #[error("{0}")]
    InvalidOrder(String),
    /// An order book delta or snapshot refused by the integrity checks, with the sequence
    /// number that carried it.
    #[error("order book, sequence {seq}: {kind}")]
    Book { seq: u64, kind: crate::book::BookErrorKind },
    /// A change the order dependency graph refused (its own `code()` is finer).
    #[error(transparent)]
    Dependency(#[from] crate::dag::DagError),
    /// Work stopped on request before it was done (a cancelled sweep).
    #[error("{0}")]
    Canceled(String),
}

impl CoreError {
    /// Stable name of the variant, used across the N-API boundary.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Parse { .. } => "DATA_PARSE",
            CoreError::TimeBackwards { .. } => "DATA_TIME_BACKWARDS",
            CoreError::Data(_) => "DATA",
            CoreError::InvalidParam(_) => "INVALID_PARAM",
            CoreError::UnknownIndicator(_) => "UNKNOWN_INDICATOR",
            CoreError::InvalidOrder(_) => "INVALID_ORDER",
            CoreError::Book { .. } => "BOOK_INTEGRITY",
            CoreError::Dependency(_) => "DEPENDENCY",
            CoreError::Canceled(_) => "CANCELED",
        }
    }
}

pub type CoreResult<T> = Result<T, CoreError>;
