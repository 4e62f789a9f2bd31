//! Obligation health: which prices and weights each valuation uses, and the one pass over an
//! obligation's positions that every caller (program, client, bot, simulator, wasm) makes.
//!
//! - Initial health (borrow power; borrow and withdraw): conservative prices, every oracle check,
//!   the circuit breaker, the volatility haircut and the USD cap.
//! - Maintenance health (liquidation): spot prices, fresh within max age; confidence and EMA
//!   never block it.

use core::ops::Deref;

use ballast_math::liquidation::{BonusConfig, Leg};
use ballast_math::position::{self, ReserveView, Valuation};
use ballast_math::{Health, HealthAccumulator, OraclePrice, Wad};

pub use ballast_math::position::HealthKind;

use crate::{EngineResult, Error, PositionSlot, ReserveState, MAX_POSITIONS};

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

/// Adds one position's collateral and debt, valued with `reserve`'s accounting accrued to
/// `now_unix` and its oracle `price` as `kind` says; returns the spot price used.
pub fn add_position(
    acc: &mut HealthAccumulator,
    reserve: &impl ReserveState,
    price: &OraclePrice,
    supply_shares: u64,
    debt_shares: Wad,
    kind: HealthKind,
    now_unix: i64,
) -> EngineResult<Wad> {
    let limits = reserve.price_limits();
    let risk = reserve.risk_config_at(now_unix);
    let valuation = match kind {
        HealthKind::Initial => {
            Valuation::initial(&price.validate(now_unix, &limits)?, &risk, &reserve.risk_controls())?
        }
        HealthKind::Maintenance => Valuation::maintenance(price.spot(now_unix, &limits)?, &risk),
    };
    // After the price's own checks, so a stale price still reads as stale.
    if price.publish_time < reserve.last_price_publish_time() {
        return Err(Error::PriceOlderThanLastUsed);
    }
    add_position_valued(acc, reserve, &risk, &valuation, supply_shares, debt_shares, now_unix)?;
    Ok(valuation.spot)
}

/// `add_position` with the prices and weights already chosen.
fn add_position_valued(
    acc: &mut HealthAccumulator,
    reserve: &impl ReserveState,
    risk: &ballast_math::RiskConfig,
    valuation: &Valuation,
    supply_shares: u64,
    debt_shares: Wad,
    now_unix: i64,
) -> EngineResult<()> {
    let accounting = reserve.accrued(now_unix)?;
    let view = ReserveView { accounting: &accounting, risk, decimals: reserve.mint_decimals() };
    position::add_position(acc, view, valuation, supply_shares, debt_shares)?;
    Ok(())
}

/// Health and the spot price of each position, in position order.
#[derive(Clone, Copy, Debug)]
pub struct HealthReading {
    pub health: Health,
    pub spot_prices: [Wad; MAX_POSITIONS],
    /// The own contribution of each position in a loaded reserve (in loaded order; zero if the
    /// obligation holds none there): what a liquidation changes.
    pub loaded_contributions: [Health; 2],
    /// The publish time of the price each loaded reserve was valued at (`i64::MIN`: not valued):
    /// the caller, which writes those reserves, records it.
    pub loaded_publish_times: [i64; 2],
}

impl HealthReading {
    /// Records on `reserve` (loaded slot `slot`) the publish time of the price it was valued at.
    pub fn record_publish_time<R: ReserveState>(&self, slot: usize, reserve: &mut R) {
        let used = self.loaded_publish_times[slot];
        if used > reserve.last_price_publish_time() {
            reserve.set_last_price_publish_time(used);
        }
    }
}

/// Health of the obligation holding `positions`, each valued through `retriever` (`loaded`, at
/// most two, are the reserves the caller already holds).
///
/// A position in a loaded reserve is valued on its own and then added, so its contribution is
/// kept; the sums are exact integer sums, so the order they are taken in does not change them.
pub fn obligation_health<S, L>(
    positions: &[S],
    retriever: &L,
    loaded: &[Loaded<S::Key, L::Reserve>],
    kind: HealthKind,
    now_unix: i64,
) -> Result<HealthReading, L::Error>
where
    S: PositionSlot,
    L: AccountRetriever<S::Key>,
{
    retriever.check_position_count(positions.len())?;
    let mut reading = HealthReading {
        health: Health::default(),
        spot_prices: [Wad::ZERO; MAX_POSITIONS],
        loaded_contributions: [Health::default(); 2],
        loaded_publish_times: [i64::MIN; 2],
    };
    let mut acc = HealthAccumulator::new();
    for (index, position) in positions.iter().enumerate().take(MAX_POSITIONS) {
        let key = *position.reserve();
        let (shares, debt_shares) = (position.supply_shares(), position.debt_shares());
        reading.spot_prices[index] = match loaded.iter().position(|l| l.key == key) {
            Some(slot) => {
                retriever.check_reserve(index, &key)?;
                let reserve = loaded[slot].reserve;
                let price = retriever.price(index, &key, reserve)?;
                reading.loaded_publish_times[slot] = price.publish_time;
                let mut own = HealthAccumulator::new();
                let spot = add_position(&mut own, reserve, &price, shares, debt_shares, kind, now_unix)?;
                reading.loaded_contributions[slot] = own.finish();
                add_contribution(&mut reading.health, &reading.loaded_contributions[slot]).map_err(Error::from)?;
                spot
            }
            None => {
                let (reserve, price) = retriever.reserve(index, &key)?;
                add_position(&mut acc, &*reserve, &price, shares, debt_shares, kind, now_unix)?
            }
        };
    }
    add_contribution(&mut reading.health, &acc.finish()).map_err(Error::from)?;
    Ok(reading)
}

/// Initial health with one loaded reserve, required >= 0 (`InitialHealthNegative`): the check
/// after a borrow or a withdraw (invariant 4).
pub fn require_initial_health<S, L>(
    positions: &[S],
    retriever: &L,
    loaded: &Loaded<S::Key, L::Reserve>,
    now_unix: i64,
) -> Result<HealthReading, L::Error>
where
    S: PositionSlot,
    L: AccountRetriever<S::Key>,
{
    let reading =
        obligation_health(positions, retriever, core::slice::from_ref(loaded), HealthKind::Initial, now_unix)?;
    if !reading.health.is_healthy() {
        return Err(Error::InitialHealthNegative.into());
    }
    Ok(reading)
}

/// Maintenance health after a liquidation changed the positions in the two loaded reserves
/// (their shares and accounting): exactly what `obligation_health` would compute again. Every
/// other position's reserve, oracle and shares are unchanged, so the total before loses the two
/// old contributions and gains the two revalued at the spot prices `before` read.
pub fn health_after_liquidation<S: PositionSlot, R: ReserveState>(
    before: &HealthReading,
    positions: &[S],
    loaded: &[Loaded<S::Key, R>; 2],
    now_unix: i64,
) -> EngineResult<Health> {
    let mut total = before.health;
    for (slot, l) in loaded.iter().enumerate() {
        if slot == 1 && loaded[0].key == l.key {
            break; // one reserve holds both legs: its position is recomputed once
        }
        sub_contribution(&mut total, &before.loaded_contributions[slot])?;
        if let Some(index) = positions.iter().position(|p| *p.reserve() == l.key) {
            let position = &positions[index];
            let mut own = HealthAccumulator::new();
            let risk = l.reserve.risk_config_at(now_unix);
            let valuation = Valuation::maintenance(before.spot_prices[index], &risk);
            let (shares, debt_shares) = (position.supply_shares(), position.debt_shares());
            add_position_valued(&mut own, l.reserve, &risk, &valuation, shares, debt_shares, now_unix)?;
            add_contribution(&mut total, &own.finish())?;
        }
    }
    Ok(total)
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
/// interest accrued to `now_unix`) and the spot prices health used.
pub fn liquidation_legs(
    debt_reserve: &impl ReserveState,
    debt_shares: Wad,
    debt_price: Wad,
    collateral_reserve: &impl ReserveState,
    collateral_shares: u64,
    collateral_price: Wad,
    now_unix: i64,
) -> EngineResult<(Leg, Leg, BonusConfig)> {
    let (debt_accounting, collateral_accounting) =
        (debt_reserve.accrued(now_unix)?, collateral_reserve.accrued(now_unix)?);
    let (debt_risk, collateral_risk) =
        (debt_reserve.risk_config_at(now_unix), collateral_reserve.risk_config_at(now_unix));
    Ok(position::liquidation_legs(
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
    )?)
}
