use anchor_lang::prelude::*;

ballast_interface::declare_market_layout!(
    account: [#[account] #[derive(InitSpace, Debug)]]
);

impl Market {
    pub const SPACE: usize = 8 + Market::INIT_SPACE;
}
