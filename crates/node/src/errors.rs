//! Core errors cross into JavaScript as `Error`s whose message is a JSON object
//! (`{"code": ..., "message": ..., ...details}`); the TypeScript layer turns it into a typed
//! error class.

use ferrotrade_core::CoreError;

pub fn to_napi(err: CoreError) -> napi::Error {
    let mut details = vec![
        ("code", json_str(err.code())),
        ("message", json_str(&err.to_string())),
    ];
    match &err {
        CoreError::Parse { file, line, column, column_name, .. } => {
            details.push(("file", json_str(file)));
            details.push(("line", line.to_string()));
            details.push(("column", column.to_string()));
            details.push(("columnName", json_str(column_name)));
        }
        CoreError::TimeBackwards { source_name, location, .. } => {
            details.push(("file", json_str(source_name)));
            details.push(("location", json_str(location)));
        }
        CoreError::Book { seq, kind } => {
            details.push(("seq", seq.to_string()));
            details.push(("kind", json_str(kind.name())));
        }
        _ => {}
    }
    let body: Vec<String> = details.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    napi::Error::new(napi::Status::GenericFailure, format!("{{{}}}", body.join(",")))
}

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An invalid argument detected in the binding itself (not by the core).
pub fn invalid(message: impl Into<String>) -> napi::Error {
    to_napi(CoreError::InvalidParam(message.into()))
}

/// A store error crosses the same way as a core error (`{"code", "message"}`).
pub fn store_to_napi(err: ferrotrade_store::StoreError) -> napi::Error {
    let body = format!("{{\"code\":{},\"message\":{}}}", json_str(err.code()), json_str(&err.to_string()));
    napi::Error::new(napi::Status::GenericFailure, body)
}
