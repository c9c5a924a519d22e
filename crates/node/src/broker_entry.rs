//! The two per-bar entries into the broker, `brokerStep(handle, bar)` and
//! `brokerStepCursors(handle)`, as plain Node-API callbacks.
//!
//! A function napi-rs generates opens a "native borrow" scope on every call (a reference-counted
//! mutex, a heap allocation and thread-local bookkeeping that let a callback lend its arguments
//! to async work). These two take and return plain numbers and lend nothing, and the bar loop
//! calls one of them on every bar with orders: measured on a 2-core Xeon, an empty step through
//! the generated wrapper cost 320–460 ns, where a plain callback taking two integers and
//! returning one costs 35–50 ns. The `#[napi]` functions in `broker_registry` stay the
//! documented, typed declarations (and what the tests of this crate call); the module-exports
//! hook below puts these callbacks in their place on the addon's exports.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use napi::bindgen_prelude::{Env, Object};
use napi::{sys, JsError, JsValue};
use napi_derive::napi;

use crate::broker_registry::with_broker;
use crate::errors::invalid;

/// What a step answers: the number of notification records written, or the error to throw.
type StepResult = napi::Result<u32>;

/// Reads up to `N` unsigned-integer arguments of the current call.
///
/// # Safety
/// `env` and `info` are the ones Node-API passed to the running callback.
unsafe fn u32_args<const N: usize>(env: sys::napi_env, info: sys::napi_callback_info, what: &str) -> napi::Result<[u32; N]> {
    let mut argc = N;
    let mut argv = [ptr::null_mut(); N];
    if sys::napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), ptr::null_mut(), ptr::null_mut()) != sys::Status::napi_ok || argc < N {
        return Err(invalid(format!("{what} takes {N} unsigned integer argument(s)")));
    }
    let mut out = [0u32; N];
    for (value, slot) in argv.iter().zip(out.iter_mut()) {
        if sys::napi_get_value_uint32(env, *value, slot) != sys::Status::napi_ok {
            return Err(invalid(format!("{what} takes {N} unsigned integer argument(s)")));
        }
    }
    Ok(out)
}

/// Turns a step's result into the callback's return value, or throws its error (as the
/// generated wrappers do) and returns nothing. A panic is thrown as an error, not let through
/// the C boundary (which would abort the process).
///
/// # Safety
/// `env` is the one Node-API passed to the running callback.
unsafe fn answer(env: sys::napi_env, result: std::thread::Result<StepResult>) -> sys::napi_value {
    let result = result.unwrap_or_else(|_| Err(invalid("the broker step panicked; this is a bug in ferrotrade")));
    match result {
        Ok(n) => {
            let mut out = ptr::null_mut();
            if sys::napi_create_uint32(env, n, &mut out) == sys::Status::napi_ok {
                out
            } else {
                ptr::null_mut()
            }
        }
        Err(err) => {
            JsError::from(err).throw_into(env);
            ptr::null_mut()
        }
    }
}

unsafe extern "C" fn broker_step(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let [handle, bar] = u32_args::<2>(env, info, "brokerStep(handle, bar)")?;
        with_broker(handle, |b| b.step_bound(bar))
    }));
    answer(env, result)
}

unsafe extern "C" fn broker_step_cursors(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let [handle] = u32_args::<1>(env, info, "brokerStepCursors(handle)")?;
        with_broker(handle, |b| b.step_cursors_bound())
    }));
    answer(env, result)
}

/// Puts the plain callbacks on the exports, in place of the generated `brokerStep` and
/// `brokerStepCursors` (runs once per JavaScript thread that loads the addon, after the
/// generated exports are registered). napi-rs keeps one such hook per addon: another
/// `#[napi(module_exports)]` function would replace this one, so add to this one instead.
#[napi(module_exports)]
pub fn install_step_entries(exports: Object, env: Env) -> napi::Result<()> {
    type Callback = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;
    let entries: [(&str, Callback); 2] = [("brokerStep", broker_step), ("brokerStepCursors", broker_step_cursors)];
    for (name, callback) in entries {
        let mut function = ptr::null_mut();
        // SAFETY: a plain Node-API call on the env of this module's registration.
        let status = unsafe {
            sys::napi_create_function(env.raw(), name.as_ptr().cast(), name.len() as isize, Some(callback), ptr::null_mut(), &mut function)
        };
        if status != sys::Status::napi_ok {
            return Err(invalid(format!("could not create the addon's {name} entry (status {status})")));
        }
        // SAFETY: as above; `exports` is the module's exports object.
        let status = unsafe { sys::napi_set_named_property(env.raw(), exports.raw(), format!("{name}\0").as_ptr().cast(), function) };
        if status != sys::Status::napi_ok {
            return Err(invalid(format!("could not export the addon's {name} entry (status {status})")));
        }
    }
    Ok(())
}
