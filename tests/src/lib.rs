//! Test harness: Ballast on the real Solana runtime (solana-program-test's bank, the real SPL
//! Token program), with Pyth accounts written byte for byte as the Pyth programs write them.

pub mod env;
pub mod market;
pub mod pyth;

pub use env::*;
pub use market::*;
pub use pyth::*;
