//! The one pager: the pages of any list operation, fetched lazily by cursor. Bindings walk it
//! as JSON ([`ListPages`]); the typed services wrap it ([`ListAuto`]). Neither reverses nor
//! re-sends pages itself.

use super::{Client, RequestOptions};
use crate::api::{Operation, Returns};
use crate::backend::Response;
use crate::error::Error;
use crate::model::{List, VerificationSession};
use crate::params::from_json;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::marker::PhantomData;

/// Lazy pages of a list, as JSON. Forwards by `starting_after`; with `ending_before` (and no
/// `starting_after`) backwards, each page's `data` reversed to oldest first, as the SDKs do.
#[derive(Debug)]
pub struct ListPages {
    client: Client,
    op: Operation,
    params: Map<String, Value>,
    opts: RequestOptions,
    backward: bool,
    done: bool,
    /// A page the caller already had, yielded first ([`ListPages::start_from`]).
    in_hand: Option<Value>,
}

/// What [`ListPages::next_answer`] gives: the page in hand, or the answer of a page's request.
#[derive(Debug)]
pub enum NextPage {
    /// The page given to [`ListPages::start_from`], in walk order.
    InHand(Value),
    /// A successful answer, its body undecoded.
    Answer(Response),
}

/// What the walk needs from a page to go past it, in the API's order of its `data`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageCursor {
    pub has_more: bool,
    /// The `id` of `data`'s first object.
    pub first_id: Option<String>,
    /// The `id` of `data`'s last object.
    pub last_id: Option<String>,
}

impl PageCursor {
    fn of(page: &Value) -> PageCursor {
        let data = page.get("data").and_then(Value::as_array);
        let id = |s: Option<&Value>| s.and_then(|s| s.get("id")).and_then(Value::as_str).map(String::from);
        PageCursor {
            has_more: page.get("has_more").and_then(Value::as_bool).unwrap_or(false),
            first_id: id(data.and_then(|d| d.first())),
            last_id: id(data.and_then(|d| d.last())),
        }
    }
}

/// The cursors of a list, read before anything is fetched.
#[derive(serde::Deserialize)]
struct Cursors {
    starting_after: Option<Value>,
    ending_before: Option<Value>,
}

impl ListPages {
    /// Pages of `op` (a list operation) with JSON parameters (`null` counts as none), checked
    /// here so a bad parameter fails at the call, not at the first page.
    pub fn new(
        client: Client,
        op: Operation,
        params: Value,
        opts: RequestOptions,
    ) -> Result<ListPages, Error> {
        if !matches!(
            op.desc().returns,
            Returns::SessionList | Returns::ReportList | Returns::EventList | Returns::WebhookEndpointList
        ) {
            let message = format!("{} is not a list operation", op.as_str());
            return Err(Error::invalid_argument(None, message));
        }
        op.encode(params.clone())?;
        let params = match params {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        let cursors: Cursors = from_json(Value::Object(params.clone()))?;
        let backward = cursors.ending_before.is_some_and(|v| !v.is_null())
            && cursors.starting_after.is_none_or(|v| v.is_null());
        Ok(ListPages { client, op, params, opts, backward, done: false, in_hand: None })
    }

    /// Whether the pages go backwards (`ending_before` without `starting_after`), each page's
    /// `data` reversed to oldest first.
    pub fn backward(&self) -> bool {
        self.backward
    }

    /// Starts the walk from `page`, a page the caller already has (as the API sent it),
    /// fetched with the same parameters: the walk yields `page` first, in walk order (reversed
    /// when backwards, like every page), then the pages that follow it, asking for none when it
    /// says `has_more: false`. This is how an SDK's auto-pagination starts from the page in
    /// hand without fetching it again.
    pub fn start_from(&mut self, page: Value) {
        self.step_over(&page);
        self.in_hand = Some(page);
    }

    /// A page as the walk hands it out: backwards, `data` oldest first.
    fn in_walk_order(&self, mut page: Value) -> Value {
        if self.backward {
            if let Some(Value::Array(data)) = page.get_mut("data") {
                data.reverse();
            }
        }
        page
    }

    /// Sets the cursor past `page` (in the API's order), or ends the walk after it.
    fn step_over(&mut self, page: &Value) {
        self.step(Some(PageCursor::of(page)));
    }

    /// For a binding that decodes pages into its own objects: the page in hand (in walk
    /// order), else the undecoded answer of the next page's request, else `None` once the walk
    /// is over. The binding decodes the answer (with [`super::decode_answer`]), reverses its
    /// `data` when [`backward`](Self::backward), and reports what the page says with
    /// [`step`](Self::step) before asking for the next one. An error ends the walk.
    pub fn next_answer(&mut self) -> Option<Result<NextPage, Error>> {
        if let Some(page) = self.in_hand.take() {
            return Some(Ok(NextPage::InHand(self.in_walk_order(page))));
        }
        if self.done {
            return None;
        }
        let answer = self
            .op
            .prepare(None, Value::Object(self.params.clone()))
            .and_then(|(method, path, form)| self.client.send(method, &path, form, &self.opts));
        if answer.is_err() {
            self.done = true;
        }
        Some(answer.map(NextPage::Answer))
    }

    /// Sets the cursor past a page of [`next_answer`](Self::next_answer), from what the page
    /// says; `None` (a page that could not be decoded) ends the walk.
    pub fn step(&mut self, cursor: Option<PageCursor>) {
        let Some(cursor) = cursor else {
            self.done = true;
            return;
        };
        // Forwards the cursor is the page's last (oldest) object; backwards its first (newest).
        let edge = if self.backward { cursor.first_id } else { cursor.last_id };
        match edge {
            Some(id) if cursor.has_more => {
                let key = if self.backward { "ending_before" } else { "starting_after" };
                self.params.insert(key.into(), Value::String(id));
            }
            _ => self.done = true,
        }
    }
}

impl Iterator for ListPages {
    type Item = Result<Value, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(page) = self.in_hand.take() {
            return Some(Ok(self.in_walk_order(page)));
        }
        if self.done {
            return None;
        }
        let page = self.client.call_json(self.op, None, Value::Object(self.params.clone()), &self.opts);
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        self.step_over(&page);
        Some(Ok(self.in_walk_order(page)))
    }
}

/// Every object of a list, typed, fetched a page at a time as the iterator advances (one page
/// held at a time). An error ends the iteration after it is reported once.
#[derive(Debug)]
pub struct ListAuto<T = VerificationSession> {
    pages: Result<ListPages, Option<Error>>,
    page: VecDeque<T>,
    _of: PhantomData<T>,
}

impl<T: DeserializeOwned> ListAuto<T> {
    pub(super) fn new<P: Serialize>(
        client: &Client,
        op: Operation,
        params: &P,
        opts: &RequestOptions,
    ) -> Self {
        let pages = serde_json::to_value(params)
            .map_err(|e| Error::invalid_argument(None, format!("parameters could not be encoded: {e}")))
            .and_then(|params| ListPages::new(client.clone(), op, params, opts.clone()))
            .map_err(Some);
        ListAuto { pages, page: VecDeque::new(), _of: PhantomData }
    }
}

impl<T: DeserializeOwned> Iterator for ListAuto<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(each) = self.page.pop_front() {
                return Some(Ok(each));
            }
            let pages = match &mut self.pages {
                Ok(pages) => pages,
                Err(e) => return e.take().map(Err),
            };
            let page = pages.next()?.and_then(|page| {
                serde_json::from_value::<List<T>>(page).map_err(|e| Error::Decode {
                    message: format!("a list page could not be decoded: {e}"),
                    status: 200,
                    request_id: None,
                })
            });
            match page {
                Ok(list) => self.page = list.data.into(),
                Err(e) => {
                    self.pages = Err(None);
                    return Some(Err(e));
                }
            }
        }
    }
}
