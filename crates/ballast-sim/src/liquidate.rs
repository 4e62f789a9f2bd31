//! The simulator's book as the engine's state: reserves implement `ballast_engine::ReserveState`,
//! obligations are position slots (16, as the program's), health is the engine's health pass and
//! every action is the engine's operation, run on copies and written back only when it succeeds
//! (a failed action changes nothing).
//!
//! This is the small public API the differential tests (against the real runtime) call.

use ballast_engine::operations::{self, LiquidationReserves, LiquidationSetup, LiquidationTerms, Payout};
use ballast_engine::policy::{plan_within_limits, RepayLimits};
use ballast_engine::{
    AccountRetriever, HealthKind, HealthReading, Loaded, Margin, MarginMode, MarketState, OwnedReserve, PositionSlot,
    Positions, ReserveState,
};
use ballast_math::liquidation::{plan_liquidation, LiquidationConfig, LiquidationPlan};
use ballast_math::{Health, MathResult, OraclePrice, Wad};

pub use ballast_engine::operations::LiquidateOutcome as LiquidationOutcome;
pub use ballast_engine::Error;

/// Positions one simulated obligation may hold: the program's.
pub const MAX_SIM_POSITIONS: usize = ballast_engine::MAX_POSITIONS;

/// A reserve as the program holds it (config, accounting: the engine's `OwnedReserve`, which it
/// derefs to) and the oracle price in force.
#[derive(Clone, Debug)]
pub struct SimReserve {
    pub reserve: OwnedReserve,
    /// The oracle account's content (spot, conf, EMA, exponent, publish time).
    pub oracle: OraclePrice,
}

impl core::ops::Deref for SimReserve {
    type Target = OwnedReserve;
    fn deref(&self) -> &OwnedReserve {
        &self.reserve
    }
}

impl core::ops::DerefMut for SimReserve {
    fn deref_mut(&mut self) -> &mut OwnedReserve {
        &mut self.reserve
    }
}

impl SimReserve {
    /// Interest accrued to `now_unix`, kept (as an instruction touching the reserve keeps it).
    pub fn accrue(&mut self, now_unix: i64) -> MathResult<()> {
        self.reserve.accounting = self.reserve.accrued(now_unix)?;
        Ok(())
    }

    /// Maintenance price: `OraclePrice::spot` (positive and fresh; conf and EMA never block).
    pub fn spot(&self, now_unix: i64) -> MathResult<Wad> {
        self.oracle.spot(now_unix, &self.limits)
    }
}

/// One position of an obligation: `{reserve index, supply_shares, debt_shares}`.
pub type Position = ballast_engine::Position<u8>;

/// An obligation's positions (fixed slots, like the zero-copy account), its margin mode (classic
/// weights or the market's stress scenarios) and the Dutch auction's clock: the engine's own
/// owned slots, which its operations change as the program's do.
pub type ObligationState = ballast_engine::PositionSlots<u8, MAX_SIM_POSITIONS>;

/// The book as the engine's retriever: a position's key is its reserve's index.
pub struct BookRetriever<'a>(pub &'a [SimReserve]);

impl<'a> BookRetriever<'a> {
    fn get(&self, key: u8) -> Result<&'a SimReserve, Error> {
        self.0.get(key as usize).ok_or(Error::HealthAccountCountMismatch)
    }
}

impl<'a> AccountRetriever<u8> for BookRetriever<'a> {
    type Reserve = OwnedReserve;
    type ReserveRef<'r>
        = &'a OwnedReserve
    where
        Self: 'r;
    type Error = Error;

    fn reserve(&self, _index: usize, reserve: &u8) -> Result<(&'a OwnedReserve, OraclePrice), Error> {
        let sim = self.get(*reserve)?;
        Ok((&sim.reserve, sim.oracle))
    }
    fn price(&self, _index: usize, key: &u8, _reserve: &OwnedReserve) -> Result<OraclePrice, Error> {
        Ok(self.get(*key)?.oracle)
    }
}

/// A market without stress scenarios as the operations read it: never paused, these liquidation
/// knobs (what the market-free helpers below run in).
pub fn market_state(config: &LiquidationConfig) -> MarketState {
    MarketState { paused_until: i64::MIN, liquidation: *config, ..Default::default() }
}

/// The engine's health pass over the book under the obligation's margin in `market`
/// (`Margin::for_obligation`, as every instruction picks it), with the exact per-scenario sums.
pub fn reading(
    market: &MarketState,
    reserves: &[SimReserve],
    obligation: &ObligationState,
    kind: HealthKind,
    now_unix: i64,
) -> Result<HealthReading, Error> {
    let margin = Margin::for_obligation(market, obligation, now_unix);
    ballast_engine::obligation_health(obligation.held(), &BookRetriever(reserves), &[], kind, &margin, now_unix)
}

/// Health of `obligation` (`kind`) in `market` at `now_unix`.
pub fn health(
    market: &MarketState,
    reserves: &[SimReserve],
    obligation: &ObligationState,
    kind: HealthKind,
    now_unix: i64,
) -> Result<Health, Error> {
    Ok(reading(market, reserves, obligation, kind, now_unix)?.health)
}

/// Maintenance health (spot prices, liquidation thresholds) in a market without stress scenarios.
pub fn maintenance_health(
    reserves: &[SimReserve],
    obligation: &ObligationState,
    now_unix: i64,
) -> Result<Health, Error> {
    health(&MarketState::default(), reserves, obligation, HealthKind::Maintenance, now_unix)
}

/// Initial health (borrow power), as borrow and withdraw check it: every oracle check, the
/// circuit breaker, the haircut and the USD cap; in a market without stress scenarios.
pub fn initial_health(reserves: &[SimReserve], obligation: &ObligationState, now_unix: i64) -> Result<Health, Error> {
    health(&MarketState::default(), reserves, obligation, HealthKind::Initial, now_unix)
}

/// How much the liquidator asks to repay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepayRequest {
    /// Exactly what the instruction's `repay_amount` would be.
    Amount(u64),
    /// The largest acceptable repay (the liquidation policy), what a bot asks for.
    Max,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimLiquidationError {
    /// The program's error.
    Engine(Error),
    /// `RepayRequest::Max` and no repay is acceptable.
    NoAcceptableRepay,
}

impl From<Error> for SimLiquidationError {
    fn from(e: Error) -> Self {
        SimLiquidationError::Engine(e)
    }
}

/// The engine's liquidation setup for one pair in `market`, reserves as they are (accrued by the
/// caller).
pub fn setup_liquidation(
    market: &MarketState,
    reserves: &[SimReserve],
    obligation: &ObligationState,
    repay_reserve: usize,
    collateral_reserve: usize,
    now_unix: i64,
) -> Result<LiquidationSetup, SimLiquidationError> {
    let reserve = |r: usize| reserves.get(r).map(|r| &r.reserve).ok_or(Error::HealthAccountCountMismatch);
    let loaded = [
        Loaded { key: repay_reserve as u8, reserve: reserve(repay_reserve)? },
        Loaded { key: collateral_reserve as u8, reserve: reserve(collateral_reserve)? },
    ];
    let terms = LiquidationTerms::of(market, obligation, now_unix);
    Ok(operations::liquidation_setup(obligation.held(), &BookRetriever(reserves), &loaded, &terms, now_unix)?)
}

/// The plan for `request`, on the setup's knobs (a payout in tokens, paced when the collateral
/// is over its depth budget): the instruction's sizing for an amount, the liquidation policy's
/// largest acceptable repay for `Max`.
pub fn plan_for(setup: &LiquidationSetup, request: RepayRequest) -> Result<LiquidationPlan, SimLiquidationError> {
    let (health, config) = (&setup.reading.health, &setup.config);
    match request {
        RepayRequest::Amount(0) => Err(Error::ZeroAmount.into()),
        RepayRequest::Amount(amount) => {
            Ok(plan_liquidation(health, &setup.debt, &setup.collateral, &setup.bonus, config, amount)
                .map_err(Error::from)?)
        }
        RepayRequest::Max => plan_within_limits(setup, RepayLimits { budget: u64::MAX, margin_bps: 0 })
            .and_then(|limited| limited.plan)
            .ok_or(SimLiquidationError::NoAcceptableRepay),
    }
}

/// The program's liquidation (`repay_amount` requested) in `market` on copies of the reserves
/// and the obligation, written back only when it succeeds. With `receive_shares` the liquidator
/// takes the collateral as supply shares (into an obligation the simulator does not track), so a
/// drained vault does not stop it.
#[allow(clippy::too_many_arguments)]
pub fn apply_liquidation(
    market: &MarketState,
    reserves: &mut [SimReserve],
    obligation: &mut ObligationState,
    repay_reserve: usize,
    collateral_reserve: usize,
    repay_amount: u64,
    receive_shares: bool,
    now_unix: i64,
) -> Result<LiquidationOutcome, SimLiquidationError> {
    let reserve = |r: usize| reserves.get(r).map(|r| r.reserve).ok_or(Error::HealthAccountCountMismatch);
    let (mut repay, mut collateral) = (reserve(repay_reserve)?, reserve(collateral_reserve)?);
    let mut after = *obligation;
    let (repay_key, collateral_key) = (repay_reserve as u8, collateral_reserve as u8);
    let pair = LiquidationReserves::of_copies(repay_key, &mut repay, collateral_key, &mut collateral);
    let mut receiver = ObligationState::default();
    let payout = if receive_shares { Payout::SupplyShares(&mut receiver) } else { Payout::Tokens };
    let retriever = BookRetriever(reserves);
    let outcome =
        operations::liquidate(market, false, &mut after, pair, payout, &retriever, repay_amount, 0, now_unix)?;
    reserves[repay_reserve].reserve = repay;
    if repay_reserve != collateral_reserve {
        reserves[collateral_reserve].reserve = collateral;
    }
    *obligation = after;
    Ok(outcome)
}

/// Applies one liquidation to this position state, as the `liquidate` instruction would at
/// `now_unix` after a bot sized it, in a market without stress scenarios: accrues every reserve
/// the obligation touches, sizes the request (`Max`: the liquidation policy), then runs the
/// program's liquidation.
pub fn liquidate(
    reserves: &mut [SimReserve],
    obligation: &mut ObligationState,
    config: &LiquidationConfig,
    repay_reserve: usize,
    collateral_reserve: usize,
    request: RepayRequest,
    now_unix: i64,
) -> Result<LiquidationOutcome, SimLiquidationError> {
    let market = market_state(config);
    for p in obligation.active_positions() {
        reserves[p.reserve as usize].accrue(now_unix).map_err(Error::from)?;
    }
    let repay_amount = match request {
        RepayRequest::Amount(amount) => amount,
        RepayRequest::Max => {
            let setup = setup_liquidation(&market, reserves, obligation, repay_reserve, collateral_reserve, now_unix)?;
            plan_for(&setup, request)?.repay_amount
        }
    };
    let (repay, collateral) = (repay_reserve, collateral_reserve);
    apply_liquidation(&market, reserves, obligation, repay, collateral, repay_amount, false, now_unix)
}

/// The program's `mark_liquidatable` in `market` on a copy, written back only when it succeeds:
/// starts the Dutch auction's clock on a liquidatable obligation (kept if it runs) or stops it on
/// a healthy one (`ObligationHealthy` when there is nothing to record). Returns the clock after.
pub fn mark_liquidatable(
    market: &MarketState,
    reserves: &[SimReserve],
    obligation: &mut ObligationState,
    now_unix: i64,
) -> Result<i64, Error> {
    let mut after = *obligation;
    let outcome = operations::mark_liquidatable(market, &mut after, &BookRetriever(reserves), now_unix)?;
    *obligation = after;
    Ok(outcome.liquidatable_since_ts)
}

/// The program's borrow in `market` on copies, written back only when it succeeds: liquidity,
/// cap, utilisation ceiling and initial health after, under the obligation's margin.
pub fn borrow(
    market: &MarketState,
    reserves: &mut [SimReserve],
    obligation: &mut ObligationState,
    reserve: usize,
    amount: u64,
    now_unix: i64,
) -> Result<Wad, Error> {
    let mut state = reserves.get(reserve).map(|r| r.reserve).ok_or(Error::HealthAccountCountMismatch)?;
    let mut after = *obligation;
    let retriever = BookRetriever(reserves);
    let outcome = operations::borrow(market, &(reserve as u8), &mut state, &mut after, &retriever, amount, now_unix)?;
    reserves[reserve].reserve = state;
    *obligation = after;
    Ok(outcome.debt_shares_added)
}

/// The program's deposit (market never paused), written back only when it succeeds.
pub fn deposit(
    reserves: &mut [SimReserve],
    obligation: &mut ObligationState,
    reserve: usize,
    amount: u64,
    now_unix: i64,
) -> Result<u64, Error> {
    let mut after = *obligation;
    let state = reserves.get_mut(reserve).ok_or(Error::HealthAccountCountMismatch)?;
    let mut copy = state.reserve;
    let market = market_state(&LiquidationConfig::default());
    let outcome = operations::deposit(&market, &(reserve as u8), &mut copy, &mut after, amount, now_unix)?;
    state.reserve = copy;
    *obligation = after;
    Ok(outcome.supply_shares_minted)
}

/// The program's `set_margin_mode` in `market` on a copy, written back only when it succeeds
/// (`ScenarioMarginDisabled` in a market without scenarios; with debt, initial health under the
/// new mode must be >= 0).
pub fn set_margin_mode(
    market: &MarketState,
    reserves: &[SimReserve],
    obligation: &mut ObligationState,
    mode: MarginMode,
    now_unix: i64,
) -> Result<Health, Error> {
    let mut after = *obligation;
    let health = operations::set_margin_mode(market, &mut after, mode, &BookRetriever(reserves), now_unix)?;
    *obligation = after;
    Ok(health)
}

/// The program's `socialize_loss` in `market` of every debt of an obligation whose collateral is
/// gone (or dust while it is liquidatable, `operations::write_off_allowed`); returns each
/// write-off `(reserve, outcome)` (a failed one changes nothing and is skipped).
pub fn socialize_all(
    market: &MarketState,
    reserves: &mut [SimReserve],
    obligation: &mut ObligationState,
    now_unix: i64,
) -> Vec<(usize, Result<operations::SocializeLossOutcome, Error>)> {
    let debts: Vec<u8> =
        obligation.active_positions().iter().filter(|p| !p.debt_shares().is_zero()).map(|p| *p.reserve()).collect();
    debts
        .into_iter()
        .map(|key| {
            let r = key as usize;
            let (mut copy, mut after) = (reserves[r].reserve, *obligation);
            let retriever = BookRetriever(reserves);
            let result = operations::socialize_loss(market, &key, &mut copy, &mut after, &retriever, now_unix);
            if result.is_ok() {
                reserves[r].reserve = copy;
                *obligation = after;
            }
            (r, result)
        })
        .collect()
}

/// The most base units of `reserve` the obligation may still borrow in `market` so that its
/// initial health after stays within `usage` of its weighted collateral (usage 100% = the
/// limit) in every slot its margin weighs: the engine's `borrow_power::max_borrow` at the
/// validated high price.
pub fn borrow_room(
    market: &MarketState,
    reserves: &[SimReserve],
    obligation: &ObligationState,
    reserve: usize,
    usage_bps: u16,
    now_unix: i64,
) -> Result<u64, Error> {
    let initial = reading(market, reserves, obligation, HealthKind::Initial, now_unix)?;
    let r = &reserves[reserve];
    let high = r.oracle.validate(now_unix, &r.limits)?.high;
    ballast_engine::borrow_power::max_borrow(&initial, &r.reserve, high, usage_bps, now_unix)
}
