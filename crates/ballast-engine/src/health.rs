//! Obligation health: which prices and weights each valuation uses, and the one pass over an
//! obligation's positions that every caller (program, client, bot, simulator, wasm) makes.
//!
//! - Initial health (borrow power; borrow and withdraw): conservative prices, every oracle check,
//!   the circuit breaker, the volatility haircut and the USD cap.
//! - Maintenance health (liquidation): spot prices, fresh within max age; confidence and EMA
//!   never block it.
//! - Either under classic weights (LTV, liquidation threshold, borrow factor) or, for an
//!   obligation that chose it, scenario margin: the worst of the market's stress scenarios
//!   (`ballast_math::scenario`), with the same prices, haircut and caps.

use core::ops::Deref;

use ballast_math::liquidation::{BonusConfig, Leg};
use ballast_math::position::{self, ReserveView, Valuation};
use ballast_math::scenario::{ScenarioMargin, ScenarioSums, ScenarioWeights};
use ballast_math::{Health, HealthAccumulator, OraclePrice, Wad};

pub use ballast_math::position::HealthKind;

use crate::market::{MarginMode, MarketState};
use crate::{EngineResult, Error, Held, PositionSlot, ReserveState, MAX_POSITIONS};

/// How health reads each position's reserve and oracle price (Mango v4's account retriever is
/// the model). The program verifies its health accounts here; clients look fetched accounts up by
/// key.
pub trait AccountRetriever<K> {
    type Reserve: ReserveState;
    type ReserveRef<'a>: Deref<Target = Self::Reserve>
    where
        Self: 'a;
    type Error: From<Error>;

    /// Called once, before any position is read, with the number of positions to value (a
    /// retriever over accounts passed in position order checks their count here).
    fn check_position_count(&self, _count: usize) -> Result<(), Self::Error> {
        Ok(())
    }
    /// Checks that position `index` is in `reserve`, for a reserve the caller already holds.
    fn check_reserve(&self, _index: usize, _reserve: &K) -> Result<(), Self::Error> {
        Ok(())
    }
    /// The reserve of position `index` (which is in `reserve`), verified, and its oracle price.
    fn reserve(&self, index: usize, reserve: &K) -> Result<(Self::ReserveRef<'_>, OraclePrice), Self::Error>;
    /// The oracle price of position `index`, in reserve `key`, whose state the caller holds.
    fn price(&self, index: usize, key: &K, reserve: &Self::Reserve) -> Result<OraclePrice, Self::Error>;
}

/// Looks each reserve and its price up by key (`None`: the caller did not supply it, reported as
/// `HealthAccountCountMismatch`, as the program reports a missing health account).
pub struct KeyedRetriever<F>(pub F);

impl<'r, K, R, F> AccountRetriever<K> for KeyedRetriever<F>
where
    R: ReserveState + 'r,
    F: Fn(&K) -> Option<(&'r R, &'r OraclePrice)>,
{
    type Reserve = R;
    type ReserveRef<'a>
        = &'r R
    where
        Self: 'a;
    type Error = Error;

    fn reserve(&self, _index: usize, reserve: &K) -> EngineResult<(&'r R, OraclePrice)> {
        (self.0)(reserve).map(|(r, p)| (r, *p)).ok_or(Error::HealthAccountCountMismatch)
    }
    fn price(&self, _index: usize, key: &K, _reserve: &R) -> EngineResult<OraclePrice> {
        (self.0)(key).map(|(_, p)| *p).ok_or(Error::HealthAccountCountMismatch)
    }
}

/// A reserve the operation already holds (possibly changed): health values its positions with
/// this copy instead of reading the reserve again.
pub struct Loaded<'a, K, R> {
    pub key: K,
    pub reserve: &'a R,
}

/// The margin health is computed under: classic weights, or the market's stress scenarios as in
/// force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Margin {
    Classic,
    Scenarios(ScenarioMargin),
}

impl Margin {
    /// The margin of an obligation in `mode`: scenario margin only while the market holds
    /// scenarios (with none, every obligation uses classic weights).
    pub fn of(market: &MarketState, mode: MarginMode, now_unix: i64) -> Margin {
        if mode == MarginMode::Scenarios && market.scenarios.enabled() {
            Margin::Scenarios(market.scenario_margin_at(now_unix))
        } else {
            Margin::Classic
        }
    }

    /// The margin of `obligation` in `market`.
    pub fn for_obligation(market: &MarketState, obligation: &impl crate::Positions, now_unix: i64) -> Margin {
        Margin::of(market, obligation.margin_mode(), now_unix)
    }
}

/// Health under construction: classic weighted sums, or exact per-scenario sums.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // no heap on chain: boxing would not shrink the stack
pub enum HealthSums {
    Classic(Health),
    Scenarios(ScenarioSums),
}

impl HealthSums {
    pub fn new(margin: &Margin) -> HealthSums {
        match margin {
            Margin::Classic => HealthSums::Classic(Health::default()),
            Margin::Scenarios(_) => HealthSums::Scenarios(ScenarioSums::default()),
        }
    }

    /// The health and, under scenario margin, the worst scenario slot (0 otherwise).
    pub fn finish(&self, margin: &Margin) -> (Health, usize) {
        match (self, margin) {
            (HealthSums::Classic(health), _) => (*health, 0),
            (HealthSums::Scenarios(sums), Margin::Scenarios(m)) => {
                let worst = sums.worst(m.count as usize + 1);
                (worst.health, worst.slot)
            }
            (HealthSums::Scenarios(sums), Margin::Classic) => (sums.slot(0), 0),
        }
    }
}

/// Adds one position's collateral and debt to `sums`, valued with `reserve`'s accounting accrued
/// to `now_unix` and its oracle `price` as `kind` and `margin` say; returns the spot price used
/// and the position's unweighted values `(collateral, debt)`.
#[allow(clippy::too_many_arguments)]
pub fn add_position(
    sums: &mut HealthSums,
    reserve: &impl ReserveState,
    price: &OraclePrice,
    supply_shares: u64,
    debt_shares: Wad,
    kind: HealthKind,
    margin: &Margin,
    now_unix: i64,
) -> EngineResult<(Wad, (Wad, Wad))> {
    let limits = reserve.price_limits();
    let risk = reserve.risk_config_at(now_unix);
    let (valuation, haircut_bps) = match kind {
        HealthKind::Initial => {
            let validated = price.validate(now_unix, &limits)?;
            let controls = reserve.risk_controls();
            let valuation = Valuation::initial(&validated, &risk, &controls)?;
            let haircut_bps = match margin {
                Margin::Classic => BPS,
                Margin::Scenarios(_) => controls.haircut_ltv_bps(BPS, &validated),
            };
            (valuation, haircut_bps)
        }
        HealthKind::Maintenance => (Valuation::maintenance(price.spot(now_unix, &limits)?, &risk), BPS),
    };
    // After the price's own checks, so a stale price still reads as stale.
    if price.publish_time < reserve.last_price_publish_time() {
        return Err(Error::PriceOlderThanLastUsed);
    }
    let accounting = reserve.accrued(now_unix)?;
    let view = ReserveView { accounting: &accounting, risk: &risk, decimals: reserve.mint_decimals() };
    let values = position::position_values(view, &valuation, supply_shares, debt_shares)?;
    let weights = Weights {
        collateral_bps: valuation.collateral_weight_bps,
        borrow_factor_bps: risk.borrow_factor_bps,
        haircut_bps,
    };
    weigh(sums, reserve, &weights, values, kind, margin, now_unix, false)?;
    Ok((valuation.spot, values))
}

const BPS: u16 = ballast_math::BPS_DENOMINATOR as u16;

/// What classic weights and the volatility haircut say for one position.
struct Weights {
    collateral_bps: u16,
    borrow_factor_bps: u16,
    haircut_bps: u16,
}

/// Adds (or, `remove`, takes back) a position's values `(collateral, debt)` to `sums`, weighted
/// as `kind` and `margin` say. The sums are exact, so taking back what was added restores them.
#[allow(clippy::too_many_arguments)]
fn weigh(
    sums: &mut HealthSums,
    reserve: &impl ReserveState,
    weights: &Weights,
    (collateral, debt): (Wad, Wad),
    kind: HealthKind,
    margin: &Margin,
    now_unix: i64,
    remove: bool,
) -> EngineResult<()> {
    match (sums, margin) {
        (HealthSums::Scenarios(total), Margin::Scenarios(m)) => {
            let maintenance = kind == HealthKind::Maintenance;
            let (collateral_shocks, debt_shocks) = reserve.scenario_shocks_at(now_unix, maintenance);
            let w = ScenarioWeights::sided(&collateral_shocks, &debt_shocks, m, maintenance, weights.haircut_bps);
            let slots = m.count as usize + 1;
            total.add_position(collateral, debt, &w, slots, remove)?;
        }
        (HealthSums::Classic(total), Margin::Classic) => {
            let mut acc = HealthAccumulator::new();
            if !collateral.is_zero() {
                acc.add_collateral_value(collateral, weights.collateral_bps)?;
            }
            if !debt.is_zero() {
                acc.add_debt_value(debt, weights.borrow_factor_bps)?;
            }
            if remove {
                sub_contribution(total, &acc.finish())?;
            } else {
                add_contribution(total, &acc.finish())?;
            }
        }
        _ => return Err(Error::MathOverflow), // sums and margin always come from one `Margin`
    }
    Ok(())
}

/// Health and the spot price of each position, in position order.
#[derive(Clone, Copy, Debug)]
pub struct HealthReading {
    pub health: Health,
    /// The margin it was computed under, and its worst scenario slot (0 under classic weights).
    pub margin: Margin,
    pub worst_slot: usize,
    /// The exact sums `health` was finished from.
    pub sums: HealthSums,
    pub spot_prices: [Wad; MAX_POSITIONS],
    /// The unweighted values `(collateral, debt)` of each position in a loaded reserve (in loaded
    /// order; zero if the obligation holds none there): what a liquidation changes.
    pub loaded_values: [(Wad, Wad); 2],
    /// The publish time and spot price of the price each loaded reserve was valued at
    /// (`i64::MIN`: not valued): the caller, which writes those reserves, records them.
    pub loaded_publish_times: [i64; 2],
    pub loaded_spot_prices: [Wad; 2],
}

impl HealthReading {
    /// Records on `reserve` (loaded slot `slot`) the price it was valued at, unless it already
    /// holds a newer one.
    pub fn record_price<R: ReserveState>(&self, slot: usize, reserve: &mut R) {
        let used = self.loaded_publish_times[slot];
        if used != i64::MIN && used >= reserve.last_price_publish_time() {
            reserve.set_last_price_publish_time(used);
            reserve.set_last_spot_price(self.loaded_spot_prices[slot]);
        }
    }
}

/// Health of the obligation holding `positions`, each valued through `retriever` (`loaded`, at
/// most two, are the reserves the caller already holds) under `margin`.
///
/// A position in a loaded reserve is valued on its own and then added, so its contribution is
/// kept; the sums are exact integer sums, so the order they are taken in does not change them.
#[inline(never)]
pub fn obligation_health<'p, S, L>(
    positions: impl Into<Held<'p, S>>,
    retriever: &L,
    loaded: &[Loaded<S::Key, L::Reserve>],
    kind: HealthKind,
    margin: &Margin,
    now_unix: i64,
) -> Result<HealthReading, L::Error>
where
    S: PositionSlot + 'p,
    L: AccountRetriever<S::Key>,
{
    let held = positions.into();
    let positions = held.positions;
    retriever.check_position_count(positions.len())?;
    let empty = HealthSums::new(margin);
    let mut reading = HealthReading {
        health: Health::default(),
        margin: *margin,
        worst_slot: 0,
        sums: empty,
        spot_prices: [Wad::ZERO; MAX_POSITIONS],
        loaded_values: [(Wad::ZERO, Wad::ZERO); 2],
        loaded_publish_times: [i64::MIN; 2],
        loaded_spot_prices: [Wad::ZERO; 2],
    };
    for (index, position) in positions.iter().enumerate().take(MAX_POSITIONS) {
        let key = *position.reserve();
        let shares = if held.is_collateral(index) { position.supply_shares() } else { 0 };
        let debt_shares = position.debt_shares();
        reading.spot_prices[index] = match loaded.iter().position(|l| l.key == key) {
            Some(slot) => {
                retriever.check_reserve(index, &key)?;
                let reserve = loaded[slot].reserve;
                let price = retriever.price(index, &key, reserve)?;
                reading.loaded_publish_times[slot] = price.publish_time;
                let sums = &mut reading.sums;
                let (spot, values) = add_position(sums, reserve, &price, shares, debt_shares, kind, margin, now_unix)?;
                reading.loaded_values[slot] = values;
                reading.loaded_spot_prices[slot] = spot;
                spot
            }
            None => {
                let (reserve, price) = retriever.reserve(index, &key)?;
                add_position(&mut reading.sums, &*reserve, &price, shares, debt_shares, kind, margin, now_unix)?.0
            }
        };
    }
    (reading.health, reading.worst_slot) = reading.sums.finish(margin);
    Ok(reading)
}

/// Initial health with the loaded reserves, required >= 0 (`InitialHealthNegative`): the check
/// after a borrow, a withdraw or a change of margin (invariant 4).
pub fn require_initial_health<'p, S, L>(
    positions: impl Into<Held<'p, S>>,
    retriever: &L,
    loaded: &[Loaded<S::Key, L::Reserve>],
    margin: &Margin,
    now_unix: i64,
) -> Result<HealthReading, L::Error>
where
    S: PositionSlot + 'p,
    L: AccountRetriever<S::Key>,
{
    let reading = obligation_health(positions, retriever, loaded, HealthKind::Initial, margin, now_unix)?;
    if !reading.health.is_healthy() {
        return Err(Error::InitialHealthNegative.into());
    }
    Ok(reading)
}

/// Maintenance health after a liquidation changed the positions in the two loaded reserves
/// (their shares and accounting): exactly what `obligation_health` would compute again. Every
/// other position's reserve, oracle and shares are unchanged, so the total before loses the two
/// old contributions and gains the two revalued at the spot prices `before` read. Returns the
/// health and its worst scenario slot.
#[inline(never)]
pub fn health_after_liquidation<S: PositionSlot, R: ReserveState>(
    before: &HealthReading,
    held: Held<'_, S>,
    loaded: &[Loaded<S::Key, R>; 2],
    now_unix: i64,
) -> EngineResult<(Health, usize)> {
    let mut total = before.sums;
    let (kind, margin) = (HealthKind::Maintenance, &before.margin);
    for (slot, l) in loaded.iter().enumerate() {
        if slot == 1 && loaded[0].key == l.key {
            break; // one reserve holds both legs: its position is recomputed once
        }
        let risk = l.reserve.risk_config_at(now_unix);
        let weights = Weights {
            collateral_bps: risk.liquidation_threshold_bps,
            borrow_factor_bps: risk.borrow_factor_bps,
            haircut_bps: BPS,
        };
        weigh(&mut total, l.reserve, &weights, before.loaded_values[slot], kind, margin, now_unix, true)?;
        let Some(index) = held.positions.iter().position(|p| *p.reserve() == l.key) else { continue };
        let valuation = Valuation::maintenance(before.spot_prices[index], &risk);
        let debt_shares = held.positions[index].debt_shares();
        let accounting = l.reserve.accrued(now_unix)?;
        let view = ReserveView { accounting: &accounting, risk: &risk, decimals: l.reserve.mint_decimals() };
        let values = position::position_values(view, &valuation, held.collateral_shares(index), debt_shares)?;
        weigh(&mut total, l.reserve, &weights, values, kind, margin, now_unix, false)?;
    }
    Ok(total.finish(&before.margin))
}

/// Adds one position's contribution to `total`, field by field as `HealthAccumulator` does.
fn add_contribution(total: &mut Health, c: &Health) -> ballast_math::MathResult<()> {
    total.collateral_value = total.collateral_value.checked_add(c.collateral_value)?;
    total.weighted_collateral = total.weighted_collateral.checked_add(c.weighted_collateral)?;
    total.debt_value = total.debt_value.checked_add(c.debt_value)?;
    total.weighted_debt = total.weighted_debt.checked_add(c.weighted_debt)?;
    Ok(())
}

/// Removes a contribution that `total` includes.
fn sub_contribution(total: &mut Health, c: &Health) -> ballast_math::MathResult<()> {
    total.collateral_value = total.collateral_value.checked_sub(c.collateral_value)?;
    total.weighted_collateral = total.weighted_collateral.checked_sub(c.weighted_collateral)?;
    total.debt_value = total.debt_value.checked_sub(c.debt_value)?;
    total.weighted_debt = total.weighted_debt.checked_sub(c.weighted_debt)?;
    Ok(())
}

/// The two legs of a liquidation and the collateral's bonus parameters, from the reserves (with
/// interest accrued to `now_unix`) and the spot prices health used. Under scenario margin each
/// leg is weighted as in the worst scenario (`slot`): the collateral by its shocked price, the
/// debt by its shocked price times the maintenance buffer.
#[allow(clippy::too_many_arguments)]
pub fn liquidation_legs(
    debt_reserve: &impl ReserveState,
    debt_shares: Wad,
    debt_price: Wad,
    collateral_reserve: &impl ReserveState,
    collateral_shares: u64,
    collateral_price: Wad,
    margin: &Margin,
    slot: usize,
    now_unix: i64,
) -> EngineResult<(Leg, Leg, BonusConfig)> {
    let (debt_accounting, collateral_accounting) =
        (debt_reserve.accrued(now_unix)?, collateral_reserve.accrued(now_unix)?);
    let (debt_risk, collateral_risk) =
        (debt_reserve.risk_config_at(now_unix), collateral_reserve.risk_config_at(now_unix));
    let (mut debt, mut collateral, bonus) = position::liquidation_legs(
        ReserveView { accounting: &debt_accounting, risk: &debt_risk, decimals: debt_reserve.mint_decimals() },
        debt_shares,
        debt_price,
        ReserveView {
            accounting: &collateral_accounting,
            risk: &collateral_risk,
            decimals: collateral_reserve.mint_decimals(),
        },
        collateral_shares,
        collateral_price,
    )?;
    if let Margin::Scenarios(m) = margin {
        let debt_weights = ScenarioWeights::new(&debt_reserve.scenario_shocks_at(now_unix, true).1, m, true, BPS);
        let collateral_shocks = collateral_reserve.scenario_shocks_at(now_unix, true).0;
        let collateral_weights = ScenarioWeights::new(&collateral_shocks, m, true, BPS);
        debt.weight_bps = debt_weights.debt_bps[slot].min(u16::MAX as u32) as u16;
        collateral.weight_bps = collateral_weights.collateral_bps[slot].min(u16::MAX as u32) as u16;
    }
    Ok((debt, collateral, bonus))
}
