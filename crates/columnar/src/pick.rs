//! Resolving the column mapping against a file's schema. Exact names win over names in another
//! case, so that `Close` and `close` in one file stay distinct when asked for by name.

use arrow_schema::Schema;
use ferrotrade_core::CoreError;

use crate::options::{is_optional, ColumnChoice, ColumnarOptions, DEFAULT_NAMES, FIELDS};

/// A mapped column: the bar field (index into [`FIELDS`]), the schema column it reads, and that
/// column's position in the schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Picked {
    pub field: usize,
    pub name: String,
    pub index: usize,
}

/// The columns to read, one per mapped field, in [`FIELDS`] order.
pub fn pick_columns(schema: &Schema, label: &str, options: &ColumnarOptions) -> Result<Vec<Picked>, CoreError> {
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let listing = if names.is_empty() { "(none)".to_string() } else { names.join(", ") };
    let mut picked = Vec::with_capacity(FIELDS.len());
    for (field, choice) in options.columns.iter().enumerate() {
        let fname = FIELDS[field];
        let wanted: Vec<&str> = match choice {
            ColumnChoice::Ignore if is_optional(field) => continue,
            ColumnChoice::Ignore => {
                return Err(CoreError::InvalidParam(format!("{fname} must be a column name or a 0-based column index")))
            }
            ColumnChoice::Index(i) => {
                if !(i.fract() == 0.0 && *i >= 0.0 && *i < names.len() as f64) {
                    let last = names.len() as i64 - 1;
                    return Err(CoreError::Data(format!(
                        "{label}: {fname} is mapped to column index {i} but the file has {} columns ({listing}); use an index from 0 to {last} or a name",
                        names.len()
                    )));
                }
                let i = *i as usize;
                picked.push(Picked { field, name: names[i].to_string(), index: i });
                continue;
            }
            ColumnChoice::Name(n) => vec![n.as_str()],
            ColumnChoice::Default => DEFAULT_NAMES[field].to_vec(),
        };
        let exact = match choice {
            ColumnChoice::Name(n) => names.iter().position(|c| c == n),
            _ => None,
        };
        let found = exact.or_else(|| wanted.iter().find_map(|w| names.iter().position(|c| c.to_lowercase() == w.to_lowercase())));
        if let Some(index) = found {
            picked.push(Picked { field, name: names[index].to_string(), index });
            continue;
        }
        match choice {
            ColumnChoice::Default if is_optional(field) => continue,
            ColumnChoice::Default => {
                let looked: Vec<String> = wanted.iter().map(|w| format!("'{w}'")).collect();
                return Err(CoreError::Data(format!(
                    "{label}: no {fname} column (looked for {}, in any case); columns are: {listing}. Name it with the option {fname}: '<column>'",
                    looked.join(", ")
                )));
            }
            _ => {
                return Err(CoreError::Data(format!(
                    "{label}: column '{}' (option {fname}) is not in the file; columns are: {listing}",
                    wanted[0]
                )))
            }
        }
    }
    Ok(picked)
}
