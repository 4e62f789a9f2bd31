//! The sBPF build of `programs/ballast` in mollusk-svm: the harness, the accounts and the
//! scenario building blocks the compute-unit runner (`src/main.rs`) and the instruction-level
//! fuzzer (`src/bin/ix_fuzz.rs`) share.

pub mod accounts;
pub mod harness;
#[cfg(feature = "profile")]
pub mod profile;
pub mod scenario;
