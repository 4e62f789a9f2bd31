use anchor_lang::prelude::*;
use ballast_math::{liquidation::LiquidationConfig, Wad};

/// A lending market: the authority that configures it, its liquidation knobs, and the reserves
/// that belong to it.
#[account]
#[derive(InitSpace, Debug)]
pub struct Market {
    /// Signs reserve creation and every config change.
    pub authority: Pubkey,
    /// What prices are quoted in (e.g. `b"USD"`, zero-padded); informational.
    pub quote_currency: [u8; 8],
    /// Reserves created in this market so far.
    pub reserve_count: u16,
    /// Share of one debt a single liquidation may repay, bps.
    pub close_factor_bps: u16,
    /// Below this health factor (bps) a liquidation may repay the whole debt.
    pub full_liquidation_health_factor_bps: u16,
    /// A liquidation that leaves debt may not lift the health factor above this (bps).
    pub target_health_factor_bps: u16,
    /// Shortfall (1 - health factor, bps) at which the liquidation bonus reaches its maximum.
    pub bonus_ramp_bps: u16,
    /// If less than this much debt (USD, Wad) would remain, a liquidation may repay all of it.
    pub dust_value_usd: u128,
    /// Longest market pause the authority may set, in seconds.
    pub max_pause_secs: u64,
    /// Deposits, withdrawals and borrows are paused until this unix time (repay and liquidation
    /// never are). A pause ends by itself.
    pub paused_until: i64,
    /// Proposed new authority (two-step transfer); the default key when none.
    pub pending_authority: Pubkey,
    /// Room for later fields without a migration.
    pub reserved: [u8; 128],
}

impl Market {
    pub const SPACE: usize = 8 + Market::INIT_SPACE;

    /// The pause and liquidation knobs the engine's operations read.
    pub fn state(&self) -> ballast_engine::MarketState {
        ballast_engine::MarketState { paused_until: self.paused_until, liquidation: self.liquidation_config() }
    }

    pub fn liquidation_config(&self) -> LiquidationConfig {
        LiquidationConfig {
            close_factor_bps: self.close_factor_bps,
            full_liquidation_health_factor_bps: self.full_liquidation_health_factor_bps,
            dust_value: Wad(self.dust_value_usd),
            target_health_factor_bps: self.target_health_factor_bps,
            bonus_ramp_bps: self.bonus_ramp_bps,
        }
    }

    pub fn set_liquidation_config(&mut self, config: &LiquidationConfig) {
        self.close_factor_bps = config.close_factor_bps;
        self.full_liquidation_health_factor_bps = config.full_liquidation_health_factor_bps;
        self.dust_value_usd = config.dust_value.0;
        self.target_health_factor_bps = config.target_health_factor_bps;
        self.bonus_ramp_bps = config.bonus_ramp_bps;
    }
}
