//! The one body of every operation's extern function (those are generated into
//! `operations.rs` by `make codegen`): arguments are all checked (the out-parameter first, so a
//! call that cannot return its result does nothing) before core is called, and the
//! out-parameter is written only on success.

use super::client::si_client;
use super::errors::si_error;
use super::ffi::{arg_ref, arg_str, check_out, write_out};
use identity::client::Operation;
use identity::RequestOptions;
use serde_json::Value;
use std::ffi::c_char;

/// Runs `op` with its checked arguments and writes `wrap(answer)` to `out`.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn call<T>(
    op: Operation,
    client: *const si_client,
    id: *const c_char,
    params: impl FnOnce() -> Result<Value, Box<si_error>>,
    opts: impl FnOnce() -> Result<RequestOptions, Box<si_error>>,
    out: *mut *mut T,
    out_name: &str,
    wrap: fn(Value) -> T,
) -> Result<(), Box<si_error>> {
    check_out(out, out_name)?;
    let client = arg_ref(client, "client")?;
    let id = if op.takes_id() { Some(arg_str(id, "id")?) } else { None };
    let params = params()?;
    let opts = opts()?;
    let answer = client.client.call_json(op, id, params, &opts)?;
    write_out(out, Box::new(wrap(answer)));
    Ok(())
}
