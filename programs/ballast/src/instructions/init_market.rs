use anchor_lang::prelude::*;
use ballast_math::config::{MAX_RISK_RAMP_SECS, MIN_RISK_RAMP_SECS};
use ballast_math::scenario::ScenarioMargin;
use ballast_math::{liquidation::LiquidationConfig, Wad};

use crate::errors::BallastError;
use crate::params::MarketConfigParams;
use crate::state::Market;
use ballast_engine::market::MAX_MIN_DEBT_USD;

/// Upper bound on `max_pause_secs`: a market can never be frozen for more than a week at a time.
pub const MAX_PAUSE_SECS_LIMIT: u64 = 7 * 86_400;

impl MarketConfigParams {
    pub fn scenario_margin(&self) -> ScenarioMargin {
        ScenarioMargin::from_stored(
            self.scenario_count,
            self.scenario_initial_buffer_bps,
            self.scenario_maintenance_buffer_bps,
            self.scenario_maintenance_fraction_bps,
        )
    }

    pub fn liquidation_config(&self) -> LiquidationConfig {
        LiquidationConfig {
            close_factor_bps: self.close_factor_bps,
            full_liquidation_health_factor_bps: self.full_liquidation_health_factor_bps,
            dust_value: Wad(self.dust_value_usd),
            target_health_factor_bps: self.target_health_factor_bps,
            bonus_ramp_bps: self.bonus_ramp_bps,
            auction_secs: self.auction_secs,
            paced_close_factor_bps: self.paced_close_factor_bps,
            pacing_window_secs: self.pacing_window_secs,
        }
    }

    /// Validates the knobs and writes them to `market` at `now_unix` (a tightening of scenario
    /// maintenance ramps in over the new `risk_ramp_secs`).
    pub fn apply(&self, market: &mut Market, now_unix: i64) -> Result<()> {
        let config = self.liquidation_config();
        config.validate().map_err(BallastError::from)?;
        require!(self.max_pause_secs <= MAX_PAUSE_SECS_LIMIT, BallastError::PauseTooLong);
        require!(
            (MIN_RISK_RAMP_SECS..=MAX_RISK_RAMP_SECS).contains(&self.risk_ramp_secs),
            BallastError::InvalidRiskRamp
        );
        let scenarios = self.scenario_margin();
        if scenarios.enabled() {
            scenarios.validate().map_err(BallastError::from)?;
        }
        market.set_liquidation_config(&config);
        market.max_pause_secs = self.max_pause_secs;
        market.risk_ramp_secs = self.risk_ramp_secs;
        market.set_scenario_margin(&scenarios, now_unix);
        require!(self.min_debt_usd <= MAX_MIN_DEBT_USD, BallastError::InvalidMinDebt);
        market.min_debt_usd = self.min_debt_usd;
        market.fee_receiver = self.fee_receiver;
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
    params.apply(market, Clock::get()?.unix_timestamp)?;
    market.scenario_ramp_secs = 0; // no position to ramp for at creation
    market.authority = ctx.accounts.authority.key();
    market.quote_currency = quote_currency;
    market.reserve_count = 0;
    Ok(())
}
