use anchor_lang::prelude::*;

/// A lending market: the authority that configures it and the reserves that belong to it.
#[account]
#[derive(InitSpace, Debug)]
pub struct Market {
    /// Signs reserve creation and every config change.
    pub authority: Pubkey,
    /// What prices are quoted in (e.g. `b"USD"`, zero-padded); informational.
    pub quote_currency: [u8; 8],
    /// Reserves created in this market so far.
    pub reserve_count: u16,
    /// Room for later fields without a migration.
    pub reserved: [u8; 128],
}

impl Market {
    pub const SPACE: usize = 8 + Market::INIT_SPACE;
}
