//! Events and return data through the runtime on every build.
//!
//! On-chain these are Anchor's own syscalls. Off-chain (the native build the test suite runs
//! inside solana-program-test) Anchor's `sol_log_data` and `set_return_data` are no-ops, so they
//! go to the runtime's syscall stubs instead: return data reaches the transaction metadata as the
//! syscall would put it there, and an event is logged as the same base64 text the runtime writes
//! for `sol_log_data` (`Program data: <base64>`; the stub prefixes it with `Program log: `, as
//! solana-program-test 3.1 has no `sol_log_data` stub).

use anchor_lang::Event;

/// `emit!`, with the same bytes (discriminator + borsh) on every build.
pub fn emit_event<E: Event>(event: E) {
    let data = event.data();
    #[cfg(target_os = "solana")]
    anchor_lang::solana_program::log::sol_log_data(&[&data]);
    #[cfg(not(target_os = "solana"))]
    {
        use base64::Engine;
        let encoded = base64::engine::general_purpose::STANDARD.encode(&data);
        solana_sysvar::program_stubs::sol_log(&format!("Program data: {encoded}"));
    }
}

/// Return data for instructions that return a value. On-chain Anchor's generated entry sets it
/// from the handler's return value; off-chain this sets it through the runtime's stub.
pub fn set_return_data_off_chain(_data: &[u8]) {
    #[cfg(not(target_os = "solana"))]
    solana_sysvar::program_stubs::sol_set_return_data(_data);
}

/// A compute-unit checkpoint: with the `cu-trace` feature, logs `cu: <label>` and the compute
/// units left (each checkpoint itself costs about 200 CU); without it, nothing.
#[macro_export]
macro_rules! cu_checkpoint {
    ($label:literal) => {
        #[cfg(feature = "cu-trace")]
        {
            anchor_lang::solana_program::msg!(concat!("cu: ", $label));
            #[cfg(target_os = "solana")]
            {
                extern "C" {
                    fn sol_log_compute_units_();
                }
                unsafe { sol_log_compute_units_() };
            }
        }
    };
}
