//! The market's collateral ratios at a glance (the dApp's Risk page, the e2e's reference tool):
//! over a set of obligations, each valued by [`obligation_health`] at maintenance under its own
//! margin,
//!
//! - the distribution of health factors, weighted by debt ([`HealthHistogram`]);
//! - per collateral reserve, the debt of obligations liquidatable when only that reserve's price
//!   drops by 0%, 5%, ..., 60% ([`LiquidationMap`]);
//! - per stress scenario of the market, the debt liquidatable and the bad debt (debt worth more
//!   than collateral) at the scenario's prices ([`ScenarioOutcome`]).
//!
//! A shock is a retriever wrapper ([`ShockedRetriever`]) that scales the oracle prices the inner
//! retriever returns, so shocked health is the one valuation, at other prices. Nothing here
//! allocates: the caller owns the per-reserve maps (any `AsMut<[LiquidationMap<K>]>`).

use ballast_math::scenario::MAX_SCENARIOS;
use ballast_math::{mul_div, Health, OraclePrice, Rounding, Wad, BPS_DENOMINATOR};

use crate::health::{obligation_health, AccountRetriever, HealthKind, Margin};
use crate::market::MarketState;
use crate::{EngineResult, Error, PositionSlot, Positions, ReserveState, MAX_POSITIONS};

/// The liquidation map's price drops: 0%, 5%, ..., 60%.
pub const DROP_STEP_BPS: u16 = 500;
pub const DROP_STEPS: usize = 13;

/// Lower edges of the health-factor buckets (bps of HF): `< 1.0`, `1.0-1.05`, `1.05-1.1`,
/// `1.1-1.25`, `1.25-1.5`, `1.5-2.0`, `>= 2.0`.
pub const HF_EDGES_BPS: [u16; 6] = [10_000, 10_500, 11_000, 12_500, 15_000, 20_000];
pub const HF_BUCKETS: usize = HF_EDGES_BPS.len() + 1;

const BPS: u64 = BPS_DENOMINATOR as u64;

/// The drop of step `step`, bps.
pub fn drop_bps(step: usize) -> u16 {
    step as u16 * DROP_STEP_BPS
}

/// The bucket of a health factor (`None`: no debt).
pub fn hf_bucket(health_factor: Option<Wad>) -> Option<usize> {
    health_factor.map(|hf| HF_EDGES_BPS.iter().filter(|edge| hf >= Wad::from_bps(**edge as u64)).count())
}

/// Which prices a shock moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriceShock<K> {
    /// Nothing moves.
    None,
    /// One reserve's price falls by `drop_bps`; every other price stays.
    Drop { reserve: K, drop_bps: u16 },
    /// Every reserve's price moves by its configured shock in the market's scenario `index`
    /// (`ReserveState::scenario_shocks`: the scenario as the risk authority defined it, not the
    /// part a ramp has phased in, which only governs margin).
    Scenario(usize),
}

/// `price` times `factor_bps / 10,000`: the spot, the EMA and both confidences, each rounded
/// down (unsigned division), a positive price kept at least one unit (a -100% shock leaves the
/// smallest price, not an unusable one).
pub fn shocked_price(price: &OraclePrice, factor_bps: u64) -> EngineResult<OraclePrice> {
    if factor_bps == BPS {
        return Ok(*price);
    }
    let scale = |value: u64| -> EngineResult<u64> {
        let scaled = mul_div(value as u128, factor_bps as u128, BPS_DENOMINATOR, Rounding::Down)?;
        u64::try_from(scaled).map_err(|_| Error::MathOverflow)
    };
    let scale_price = |value: i64| -> EngineResult<i64> {
        if value <= 0 {
            return Ok(value); // left for the price checks to refuse
        }
        i64::try_from(scale(value as u64)?.max(1)).map_err(|_| Error::MathOverflow)
    };
    Ok(OraclePrice {
        price: scale_price(price.price)?,
        conf: scale(price.conf)?,
        ema_price: scale_price(price.ema_price)?,
        ema_conf: scale(price.ema_conf)?,
        ..*price
    })
}

/// Reads reserves through `inner` and returns their prices shocked as `shock` says.
pub struct ShockedRetriever<'a, L, K> {
    pub inner: &'a L,
    pub shock: PriceShock<K>,
}

impl<L, K: PartialEq> ShockedRetriever<'_, L, K> {
    /// The factor (bps) the shock applies to reserve `key`.
    fn factor_bps(&self, key: &K, reserve: &impl ReserveState) -> u64 {
        match &self.shock {
            PriceShock::None => BPS,
            PriceShock::Drop { reserve: shocked, drop_bps } if shocked == key => BPS.saturating_sub(*drop_bps as u64),
            PriceShock::Drop { .. } => BPS,
            PriceShock::Scenario(index) => {
                let shock = reserve.scenario_shocks().shocks_bps.get(*index).copied().unwrap_or(0);
                (BPS as i64 + shock as i64).max(0) as u64
            }
        }
    }
}

impl<'a, L: AccountRetriever<K>, K: PartialEq> AccountRetriever<K> for ShockedRetriever<'a, L, K> {
    type Reserve = L::Reserve;
    type ReserveRef<'r>
        = L::ReserveRef<'r>
    where
        Self: 'r;
    type Error = L::Error;

    fn check_position_count(&self, count: usize) -> Result<(), L::Error> {
        self.inner.check_position_count(count)
    }
    fn check_reserve(&self, index: usize, reserve: &K) -> Result<(), L::Error> {
        self.inner.check_reserve(index, reserve)
    }
    fn reserve(&self, index: usize, key: &K) -> Result<(L::ReserveRef<'_>, OraclePrice), L::Error> {
        let (reserve, price) = self.inner.reserve(index, key)?;
        let price = shocked_price(&price, self.factor_bps(key, &*reserve))?;
        Ok((reserve, price))
    }
    fn price(&self, index: usize, key: &K, reserve: &L::Reserve) -> Result<OraclePrice, L::Error> {
        let price = self.inner.price(index, key, reserve)?;
        Ok(shocked_price(&price, self.factor_bps(key, reserve))?)
    }
}

/// Maintenance health of `obligation` (under its own margin) with prices shocked as `shock` says.
pub fn shocked_health<P, L>(
    obligation: &P,
    retriever: &L,
    market: &MarketState,
    shock: PriceShock<<P::Slot as PositionSlot>::Key>,
    now_unix: i64,
) -> Result<Health, L::Error>
where
    P: Positions,
    L: AccountRetriever<<P::Slot as PositionSlot>::Key>,
{
    let margin = Margin::for_obligation(market, obligation, now_unix);
    let shocked = ShockedRetriever { inner: retriever, shock };
    Ok(obligation_health(obligation.held(), &shocked, &[], HealthKind::Maintenance, &margin, now_unix)?.health)
}

/// Debt worth more than collateral, unweighted, at the prices `health` was valued at.
pub fn bad_debt(health: &Health) -> Wad {
    health.debt_value.saturating_sub(health.collateral_value)
}

/// One obligation's maintenance health now, in each of the market's scenarios, and with each of
/// its collateral reserves' prices dropped step by step.
#[derive(Clone, Copy, Debug)]
pub struct ObligationRisk {
    pub health: Health,
    /// Slot `s`: the market's scenario `s` (only the first `MarketState::scenarios.count`;
    /// without debt, `health`).
    pub scenarios: [Health; MAX_SCENARIOS],
    /// Per position (in position order), for a position holding collateral while the obligation
    /// has debt: the health at each drop of that reserve's price (step 0 = `health`).
    pub drops: [Option<[Health; DROP_STEPS]>; MAX_POSITIONS],
}

/// Values `obligation` now, in every scenario of `market` and at every drop of each of its
/// collateral reserves' prices.
pub fn obligation_risk<P, L>(
    obligation: &P,
    retriever: &L,
    market: &MarketState,
    now_unix: i64,
) -> Result<ObligationRisk, L::Error>
where
    P: Positions,
    L: AccountRetriever<<P::Slot as PositionSlot>::Key>,
{
    let health = shocked_health(obligation, retriever, market, PriceShock::None, now_unix)?;
    let mut risk = ObligationRisk { health, scenarios: [health; MAX_SCENARIOS], drops: [None; MAX_POSITIONS] };
    if health.debt_value.is_zero() {
        return Ok(risk); // no price makes it liquidatable or leaves bad debt: nothing to shock
    }
    let count = (market.scenarios.count as usize).min(MAX_SCENARIOS);
    for (index, slot) in risk.scenarios.iter_mut().enumerate().take(count) {
        *slot = shocked_health(obligation, retriever, market, PriceShock::Scenario(index), now_unix)?;
    }
    for (index, position) in obligation.active_positions().iter().enumerate().take(MAX_POSITIONS) {
        if position.supply_shares() == 0 {
            continue;
        }
        let mut ladder = [health; DROP_STEPS];
        for (step, rung) in ladder.iter_mut().enumerate().skip(1) {
            let shock = PriceShock::Drop { reserve: *position.reserve(), drop_bps: drop_bps(step) };
            *rung = shocked_health(obligation, retriever, market, shock, now_unix)?;
        }
        risk.drops[index] = Some(ladder);
    }
    Ok(risk)
}

/// Debt (USD, unweighted, at today's prices) per health-factor bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HealthHistogram {
    pub debt_usd: [Wad; HF_BUCKETS],
    pub obligations: [u32; HF_BUCKETS],
    /// Obligations without debt (no health factor).
    pub no_debt_obligations: u32,
}

/// One collateral reserve's liquidation map: at each drop of its price alone, the debt (USD at
/// the dropped prices) of obligations holding it that are then liquidatable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiquidationMap<K> {
    pub reserve: K,
    pub liquidatable_debt_usd: [Wad; DROP_STEPS],
    /// The part of `liquidatable_debt_usd` whose obligations were not liquidatable one step
    /// before (step 0: all of it).
    pub newly_liquidatable_debt_usd: [Wad; DROP_STEPS],
    pub liquidatable_obligations: [u32; DROP_STEPS],
}

impl<K> LiquidationMap<K> {
    pub fn new(reserve: K) -> Self {
        LiquidationMap {
            reserve,
            liquidatable_debt_usd: [Wad::ZERO; DROP_STEPS],
            newly_liquidatable_debt_usd: [Wad::ZERO; DROP_STEPS],
            liquidatable_obligations: [0; DROP_STEPS],
        }
    }
}

/// One scenario's outcome over the market: debt (USD at the scenario's prices) of obligations
/// liquidatable in it, and the bad debt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScenarioOutcome {
    pub liquidatable_debt_usd: Wad,
    pub liquidatable_obligations: u32,
    pub bad_debt_usd: Wad,
}

/// The market's risk overview: totals over every obligation added.
#[derive(Clone, Debug)]
pub struct MarketRisk<M> {
    pub histogram: HealthHistogram,
    /// One map per collateral reserve, as the caller listed them.
    pub maps: M,
    /// The first `scenario_count` are the market's scenarios.
    pub scenarios: [ScenarioOutcome; MAX_SCENARIOS],
    pub scenario_count: usize,
    pub obligations: u32,
    /// Obligations that could not be valued (a stale price, a reserve not supplied).
    pub errors: u32,
    pub debt_usd: Wad,
    pub collateral_usd: Wad,
}

impl<M> MarketRisk<M> {
    /// An empty overview over `maps` (one per collateral reserve to map) for `market`.
    pub fn new(maps: M, market: &MarketState) -> Self {
        MarketRisk {
            histogram: HealthHistogram::default(),
            maps,
            scenarios: [ScenarioOutcome::default(); MAX_SCENARIOS],
            scenario_count: (market.scenarios.count as usize).min(MAX_SCENARIOS),
            obligations: 0,
            errors: 0,
            debt_usd: Wad::ZERO,
            collateral_usd: Wad::ZERO,
        }
    }

    /// Adds `obligation`, valued through `retriever` in `market` at `now_unix`; one that cannot
    /// be valued is counted in `errors` and adds nothing else.
    pub fn add<P, L>(&mut self, obligation: &P, retriever: &L, market: &MarketState, now_unix: i64)
    where
        P: Positions,
        L: AccountRetriever<<P::Slot as PositionSlot>::Key>,
        M: AsMut<[LiquidationMap<<P::Slot as PositionSlot>::Key>]>,
    {
        let added = obligation_risk(obligation, retriever, market, now_unix)
            .ok()
            .and_then(|risk| self.add_risk(obligation, &risk).ok());
        if added.is_none() {
            self.errors += 1;
        }
    }

    /// Adds one obligation's valuation (`obligation_risk`). On an error (a sum past the Wad
    /// range) the totals may be partly changed.
    pub fn add_risk<P>(&mut self, obligation: &P, risk: &ObligationRisk) -> EngineResult<()>
    where
        P: Positions,
        M: AsMut<[LiquidationMap<<P::Slot as PositionSlot>::Key>]>,
    {
        let health = &risk.health;
        self.obligations += 1;
        self.debt_usd = self.debt_usd.checked_add(health.debt_value)?;
        self.collateral_usd = self.collateral_usd.checked_add(health.collateral_value)?;
        match hf_bucket(health.health_factor()) {
            None => self.histogram.no_debt_obligations += 1,
            Some(bucket) => {
                self.histogram.obligations[bucket] += 1;
                let total = &mut self.histogram.debt_usd[bucket];
                *total = total.checked_add(health.debt_value)?;
            }
        }
        for (outcome, shocked) in self.scenarios.iter_mut().zip(&risk.scenarios).take(self.scenario_count) {
            if !shocked.is_healthy() {
                outcome.liquidatable_obligations += 1;
                outcome.liquidatable_debt_usd = outcome.liquidatable_debt_usd.checked_add(shocked.debt_value)?;
            }
            outcome.bad_debt_usd = outcome.bad_debt_usd.checked_add(bad_debt(shocked))?;
        }
        for (position, ladder) in obligation.active_positions().iter().zip(&risk.drops) {
            let (Some(ladder), Some(map)) =
                (ladder, self.maps.as_mut().iter_mut().find(|m| m.reserve == *position.reserve()))
            else {
                continue;
            };
            for (step, rung) in ladder.iter().enumerate() {
                if rung.is_healthy() {
                    continue;
                }
                map.liquidatable_obligations[step] += 1;
                let debt = &mut map.liquidatable_debt_usd[step];
                *debt = debt.checked_add(rung.debt_value)?;
                if step == 0 || ladder[step - 1].is_healthy() {
                    let newly = &mut map.newly_liquidatable_debt_usd[step];
                    *newly = newly.checked_add(rung.debt_value)?;
                }
            }
        }
        Ok(())
    }
}

/// The overview of `obligations` in `market` at `now_unix`, with one map per reserve in `maps`.
pub fn market_risk<'o, P, L, M>(
    obligations: impl IntoIterator<Item = &'o P>,
    retriever: &L,
    market: &MarketState,
    maps: M,
    now_unix: i64,
) -> MarketRisk<M>
where
    P: Positions + 'o,
    L: AccountRetriever<<P::Slot as PositionSlot>::Key>,
    M: AsMut<[LiquidationMap<<P::Slot as PositionSlot>::Key>]>,
{
    let mut risk = MarketRisk::new(maps, market);
    for obligation in obligations {
        risk.add(obligation, retriever, market, now_unix);
    }
    risk
}
