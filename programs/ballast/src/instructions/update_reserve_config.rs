use anchor_lang::prelude::*;

use crate::errors::BallastError;
use crate::params::ReserveConfigParams;
use crate::state::{Market, Reserve, RiskRampStore};
use ballast_engine::ReserveState;
use ballast_math::RiskRamp;

#[derive(Accounts)]
pub struct UpdateReserveConfig<'info> {
    pub authority: Signer<'info>,
    #[account(has_one = authority @ BallastError::Unauthorized)]
    pub market: Account<'info, Market>,
    #[account(mut, has_one = market @ BallastError::MarketMismatch)]
    pub reserve: AccountLoader<'info, Reserve>,
    /// CHECK: validated by `ReserveConfigParams::apply`, which reads a price from it.
    pub oracle: UncheckedAccount<'info>,
}

/// Market authority only; the same validation as creation. Interest up to now accrues under the
/// old curve first. A lower liquidation threshold or a higher borrow factor takes effect over the
/// market's `risk_ramp_secs`, from what is in force now (a loosening, at once); so does any change
/// of the reserve's scenario shocks (either way: a lower price tightens collateral, a higher debt).
pub fn handler(ctx: Context<UpdateReserveConfig>, params: ReserveConfigParams) -> Result<()> {
    let now_unix = Clock::get()?.unix_timestamp;
    let mut reserve = ctx.accounts.reserve.load_mut()?;
    let accounting = reserve.accrued(now_unix).map_err(BallastError::from)?;
    reserve.set_accounting(&accounting);
    let in_force = reserve.risk_config_at(now_unix);
    let market = &ctx.accounts.market;
    params.apply(&mut reserve, &ctx.accounts.oracle, market, market.risk_ramp_secs, now_unix)?;
    let ramp = RiskRamp::start(&in_force, &reserve.risk_config(), now_unix, market.risk_ramp_secs);
    reserve.risk_ramp = RiskRampStore::from(&ramp);
    Ok(())
}
