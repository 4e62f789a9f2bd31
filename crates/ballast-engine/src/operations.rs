//! The user actions as pure operations over state, each checking in the program's order: the
//! handlers validate accounts, call one of these, move the tokens the outcome names and emit its
//! event; previews and simulations call the same functions on copies.

use ballast_math::liquidation::{
    check_outcome, size_liquidation, BonusConfig, Leg, LiquidationConfig, LiquidationPlan,
};
use ballast_math::reserve::Repayment;
use ballast_math::{Health, Wad};

use crate::health::{
    health_after_liquidation, liquidation_legs, obligation_health, require_initial_health, AccountRetriever,
    HealthKind, HealthReading, Loaded, Margin,
};
use crate::market::MarginMode;
use crate::{EngineResult, Error, MarketState, PositionSlot, Positions, ReserveState, ReserveStatus};

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
    position.set_supply_shares(held_shares - shares);
    obligation.close_if_empty(reserve_key);
    reserve.set_accounting(&accounting);

    let health_after = if obligation.has_debt() {
        let loaded = [Loaded { key: *reserve_key, reserve: &*reserve }];
        let margin = Margin::for_obligation(market, obligation, now_unix);
        let reading = require_initial_health(obligation.active_positions(), retriever, &loaded, &margin, now_unix)?;
        reading.record_publish_time(0, reserve);
        reading.health
    } else {
        Health::default()
    };
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
    let position = obligation.position_or_open(reserve_key)?;
    position.set_debt_shares(position.debt_shares().checked_add(debt_shares).map_err(Error::from)?);
    reserve.set_accounting(&accounting);

    let loaded = [Loaded { key: *reserve_key, reserve: &*reserve }];
    let margin = Margin::for_obligation(market, obligation, now_unix);
    let reading = require_initial_health(obligation.active_positions(), retriever, &loaded, &margin, now_unix)?;
    reading.record_publish_time(0, reserve);
    Ok(BorrowOutcome { debt_shares_added: debt_shares, health_after: reading.health })
}

/// Repay up to `amount` (`u64::MAX`: all) of the obligation's debt in this reserve; clamped to
/// the debt, which is rounded up. Anyone may repay; never reads a price; nothing blocks it.
pub fn repay<P: Positions, R: ReserveState>(
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
    position.set_debt_shares(debt_shares.checked_sub(repayment.debt_shares_burned)?);
    obligation.close_if_empty(reserve_key);
    reserve.set_accounting(&accounting);
    Ok(repayment)
}

/// What a liquidation did: the plan (amounts, bonus), maintenance health before and after, the
/// two legs at the prices used, the supply shares credited to the liquidator's obligation (the
/// share payout; zero for tokens), and the repay reserve's write-off when no collateral (or only
/// dust) was left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiquidateOutcome {
    pub plan: LiquidationPlan,
    pub before: Health,
    pub after: Health,
    pub debt: Leg,
    pub collateral: Leg,
    pub liquidator_shares: u64,
    pub deficit: Option<SocializeLossOutcome>,
}

/// Where the liquidator takes the seized collateral.
pub enum Payout<'a, P> {
    /// Tokens out of the collateral vault: needs that much available liquidity.
    Tokens,
    /// Supply shares of the collateral reserve credited to the liquidator's own obligation (Aave's
    /// `receiveAToken`): no token moves, so a vault whose liquidity is all borrowed does not block
    /// the liquidation.
    SupplyShares(&'a mut P),
}

/// What sizing a liquidation of one (debt, collateral) pair needs, before anything changes.
#[derive(Clone, Copy, Debug)]
pub struct LiquidationSetup {
    /// Maintenance health before, with each position's spot price.
    pub reading: HealthReading,
    pub debt: Leg,
    pub collateral: Leg,
    pub bonus: BonusConfig,
    pub debt_index: usize,
    pub collateral_index: usize,
}

/// Maintenance health under `margin` (`ObligationHealthy` if >= 0), the two positions
/// (`NoDebtToRepay`, `PositionNotFound`) and the legs at the spot prices health used, weighted
/// as health weighs them; `loaded` are the repay and collateral reserves, accrued to `now_unix`.
// Out of line: its health reading is large under scenario margin, and sBPF frames are 4 KiB.
#[inline(never)]
pub fn liquidation_setup<S, L>(
    positions: &[S],
    retriever: &L,
    loaded: &[Loaded<S::Key, L::Reserve>; 2],
    margin: &Margin,
    now_unix: i64,
) -> Result<LiquidationSetup, L::Error>
where
    S: PositionSlot,
    L: AccountRetriever<S::Key>,
{
    let reading = obligation_health(positions, retriever, loaded, HealthKind::Maintenance, margin, now_unix)?;
    require(!reading.health.is_healthy(), Error::ObligationHealthy)?;
    let index_of = |key: &S::Key| positions.iter().position(|p| p.reserve() == key);
    let debt_index = index_of(&loaded[0].key).ok_or(Error::NoDebtToRepay)?;
    let collateral_index = index_of(&loaded[1].key).ok_or(Error::PositionNotFound)?;
    let debt_shares = positions[debt_index].debt_shares();
    let collateral_shares = positions[collateral_index].supply_shares();
    require(!debt_shares.is_zero(), Error::NoDebtToRepay)?;
    require(collateral_shares > 0, Error::PositionNotFound)?;
    let (debt, collateral, bonus) = liquidation_legs(
        loaded[0].reserve,
        debt_shares,
        reading.spot_prices[debt_index],
        loaded[1].reserve,
        collateral_shares,
        reading.spot_prices[collateral_index],
        margin,
        reading.worst_slot,
        now_unix,
    )?;
    Ok(LiquidationSetup { reading, debt, collateral, bonus, debt_index, collateral_index })
}

/// The reserves a liquidation changes: the debt's and the collateral's, or one reserve holding
/// both (a looped position: collateral and debt of the same asset).
pub enum LiquidationReserves<'a, K, R> {
    Pair { repay_key: K, repay: &'a mut R, collateral_key: K, collateral: &'a mut R },
    Same { key: K, reserve: &'a mut R },
}

impl<'a, K: Copy + PartialEq, R> LiquidationReserves<'a, K, R> {
    /// Over copies of the two reserves (previews, simulations): with one key, the repay copy
    /// stands for both and the collateral copy is left untouched.
    pub fn of_copies(repay_key: K, repay: &'a mut R, collateral_key: K, collateral: &'a mut R) -> Self {
        if repay_key == collateral_key {
            LiquidationReserves::Same { key: repay_key, reserve: repay }
        } else {
            LiquidationReserves::Pair { repay_key, repay, collateral_key, collateral }
        }
    }

    fn keys(&self) -> (K, K) {
        match self {
            LiquidationReserves::Pair { repay_key, collateral_key, .. } => (*repay_key, *collateral_key),
            LiquidationReserves::Same { key, .. } => (*key, *key),
        }
    }

    fn repay_mut(&mut self) -> &mut R {
        match self {
            LiquidationReserves::Pair { repay, .. } => repay,
            LiquidationReserves::Same { reserve, .. } => reserve,
        }
    }

    fn collateral_mut(&mut self) -> &mut R {
        match self {
            LiquidationReserves::Pair { collateral, .. } => collateral,
            LiquidationReserves::Same { reserve, .. } => reserve,
        }
    }

    fn loaded(&self) -> [Loaded<'_, K, R>; 2] {
        let (repay_key, collateral_key) = self.keys();
        match self {
            LiquidationReserves::Pair { repay, collateral, .. } => {
                [Loaded { key: repay_key, reserve: &**repay }, Loaded { key: collateral_key, reserve: &**collateral }]
            }
            LiquidationReserves::Same { reserve, .. } => {
                [Loaded { key: repay_key, reserve: &**reserve }, Loaded { key: collateral_key, reserve: &**reserve }]
            }
        }
    }
}

/// Accrues a reserve to now and stores the result; the accounting goes on from there.
#[inline(never)]
fn accrue_stored<R: ReserveState>(reserve: &mut R, now_unix: i64) -> EngineResult<()> {
    let accounting = reserve.accrued(now_unix)?;
    reserve.set_accounting(&accounting);
    Ok(())
}

/// Permissionless: repay up to `repay_amount` of the obligation's debt in the repay reserve and
/// seize its collateral in the collateral reserve plus a bonus, if its maintenance health is
/// below zero. The two may be one reserve (a looped position). Sized by `size_liquidation`; the
/// outcome rules are checked on the health recomputed from the updated positions. The liquidator
/// takes the collateral as tokens or, whatever the vault holds, as supply shares (`payout`).
/// When the collateral left is worth less than the market's dust value, the debt left in the
/// repay reserve is written off in the same call (insurance first, then the depositors), so it
/// stops accruing as depositors' value and no dust can hold it up (Aave 3.3's deficit). Emptied
/// positions close last, so a retriever over the positions as they were (the program's health
/// accounts) still lines up.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
pub fn liquidate<P, L>(
    market: &MarketState,
    liquidator_is_owner: bool,
    obligation: &mut P,
    mut reserves: LiquidationReserves<Key<P>, L::Reserve>,
    payout: Payout<P>,
    retriever: &L,
    repay_amount: u64,
    min_collateral_out: u64,
    now_unix: i64,
) -> Result<LiquidateOutcome, L::Error>
where
    P: Positions,
    L: AccountRetriever<Key<P>>,
{
    require(repay_amount > 0, Error::ZeroAmount)?;
    require(!liquidator_is_owner, Error::SelfLiquidation)?;
    let (repay_key, collateral_key) = reserves.keys();
    accrue_stored(reserves.repay_mut(), now_unix)?;
    if repay_key != collateral_key {
        accrue_stored(reserves.collateral_mut(), now_unix)?;
    }

    let margin = Margin::for_obligation(market, obligation, now_unix);
    // Kept in place and read by reference: a copy of the reading would not fit sBPF's frame.
    let setup = liquidation_setup(obligation.active_positions(), retriever, &reserves.loaded(), &margin, now_unix)?;
    let (reading, debt, collateral, bonus) = (&setup.reading, setup.debt, setup.collateral, setup.bonus);
    let (debt_index, collateral_index) = (setup.debt_index, setup.collateral_index);
    let before = reading.health;
    let debt_shares = obligation.slots()[debt_index].debt_shares();
    let config = market.liquidation;
    let plan = size_liquidation(&before, &debt, &collateral, &bonus, &config, repay_amount).map_err(Error::from)?;
    require(plan.liquidator_amount >= min_collateral_out, Error::CollateralOutBelowMinimum)?;

    // Repay the debt, then seize the collateral (in this order, so a looped position's one reserve
    // holds the repaid tokens before the seizure is paid out).
    let repay_reserve = reserves.repay_mut();
    let mut repay_accounting = repay_reserve.accounting();
    let repayment = repay_accounting.repay(plan.repay_amount, debt_shares).map_err(Error::from)?;
    repay_reserve.set_accounting(&repay_accounting);
    let slots = obligation.slots_mut();
    slots[debt_index].set_debt_shares(debt_shares.checked_sub(repayment.debt_shares_burned).map_err(Error::from)?);
    let collateral_shares = slots[collateral_index].supply_shares();
    let collateral_reserve = reserves.collateral_mut();
    let mut collateral_accounting = collateral_reserve.accounting();
    let (removed, liquidator_shares) = match &payout {
        Payout::Tokens => {
            let burned = collateral_accounting
                .seize(collateral_shares, plan.liquidator_amount, plan.protocol_amount)
                .map_err(Error::from)?;
            (burned, 0)
        }
        Payout::SupplyShares(_) => collateral_accounting
            .seize_as_shares(collateral_shares, plan.liquidator_amount, plan.protocol_amount)
            .map_err(Error::from)?,
    };
    collateral_reserve.set_accounting(&collateral_accounting);
    obligation.slots_mut()[collateral_index].set_supply_shares(collateral_shares - removed);

    let (after, _) = health_after_liquidation(reading, obligation.active_positions(), &reserves.loaded(), now_unix)?;
    check_outcome(&before, &after, plan.repays_all, &config).map_err(Error::from)?;
    reading.record_publish_time(0, reserves.repay_mut());
    reading.record_publish_time(1, reserves.collateral_mut());
    if let Payout::SupplyShares(liquidator) = payout {
        let position = liquidator.position_or_open(&collateral_key)?;
        position.set_supply_shares(position.supply_shares().checked_add(liquidator_shares).ok_or(Error::MathOverflow)?);
    }
    let debt_left = obligation.slots()[debt_index].debt_shares();
    let deficit = if !debt_left.is_zero() && config.is_dust(after.collateral_value) {
        let written_off = write_off(reserves.repay_mut(), debt_left, now_unix)?;
        obligation.slots_mut()[debt_index].set_debt_shares(Wad::ZERO);
        Some(written_off)
    } else {
        None
    };
    obligation.close_if_empty(&repay_key);
    obligation.close_if_empty(&collateral_key);
    Ok(LiquidateOutcome { plan, before, after, debt, collateral, liquidator_shares, deficit })
}

/// Writes `debt_shares` of debt off the reserve: insurance pays first, the rest lowers the
/// supply share value and is recorded as socialised loss.
#[inline(never)]
fn write_off<R: ReserveState>(reserve: &mut R, debt_shares: Wad, now_unix: i64) -> EngineResult<SocializeLossOutcome> {
    let mut accounting = reserve.accrued(now_unix)?;
    let share_value_before = accounting.supply_share_value()?;
    let (debt, covered, loss) = accounting.socialize(debt_shares)?;
    let share_value_after = accounting.supply_share_value()?;
    reserve.set_accounting(&accounting);
    reserve.set_socialized_loss(reserve.socialized_loss().checked_add(loss)?);
    Ok(SocializeLossOutcome {
        debt_written_off: debt,
        covered_by_insurance: covered,
        loss_to_depositors: loss,
        share_value_before,
        share_value_after,
    })
}

/// What a loss socialisation did (base units, Wads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SocializeLossOutcome {
    pub debt_written_off: Wad,
    pub covered_by_insurance: Wad,
    pub loss_to_depositors: Wad,
    pub share_value_before: Wad,
    pub share_value_after: Wad,
}

/// Whether an obligation with collateral, at maintenance `health`, may have its debt written off
/// by `socialize_loss`: it is liquidatable and its collateral is dust.
pub fn write_off_allowed(health: &Health, config: &LiquidationConfig) -> bool {
    !health.is_healthy() && config.is_dust(health.collateral_value)
}

/// Once an obligation's collateral is gone, or worth less than the market's dust value while its
/// maintenance health is below zero, its debt in this reserve is written off: insurance pays
/// first, the rest lowers the supply share value and is recorded as socialised loss. Without
/// collateral no price is read; with dust, every position is valued through `retriever` (so no
/// dust, and no liquidator's indifference to it, can hold a write-off up).
pub fn socialize_loss<P, L>(
    market: &MarketState,
    reserve_key: &Key<P>,
    reserve: &mut L::Reserve,
    obligation: &mut P,
    retriever: &L,
    now_unix: i64,
) -> Result<SocializeLossOutcome, L::Error>
where
    P: Positions,
    L: AccountRetriever<Key<P>>,
{
    let index = obligation.position_index(reserve_key).ok_or(Error::PositionNotFound)?;
    let debt_shares = obligation.slots()[index].debt_shares();
    require(!debt_shares.is_zero(), Error::NoDebtToRepay)?;
    if obligation.has_collateral() {
        let loaded = Loaded { key: *reserve_key, reserve: &*reserve };
        let reading = obligation_health(
            obligation.active_positions(),
            retriever,
            core::slice::from_ref(&loaded),
            HealthKind::Maintenance,
            &Margin::for_obligation(market, obligation, now_unix),
            now_unix,
        )?;
        require(write_off_allowed(&reading.health, &market.liquidation), Error::ObligationHasCollateral)?;
    }

    let outcome = write_off(reserve, debt_shares, now_unix)?;
    obligation.slots_mut()[index].set_debt_shares(Wad::ZERO);
    obligation.close_if_empty(reserve_key);
    Ok(outcome)
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
    if !obligation.has_debt() {
        return Ok(Health::default());
    }
    let margin = Margin::for_obligation(market, obligation, now_unix);
    Ok(require_initial_health(obligation.active_positions(), retriever, &[], &margin, now_unix)?.health)
}
