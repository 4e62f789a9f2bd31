//! Ballast client: PDAs, instruction builders with the exact account lists the program expects
//! (health accounts included), account decoding, and health computed from fetched accounts with
//! the program's own valuation code.

pub mod accounts;
pub mod health;
pub mod instructions;
pub mod pda;

pub use ballast::ID as PROGRAM_ID;
