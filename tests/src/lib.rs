//! Test harness: Ballast on the real Solana runtime (solana-program-test's bank, the real SPL
//! Token program), with Pyth accounts written byte for byte as the Pyth programs write them.

pub mod env;
pub mod fault_proxy;
pub mod lookup;
pub mod market;
pub mod node;
pub mod pyth;
pub mod token2022;

pub use env::*;
pub use lookup::PACKET_DATA_SIZE;
pub use market::*;
pub use pyth::*;
pub use token2022::*;
