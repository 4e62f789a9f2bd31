//! One module per instruction. Anchor's #[program] needs each module's account structs (and
//! their generated client modules) at the crate root; every module also has a `handler`,
//! called by its full path, hence the glob re-exports.
#![allow(ambiguous_glob_reexports)]

pub mod accept_authority;
pub mod borrow;
pub mod close_obligation;
pub mod deposit;
pub mod flash_borrow;
pub mod flash_repay;
pub mod get_health;
pub mod init_market;
pub mod init_obligation;
pub mod init_reserve;
pub mod init_sub_obligation;
pub mod liquidate;
pub mod mark_liquidatable;
pub mod pause_market;
pub mod propose_authority;
pub mod repay;
pub mod set_collateral;
pub mod set_margin_mode;
pub mod set_reserve_status;
pub mod socialize_loss;
pub mod update_market_config;
pub mod update_reserve_config;
pub mod withdraw;
pub mod withdraw_insurance;
pub mod withdraw_protocol_fees;

pub use accept_authority::*;
pub use close_obligation::*;
pub use deposit::*;
pub use flash_borrow::*;
pub use flash_repay::*;
pub use get_health::*;
pub use init_market::*;
pub use init_obligation::*;
pub use init_reserve::*;
pub use init_sub_obligation::*;
pub use liquidate::*;
pub use mark_liquidatable::*;
pub use pause_market::*;
pub use repay::*;
pub use set_collateral::*;
pub use set_margin_mode::*;
pub use set_reserve_status::*;
pub use socialize_loss::*;
pub use update_market_config::*;
pub use update_reserve_config::*;
pub use withdraw::*;
pub use withdraw_protocol_fees::*;
