//! Bindings of the order journal (`ferrotrade_store::journal`): batches arrive as one JSON text,
//! reads leave as one JSON text; group commits run on a worker thread.

use std::sync::Arc;

use ferrotrade_store::journal::{Journal, JournalFilter, Ticket};
use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;

use crate::errors::store_to_napi;

/// Which entries `read` returns.
#[napi(object)]
pub struct NativeJournalFilter {
    pub after_seq: Option<i64>,
    pub client_order_id: Option<String>,
    pub session: Option<String>,
    pub kind: Option<String>,
}

/// An open order journal (one SQLite file).
#[napi]
pub struct NativeJournal {
    inner: Option<Arc<Journal>>,
}

/// A batch committed off the JavaScript thread.
pub struct JournalAppendTask {
    journal: Arc<Journal>,
    ticket: Option<Ticket>,
    batch: String,
}

impl Task for JournalAppendTask {
    type Output = Vec<i64>;
    type JsValue = Vec<i64>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let ticket = self.ticket.take().ok_or_else(|| napi::Error::from_reason("journal batch committed twice"))?;
        self.journal.append_batch_json_in_turn(ticket, &self.batch).map_err(store_to_napi)
    }

    fn resolve(&mut self, _env: Env, seqs: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(seqs)
    }
}

#[napi]
impl NativeJournal {
    /// Opens (creating if needed) the journal at `path` (`:memory:` allowed).
    #[napi(constructor)]
    pub fn new(path: String) -> napi::Result<NativeJournal> {
        Ok(NativeJournal { inner: Some(Arc::new(Journal::open(&path).map_err(store_to_napi)?)) })
    }

    fn journal(&self) -> napi::Result<&Arc<Journal>> {
        self.inner.as_ref().ok_or_else(|| {
            store_to_napi(ferrotrade_store::StoreError::InvalidParam("the journal is closed; open it again with openJournal(path)".into()))
        })
    }

    /// Appends a JSON array of entries in one transaction (after any batch already handed to a
    /// worker thread); returns their sequence numbers.
    #[napi]
    pub fn append_batch(&self, batch: String) -> napi::Result<Vec<i64>> {
        let journal = self.journal()?;
        journal.append_batch_json_in_turn(journal.ticket(), &batch).map_err(store_to_napi)
    }

    /// As `appendBatch`, committed on a worker thread; the Promise resolves once durable.
    #[napi(ts_return_type = "Promise<Array<number>>")]
    pub fn append_batch_async(&self, batch: String) -> napi::Result<AsyncTask<JournalAppendTask>> {
        let journal = Arc::clone(self.journal()?);
        let ticket = Some(journal.ticket());
        Ok(AsyncTask::new(JournalAppendTask { journal, ticket, batch }))
    }

    /// The matching entries as a JSON array, oldest first.
    #[napi]
    pub fn read(&self, filter: NativeJournalFilter) -> napi::Result<String> {
        let filter = JournalFilter {
            after_seq: filter.after_seq,
            client_order_id: filter.client_order_id,
            session: filter.session,
            kind: filter.kind,
        };
        self.journal()?.read_json(&filter).map_err(store_to_napi)
    }

    /// The newest sequence number assigned (0 when empty).
    #[napi]
    pub fn last_seq(&self) -> napi::Result<i64> {
        self.journal()?.last_seq().map_err(store_to_napi)
    }

    /// Closes the file once pending background commits are done with it.
    #[napi]
    pub fn close(&mut self) {
        self.inner = None;
    }
}
