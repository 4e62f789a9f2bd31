//! Liquidation and bad debt: the setup every caller sizes a liquidation from, the permissionless
//! `liquidate`, the Dutch auction's mark, and the write-off of debt no collateral backs.

use ballast_math::liquidation::{
    check_outcome, size_liquidation, BonusConfig, Leg, LiquidationConfig, LiquidationPlan,
};
use ballast_math::{Health, Wad};

use super::{require, Key};
use crate::health::{
    health_after_liquidation, liquidation_legs, obligation_health, AccountRetriever, HealthKind, HealthReading, Loaded,
    Margin,
};
use crate::Held;
use crate::{EngineResult, Error, MarketState, PositionSlot, Positions, ReserveState};

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

/// The terms an obligation is liquidated on: the market's knobs, the obligation's margin and when
/// it was first seen liquidatable (the Dutch auction's start; 0: not yet, so a liquidation now
/// starts the clock and pays the auction's minimum).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiquidationTerms<'a> {
    pub market: &'a MarketState,
    pub margin: Margin,
    pub liquidatable_since_ts: i64,
}

impl<'a> LiquidationTerms<'a> {
    pub fn of(market: &'a MarketState, obligation: &impl Positions, now_unix: i64) -> LiquidationTerms<'a> {
        LiquidationTerms {
            market,
            margin: Margin::for_obligation(market, obligation, now_unix),
            liquidatable_since_ts: obligation.liquidatable_since_ts(),
        }
    }

    /// Seconds the Dutch auction has run at `now_unix`.
    pub fn liquidatable_secs(&self, now_unix: i64) -> u64 {
        match self.liquidatable_since_ts {
            0 => 0,
            since => now_unix.saturating_sub(since).max(0) as u64,
        }
    }
}

/// What sizing a liquidation of one (debt, collateral) pair needs, before anything changes.
#[derive(Clone, Copy, Debug)]
pub struct LiquidationSetup {
    /// Maintenance health before, with each position's spot price.
    pub reading: HealthReading,
    pub debt: Leg,
    pub collateral: Leg,
    /// The collateral's bonus parameters, with the Dutch auction's clock.
    pub bonus: BonusConfig,
    /// The market's knobs for a payout in tokens: paced when the collateral's recent seizures
    /// exceed its depth budget (a payout in supply shares sells nothing and is never paced).
    pub config: LiquidationConfig,
    pub debt_index: usize,
    pub collateral_index: usize,
}

/// Maintenance health under the obligation's margin (`ObligationHealthy` if >= 0), the two
/// positions (`NoDebtToRepay`, `PositionNotFound`), the legs at the spot prices health used,
/// weighted as health weighs them, the bonus at the auction's clock, and the knobs with the
/// collateral's pacing; `loaded` are the repay and collateral reserves, accrued to `now_unix`.
// Out of line: its health reading is large under scenario margin, and sBPF frames are 4 KiB.
#[inline(never)]
pub fn liquidation_setup<'p, S, L>(
    positions: impl Into<Held<'p, S>>,
    retriever: &L,
    loaded: &[Loaded<S::Key, L::Reserve>; 2],
    terms: &LiquidationTerms<'_>,
    now_unix: i64,
) -> Result<LiquidationSetup, L::Error>
where
    S: PositionSlot + 'p,
    L: AccountRetriever<S::Key>,
{
    let margin = &terms.margin;
    let held = positions.into();
    let positions = held.positions;
    let reading = obligation_health(held, retriever, loaded, HealthKind::Maintenance, margin, now_unix)?;
    require(!reading.health.is_healthy(), Error::ObligationHealthy)?;
    let index_of = |key: &S::Key| positions.iter().position(|p| p.reserve() == key);
    let debt_index = index_of(&loaded[0].key).ok_or(Error::NoDebtToRepay)?;
    let collateral_index = index_of(&loaded[1].key).ok_or(Error::PositionNotFound)?;
    let debt_shares = positions[debt_index].debt_shares();
    let collateral_shares = held.collateral_shares(collateral_index);
    require(!debt_shares.is_zero(), Error::NoDebtToRepay)?;
    require(held.is_collateral(collateral_index), Error::DepositNotCollateral)?;
    require(collateral_shares > 0, Error::PositionNotFound)?;
    let (debt, collateral, mut bonus) = liquidation_legs(
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
    bonus.liquidatable_secs = terms.liquidatable_secs(now_unix);
    let mut config = terms.market.liquidation;
    if loaded[1].reserve.seizure_pacing().over_budget(&config, now_unix).map_err(Error::from)? {
        config = config.paced();
    }
    Ok(LiquidationSetup { reading, debt, collateral, bonus, config, debt_index, collateral_index })
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

    let terms = LiquidationTerms::of(market, obligation, now_unix);
    // Kept in place and read by reference: a copy of the reading would not fit sBPF's frame.
    let setup = liquidation_setup(obligation.held(), retriever, &reserves.loaded(), &terms, now_unix)?;
    let (reading, debt, collateral, bonus) = (&setup.reading, setup.debt, setup.collateral, setup.bonus);
    let (debt_index, collateral_index) = (setup.debt_index, setup.collateral_index);
    let before = reading.health;
    let debt_shares = obligation.slots()[debt_index].debt_shares();
    let config = match payout {
        Payout::Tokens => setup.config,
        Payout::SupplyShares(_) => market.liquidation,
    };
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
    if matches!(payout, Payout::Tokens) {
        record_seizure(collateral_reserve, &config, plan.seized_value, now_unix)?;
    }
    obligation.slots_mut()[collateral_index].set_supply_shares(collateral_shares - removed);

    let (after, _) = health_after_liquidation(reading, obligation.held(), &reserves.loaded(), now_unix)?;
    check_outcome(&before, &after, &plan, &config).map_err(Error::from)?;
    reading.record_price(0, reserves.repay_mut());
    reading.record_price(1, reserves.collateral_mut());
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
    let still_liquidatable = !after.is_healthy() && obligation.has_debt();
    mark_auction(obligation, still_liquidatable, now_unix);
    Ok(LiquidateOutcome { plan, before, after, debt, collateral, liquidator_shares, deficit })
}

/// Starts the Dutch auction's clock on an obligation seen `liquidatable` (kept if it runs), or
/// stops it on one shown healthy.
pub fn mark_auction(obligation: &mut impl Positions, liquidatable: bool, now_unix: i64) {
    match (liquidatable, obligation.liquidatable_since_ts()) {
        (true, 0) => obligation.set_liquidatable_since_ts(now_unix),
        (false, since) if since != 0 => obligation.set_liquidatable_since_ts(0),
        _ => {}
    }
}

/// Adds a payout in tokens to the collateral's recent seizures (when it has a depth budget).
#[inline(never)]
fn record_seizure<R: ReserveState>(
    reserve: &mut R,
    config: &LiquidationConfig,
    seized_usd: Wad,
    now_unix: i64,
) -> EngineResult<()> {
    let mut pacing = reserve.seizure_pacing();
    if pacing.depth_budget_usd == 0 || config.pacing_window_secs == 0 {
        return Ok(());
    }
    pacing.window.add(seized_usd, now_unix, config.pacing_window_secs)?;
    reserve.set_seizure_window(&pacing.window);
    Ok(())
}

/// What `mark_liquidatable` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarkOutcome {
    /// Maintenance health, every position valued.
    pub health: Health,
    /// The auction's start after the call (0: stopped, the obligation is healthy).
    pub liquidatable_since_ts: i64,
}

/// Permissionless and cheap: values the obligation's maintenance health and starts the Dutch
/// auction's clock if it is liquidatable (kept if it already runs), or stops it if it is healthy.
/// A healthy obligation whose clock is not running has nothing to record (`ObligationHealthy`).
pub fn mark_liquidatable<P, L>(
    market: &MarketState,
    obligation: &mut P,
    retriever: &L,
    now_unix: i64,
) -> Result<MarkOutcome, L::Error>
where
    P: Positions,
    L: AccountRetriever<Key<P>>,
{
    let margin = Margin::for_obligation(market, obligation, now_unix);
    let reading = obligation_health(obligation.held(), retriever, &[], HealthKind::Maintenance, &margin, now_unix)?;
    let liquidatable = !reading.health.is_healthy();
    require(liquidatable || obligation.liquidatable_since_ts() != 0, Error::ObligationHealthy)?;
    mark_auction(obligation, liquidatable, now_unix);
    Ok(MarkOutcome { health: reading.health, liquidatable_since_ts: obligation.liquidatable_since_ts() })
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
            obligation.held(),
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
    if !obligation.has_debt() {
        mark_auction(obligation, false, now_unix);
    }
    Ok(outcome)
}
