//! One module per instruction. Anchor's #[program] needs each module's account structs (and
//! their generated client modules) at the crate root; every module also has a `handler`,
//! called by its full path, hence the glob re-exports.
#![allow(ambiguous_glob_reexports)]

pub mod borrow;
pub mod deposit;
pub mod init_market;
pub mod init_obligation;
pub mod init_reserve;
pub mod repay;
pub mod update_reserve_config;
pub mod withdraw;

pub use borrow::*;
pub use deposit::*;
pub use init_market::*;
pub use init_obligation::*;
pub use init_reserve::*;
pub use repay::*;
pub use update_reserve_config::*;
pub use withdraw::*;
