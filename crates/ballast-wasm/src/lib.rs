//! `ballast-math` for the dApp, as WebAssembly with a plain C ABI over JSON (no generated glue):
//! the host copies a UTF-8 JSON request into memory from `ballast_alloc`, calls `ballast_call`,
//! reads the answer (a little-endian `u32` length, then UTF-8 JSON) and frees both buffers.
//!
//! Inputs are the raw on-chain accounts (decoded from the IDL) and oracle bytes; every number the
//! dApp shows or checks (health, borrow power, liquidation prices, rates, accrual, previews,
//! maximum amounts, liquidation sizing) is computed here by `ballast-math`, wired exactly as the
//! program wires it (`engine`).

pub mod api;
pub mod engine;
pub mod input;
pub mod preview;
pub mod rates;
pub mod risk;

/// Allocates `len` bytes for the host to write a request into.
#[no_mangle]
pub extern "C" fn ballast_alloc(len: usize) -> *mut u8 {
    Box::into_raw(vec![0u8; len].into_boxed_slice()) as *mut u8
}

/// Frees a buffer from `ballast_alloc` (or an answer from `ballast_call`, `len` = 4 + its length).
///
/// # Safety
/// `ptr` and `len` must be exactly what `ballast_alloc` (or `ballast_call`) handed out.
#[no_mangle]
pub unsafe extern "C" fn ballast_free(ptr: *mut u8, len: usize) {
    drop(Box::from_raw(core::ptr::slice_from_raw_parts_mut(ptr, len)));
}

/// Answers the JSON request at `ptr..ptr+len` (not freed). Returns a buffer of `4 + n` bytes:
/// `n` as a little-endian `u32`, then the JSON answer.
///
/// # Safety
/// `ptr..ptr+len` must be readable.
#[no_mangle]
pub unsafe extern "C" fn ballast_call(ptr: *const u8, len: usize) -> *mut u8 {
    let request = core::slice::from_raw_parts(ptr, len);
    let answer = match core::str::from_utf8(request) {
        Ok(text) => api::call(text),
        Err(_) => String::from(r#"{"error":"request is not UTF-8"}"#),
    };
    let mut out = Vec::with_capacity(4 + answer.len());
    out.extend_from_slice(&(answer.len() as u32).to_le_bytes());
    out.extend_from_slice(answer.as_bytes());
    Box::into_raw(out.into_boxed_slice()) as *mut u8
}
