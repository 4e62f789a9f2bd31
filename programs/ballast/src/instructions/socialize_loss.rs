use anchor_lang::prelude::*;

use crate::errors::BallastError;
use crate::events::SocializeLossEvent;
use crate::runtime::emit_event;
use crate::state::{wad_from_bytes, wad_to_bytes, Market, Obligation, Reserve};

/// Permissionless: anyone may write off bad debt.
#[derive(Accounts)]
pub struct SocializeLoss<'info> {
    pub market: Account<'info, Market>,
    #[account(mut, has_one = market @ BallastError::MarketMismatch)]
    pub obligation: AccountLoader<'info, Obligation>,
    #[account(mut, has_one = market @ BallastError::MarketMismatch)]
    pub reserve: AccountLoader<'info, Reserve>,
}

/// Once an obligation has no collateral left, its remaining debt in `reserve` is a deficit: the
/// reserve's insurance fund pays first, and the rest lowers the supply share value (recorded in
/// `socialized_loss`). The obligation's debt there is cleared.
pub fn handler(ctx: Context<SocializeLoss>) -> Result<()> {
    let now_unix = Clock::get()?.unix_timestamp;
    let reserve_key = ctx.accounts.reserve.key();
    let mut obligation = ctx.accounts.obligation.load_mut()?;
    let mut reserve = ctx.accounts.reserve.load_mut()?;
    require!(obligation.active_positions().iter().all(|p| p.supply_shares == 0), BallastError::ObligationHasCollateral);
    let index = obligation.position_index(&reserve_key).ok_or(BallastError::PositionNotFound)?;
    let debt_shares = obligation.positions[index].debt_shares();
    require!(!debt_shares.is_zero(), BallastError::NoDebtToRepay);

    let mut accounting = reserve.accrued(now_unix).map_err(BallastError::from)?;
    let share_value_before = accounting.supply_share_value().map_err(BallastError::from)?;
    let (debt, covered, loss) = accounting.socialize(debt_shares).map_err(BallastError::from)?;
    let share_value_after = accounting.supply_share_value().map_err(BallastError::from)?;
    reserve.set_accounting(&accounting);
    let total_loss = wad_from_bytes(&reserve.socialized_loss).checked_add(loss).map_err(BallastError::from)?;
    reserve.socialized_loss = wad_to_bytes(total_loss);
    obligation.positions[index].set_debt_shares(ballast_math::Wad::ZERO);
    obligation.close_if_empty(&reserve_key);

    emit_event(SocializeLossEvent {
        obligation: ctx.accounts.obligation.key(),
        reserve: reserve_key,
        debt_written_off: debt.0,
        covered_by_insurance: covered.0,
        loss_to_depositors: loss.0,
        share_value_before: share_value_before.0,
        share_value_after: share_value_after.0,
    });
    Ok(())
}
