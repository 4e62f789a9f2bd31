use anchor_lang::prelude::*;
use ballast_math::config::{MAX_RISK_RAMP_SECS, MIN_RISK_RAMP_SECS};
use ballast_math::{liquidation::LiquidationConfig, Wad};

use crate::errors::BallastError;
use crate::params::MarketConfigParams;
use crate::state::Market;

/// Upper bound on `max_pause_secs`: a market can never be frozen for more than a week at a time.
pub const MAX_PAUSE_SECS_LIMIT: u64 = 7 * 86_400;

impl MarketConfigParams {
    /// Validates the knobs and writes them to `market`.
    pub fn apply(&self, market: &mut Market) -> Result<()> {
        let config = LiquidationConfig {
            close_factor_bps: self.close_factor_bps,
            full_liquidation_health_factor_bps: self.full_liquidation_health_factor_bps,
            dust_value: Wad(self.dust_value_usd),
            target_health_factor_bps: self.target_health_factor_bps,
            bonus_ramp_bps: self.bonus_ramp_bps,
        };
        config.validate().map_err(BallastError::from)?;
        require!(self.max_pause_secs <= MAX_PAUSE_SECS_LIMIT, BallastError::PauseTooLong);
        require!(
            (MIN_RISK_RAMP_SECS..=MAX_RISK_RAMP_SECS).contains(&self.risk_ramp_secs),
            BallastError::InvalidRiskRamp
        );
        market.set_liquidation_config(&config);
        market.max_pause_secs = self.max_pause_secs;
        market.risk_ramp_secs = self.risk_ramp_secs;
        Ok(())
    }
}

#[derive(Accounts)]
pub struct InitMarket<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(init, payer = authority, space = Market::SPACE)]
    pub market: Account<'info, Market>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<InitMarket>, quote_currency: [u8; 8], params: MarketConfigParams) -> Result<()> {
    let market = &mut ctx.accounts.market;
    params.apply(market)?;
    market.authority = ctx.accounts.authority.key();
    market.quote_currency = quote_currency;
    market.reserve_count = 0;
    Ok(())
}
