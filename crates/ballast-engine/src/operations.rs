//! The user actions as pure operations over state, each checking in the program's order: the
//! handlers validate accounts, call one of these, move the tokens the outcome names and emit its
//! event; previews and simulations call the same functions on copies.

use ballast_math::health::token_value;
use ballast_math::reserve::Repayment;
use ballast_math::{Health, Rounding, Wad};

use crate::health::{require_initial_health, AccountRetriever, Loaded, Margin};
use crate::market::MarginMode;
use crate::{EngineResult, Error, MarketState, PositionSlot, Positions, ReserveState, ReserveStatus};

mod liquidate;
mod treasury;
pub use liquidate::*;
pub use treasury::*;

type Key<P> = <<P as Positions>::Slot as PositionSlot>::Key;

fn require(condition: bool, error: Error) -> EngineResult<()> {
    if condition {
        Ok(())
    } else {
        Err(error)
    }
}

/// What a deposit did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DepositOutcome {
    pub supply_shares_minted: u64,
}

/// Deposit `amount` as collateral: supply shares minted rounded down; never reads a price.
/// Blocked by a market pause (unless the obligation has debt: adding collateral cures, so the
/// authority cannot keep an owner from saving a position), by a reduce-only or paused reserve,
/// and by the supply cap, for
/// every obligation: a cap that an obligation with debt could pass would be passed by any
/// obligation holding one base unit of debt. Repay, which nothing blocks, always cures.
pub fn deposit<P: Positions, R: ReserveState>(
    market: &MarketState,
    reserve_key: &Key<P>,
    reserve: &mut R,
    obligation: &mut P,
    amount: u64,
    now_unix: i64,
) -> EngineResult<DepositOutcome> {
    require(amount > 0, Error::ZeroAmount)?;
    require(!market.is_paused(now_unix) || obligation.has_debt(), Error::MarketPaused)?;
    require(reserve.status() == ReserveStatus::Active, Error::ReserveNotActive)?;
    let supply_cap = reserve.risk_config().supply_cap;
    let mut accounting = reserve.accrued(now_unix)?;
    let shares = accounting.deposit(amount, supply_cap)?;
    record_flow(reserve, amount, Flow::In, now_unix)?;
    reserve.set_accounting(&accounting);
    let position = obligation.position_or_open(reserve_key)?;
    position.set_supply_shares(position.supply_shares().checked_add(shares).ok_or(Error::MathOverflow)?);
    Ok(DepositOutcome { supply_shares_minted: shares })
}

/// What a withdraw did; `health_after` is the initial health checked (zero without debt).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WithdrawOutcome {
    pub amount: u64,
    pub supply_shares_burned: u64,
    pub health_after: Health,
}

/// Withdraw `amount` base units of collateral (`u64::MAX`: all of it). Shares burned round up
/// (all: paid out rounded down). With debt left, initial health after the withdraw must be >= 0;
/// without debt no price is read. Blocked by a market pause, and by a paused reserve only while
/// the obligation has debt: a paused reserve never traps a debt-free depositor's collateral.
pub fn withdraw<P, L>(
    market: &MarketState,
    reserve_key: &Key<P>,
    reserve: &mut L::Reserve,
    obligation: &mut P,
    retriever: &L,
    amount: u64,
    now_unix: i64,
) -> Result<WithdrawOutcome, L::Error>
where
    P: Positions,
    L: AccountRetriever<Key<P>>,
{
    require(!market.is_paused(now_unix), Error::MarketPaused)?;
    require(reserve.status() != ReserveStatus::Paused || !obligation.has_debt(), Error::ReservePaused)?;
    let mut accounting = reserve.accrued(now_unix).map_err(Error::from)?;
    let position = obligation.position_mut(reserve_key)?;
    let held_shares = position.supply_shares();
    let (amount, shares) = if amount == u64::MAX {
        (accounting.redeem(held_shares).map_err(Error::from)?, held_shares)
    } else {
        (amount, accounting.withdraw(amount).map_err(Error::from)?)
    };
    require(shares <= held_shares, Error::InsufficientCollateral)?;
    record_flow(reserve, amount, Flow::Out, now_unix)?;
    position.set_supply_shares(held_shares - shares);
    obligation.close_if_empty(reserve_key);
    reserve.set_accounting(&accounting);

    let health_after = if obligation.has_debt() {
        let loaded = [Loaded { key: *reserve_key, reserve: &*reserve }];
        let margin = Margin::for_obligation(market, obligation, now_unix);
        let reading = require_initial_health(obligation.held(), retriever, &loaded, &margin, now_unix)?;
        reading.record_price(0, reserve);
        reading.health
    } else {
        Health::default()
    };
    mark_auction(obligation, false, now_unix);
    Ok(WithdrawOutcome { amount, supply_shares_burned: shares, health_after })
}

/// What a borrow did; `health_after` is the initial health checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BorrowOutcome {
    pub debt_shares_added: Wad,
    pub health_after: Health,
}

/// Borrow `amount` base units: debt shares recorded round up; available liquidity, the borrow
/// cap, the utilisation ceiling, the reserve status and a market pause apply; initial health
/// after the borrow must be >= 0 (circuit breaker, haircut and USD cap included).
pub fn borrow<P, L>(
    market: &MarketState,
    reserve_key: &Key<P>,
    reserve: &mut L::Reserve,
    obligation: &mut P,
    retriever: &L,
    amount: u64,
    now_unix: i64,
) -> Result<BorrowOutcome, L::Error>
where
    P: Positions,
    L: AccountRetriever<Key<P>>,
{
    require(amount > 0, Error::ZeroAmount)?;
    require(!market.is_paused(now_unix), Error::MarketPaused)?;
    require(reserve.status() == ReserveStatus::Active, Error::ReserveNotActive)?;
    let mut accounting = reserve.accrued(now_unix).map_err(Error::from)?;
    let debt_shares = accounting.borrow(amount, reserve.risk_config().borrow_cap).map_err(Error::from)?;
    reserve.risk_controls().check_utilization(accounting.utilization().map_err(Error::from)?).map_err(Error::from)?;
    record_flow(reserve, amount, Flow::Out, now_unix)?;
    let position = obligation.position_or_open(reserve_key)?;
    position.set_debt_shares(position.debt_shares().checked_add(debt_shares).map_err(Error::from)?);
    reserve.set_accounting(&accounting);

    let loaded = [Loaded { key: *reserve_key, reserve: &*reserve }];
    let margin = Margin::for_obligation(market, obligation, now_unix);
    let reading = require_initial_health(obligation.held(), retriever, &loaded, &margin, now_unix)?;
    market.require_min_debt(|| Ok(reading.loaded_values[0].1))?;
    reading.record_price(0, reserve);
    mark_auction(obligation, false, now_unix);
    Ok(BorrowOutcome { debt_shares_added: debt_shares, health_after: reading.health })
}

/// Repay up to `amount` (`u64::MAX`: all) of the obligation's debt in this reserve; clamped to
/// the debt, which is rounded up. Anyone may repay; never reads an oracle; no pause blocks it. A
/// partial repay may not leave less than the market's minimum debt, valued at the reserve's last
/// recorded spot price (repaying all of it always works).
pub fn repay<P: Positions, R: ReserveState>(
    market: &MarketState,
    reserve_key: &Key<P>,
    reserve: &mut R,
    obligation: &mut P,
    amount: u64,
    now_unix: i64,
) -> EngineResult<Repayment> {
    require(amount > 0, Error::ZeroAmount)?;
    let mut accounting = reserve.accrued(now_unix)?;
    let position = obligation.position_mut(reserve_key)?;
    let debt_shares = position.debt_shares();
    require(!debt_shares.is_zero(), Error::NoDebtToRepay)?;
    let repayment = accounting.repay(amount, debt_shares)?;
    let debt_shares_left = debt_shares.checked_sub(repayment.debt_shares_burned)?;
    position.set_debt_shares(debt_shares_left);
    market.require_min_debt(|| {
        let debt_left = accounting.debt_amount(debt_shares_left, Rounding::Up)?;
        Ok(token_value(debt_left, reserve.mint_decimals(), reserve.last_spot_price(), Rounding::Down)?)
    })?;
    record_flow(reserve, repayment.amount, Flow::In, now_unix)?;
    obligation.close_if_empty(reserve_key);
    reserve.set_accounting(&accounting);
    if !obligation.has_debt() {
        mark_auction(obligation, false, now_unix);
    }
    Ok(repayment)
}

/// Makes the deposit in `reserve` count as collateral or not (Aave's use-as-collateral). Not
/// collateral, it still earns interest, but counts for no health and can never be seized. Turning
/// collateral off is blocked by a market pause, like a withdraw, and with debt needs initial
/// health >= 0 after it, every position valued through `retriever`; turning it on only adds
/// borrow power and reads no price. Returns the initial health checked (zero when none was).
pub fn set_collateral<P, L>(
    market: &MarketState,
    reserve_key: &Key<P>,
    obligation: &mut P,
    collateral: bool,
    retriever: &L,
    now_unix: i64,
) -> Result<Health, L::Error>
where
    P: Positions,
    L: AccountRetriever<Key<P>>,
{
    require(collateral || !market.is_paused(now_unix), Error::MarketPaused)?;
    obligation.set_collateral(reserve_key, collateral)?;
    if collateral {
        return Ok(Health::default());
    }
    prove_initial_health(market, obligation, retriever, now_unix)
}

/// With debt, initial health >= 0 over every position, valued through `retriever`, after a change
/// that can only lower it; that proof of health stops the auction's clock. Without debt no price
/// is read. Returns the health checked (zero without debt).
fn prove_initial_health<P, L>(
    market: &MarketState,
    obligation: &mut P,
    retriever: &L,
    now_unix: i64,
) -> Result<Health, L::Error>
where
    P: Positions,
    L: AccountRetriever<Key<P>>,
{
    let health = if obligation.has_debt() {
        let margin = Margin::for_obligation(market, obligation, now_unix);
        require_initial_health(obligation.held(), retriever, &[], &margin, now_unix)?.health
    } else {
        Health::default()
    };
    mark_auction(obligation, false, now_unix);
    Ok(health)
}

enum Flow {
    In,
    Out,
}

/// Counts a borrow or withdraw (out) or a deposit or repay (in) against the reserve's outflow
/// limit; an outflow past the cap fails with `OutflowLimitExceeded`.
fn record_flow<R: ReserveState>(reserve: &mut R, amount: u64, flow: Flow, now_unix: i64) -> EngineResult<()> {
    let outflow = reserve.outflow();
    if !outflow.limit.enabled() {
        return Ok(());
    }
    let mut window = outflow.window;
    match flow {
        Flow::Out => outflow.limit.record_outflow(&mut window, amount, now_unix)?,
        Flow::In => outflow.limit.record_inflow(&mut window, amount, now_unix)?,
    }
    reserve.set_outflow_window(&window);
    Ok(())
}

/// Choose how the obligation's health is margined: classic weights, or the worst of the market's
/// stress scenarios (`ScenarioMarginDisabled` while it holds none). With debt, initial health
/// under the new mode must be >= 0 (`InitialHealthNegative`), every position valued through
/// `retriever`; without debt no price is read. Returns the health checked (zero without debt).
pub fn set_margin_mode<P, L>(
    market: &MarketState,
    obligation: &mut P,
    mode: MarginMode,
    retriever: &L,
    now_unix: i64,
) -> Result<Health, L::Error>
where
    P: Positions,
    L: AccountRetriever<Key<P>>,
{
    require(mode == MarginMode::Classic || market.scenarios.enabled(), Error::ScenarioMarginDisabled)?;
    obligation.set_margin_mode(mode)?;
    prove_initial_health(market, obligation, retriever, now_unix)
}
