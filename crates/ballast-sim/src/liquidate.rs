//! The simulator's book as the engine's state: reserves implement `ballast_engine::ReserveState`,
//! obligations are position slots (16, as the program's), health is the engine's health pass and
//! every action is the engine's operation, run on copies and written back only when it succeeds
//! (a failed action changes nothing).
//!
//! This is the small public API the differential tests (against the real runtime) call.

use ballast_engine::operations::{self, LiquidationReserves, LiquidationSetup, Payout};
use ballast_engine::policy::{plan_within_limits, RepayLimits};
use ballast_engine::{
    AccountRetriever, HealthKind, Loaded, Margin, MarketState, OwnedReserve, PositionSlot, Positions, ReserveState,
};
use ballast_math::liquidation::{plan_liquidation, LiquidationConfig, LiquidationPlan};
use ballast_math::{max_borrow, Health, MathResult, OraclePrice, Rounding, Wad};

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

/// An obligation's positions (fixed array, like the zero-copy account), in the engine's slots.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ObligationState {
    pub positions: [Position; MAX_SIM_POSITIONS],
    pub len: u8,
}

impl Positions for ObligationState {
    type Slot = Position;

    fn slots(&self) -> &[Position] {
        &self.positions
    }
    fn slots_mut(&mut self) -> &mut [Position] {
        &mut self.positions
    }
    fn position_count(&self) -> usize {
        self.len as usize
    }
    fn set_position_count(&mut self, count: usize) {
        self.len = count as u8;
    }
}

impl ObligationState {
    pub fn active(&self) -> &[Position] {
        self.active_positions()
    }
}

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

/// The market as the operations read it: never paused.
pub fn market_state(config: &LiquidationConfig) -> MarketState {
    MarketState { paused_until: i64::MIN, liquidation: *config, ..Default::default() }
}

/// Health of `obligation` (`kind`) at `now_unix`: the engine's health pass over the book.
pub fn health(
    reserves: &[SimReserve],
    obligation: &ObligationState,
    kind: HealthKind,
    now_unix: i64,
) -> Result<Health, Error> {
    // The simulated market holds no stress scenarios: every obligation is margined classically.
    let margin = Margin::Classic;
    Ok(ballast_engine::obligation_health(obligation.active(), &BookRetriever(reserves), &[], kind, &margin, now_unix)?
        .health)
}

/// Maintenance health (spot prices, liquidation thresholds).
pub fn maintenance_health(
    reserves: &[SimReserve],
    obligation: &ObligationState,
    now_unix: i64,
) -> Result<Health, Error> {
    health(reserves, obligation, HealthKind::Maintenance, now_unix)
}

/// Initial health (borrow power), as borrow and withdraw check it: every oracle check, the
/// circuit breaker, the haircut and the USD cap.
pub fn initial_health(reserves: &[SimReserve], obligation: &ObligationState, now_unix: i64) -> Result<Health, Error> {
    health(reserves, obligation, HealthKind::Initial, now_unix)
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

/// The engine's liquidation setup for one pair, reserves as they are (accrued by the caller).
pub fn setup_liquidation(
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
    let margin = Margin::Classic;
    Ok(operations::liquidation_setup(obligation.active(), &BookRetriever(reserves), &loaded, &margin, now_unix)?)
}

/// The plan for `request`: the instruction's sizing for an amount, the liquidation policy's
/// largest acceptable repay for `Max`.
pub fn plan_for(
    setup: &LiquidationSetup,
    config: &LiquidationConfig,
    request: RepayRequest,
) -> Result<LiquidationPlan, SimLiquidationError> {
    match request {
        RepayRequest::Amount(0) => Err(Error::ZeroAmount.into()),
        RepayRequest::Amount(amount) => {
            Ok(plan_liquidation(&setup.reading.health, &setup.debt, &setup.collateral, &setup.bonus, config, amount)
                .map_err(Error::from)?)
        }
        RepayRequest::Max => plan_within_limits(setup, config, RepayLimits { budget: u64::MAX, margin_bps: 0 })
            .and_then(|limited| limited.plan)
            .ok_or(SimLiquidationError::NoAcceptableRepay),
    }
}

/// The program's liquidation (`repay_amount` requested) on copies of the reserves and the
/// obligation, written back only when it succeeds. With `receive_shares` the liquidator takes
/// the collateral as supply shares (into an obligation the simulator does not track), so a
/// drained vault does not stop it.
#[allow(clippy::too_many_arguments)]
pub fn apply_liquidation(
    reserves: &mut [SimReserve],
    obligation: &mut ObligationState,
    config: &LiquidationConfig,
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
    let outcome = operations::liquidate(
        &market_state(config),
        false,
        &mut after,
        pair,
        payout,
        &BookRetriever(reserves),
        repay_amount,
        0,
        now_unix,
    )?;
    reserves[repay_reserve].reserve = repay;
    if repay_reserve != collateral_reserve {
        reserves[collateral_reserve].reserve = collateral;
    }
    *obligation = after;
    Ok(outcome)
}

/// Applies one liquidation to this position state, as the `liquidate` instruction would at
/// `now_unix` after a bot sized it: accrues every reserve the obligation touches, sizes the
/// request (`Max`: the liquidation policy), then runs the program's liquidation.
pub fn liquidate(
    reserves: &mut [SimReserve],
    obligation: &mut ObligationState,
    config: &LiquidationConfig,
    repay_reserve: usize,
    collateral_reserve: usize,
    request: RepayRequest,
    now_unix: i64,
) -> Result<LiquidationOutcome, SimLiquidationError> {
    for p in obligation.active() {
        reserves[p.reserve as usize].accrue(now_unix).map_err(Error::from)?;
    }
    let repay_amount = match request {
        RepayRequest::Amount(amount) => amount,
        RepayRequest::Max => {
            let setup = setup_liquidation(reserves, obligation, repay_reserve, collateral_reserve, now_unix)?;
            plan_for(&setup, config, request)?.repay_amount
        }
    };
    apply_liquidation(reserves, obligation, config, repay_reserve, collateral_reserve, repay_amount, false, now_unix)
}

/// The program's borrow on copies (market never paused), written back only when it succeeds:
/// liquidity, cap, utilisation ceiling and initial health after.
pub fn borrow(
    reserves: &mut [SimReserve],
    obligation: &mut ObligationState,
    reserve: usize,
    amount: u64,
    now_unix: i64,
) -> Result<Wad, Error> {
    let mut state = reserves.get(reserve).map(|r| r.reserve).ok_or(Error::HealthAccountCountMismatch)?;
    let mut after = *obligation;
    let market = market_state(&LiquidationConfig::default());
    let outcome = operations::borrow(
        &market,
        &(reserve as u8),
        &mut state,
        &mut after,
        &BookRetriever(reserves),
        amount,
        now_unix,
    )?;
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

/// The program's `socialize_loss` of every debt of an obligation whose collateral is gone (or
/// dust while it is liquidatable); returns each write-off `(reserve, outcome)` (a failed one
/// changes nothing and is skipped).
pub fn socialize_all(
    reserves: &mut [SimReserve],
    obligation: &mut ObligationState,
    config: &LiquidationConfig,
    now_unix: i64,
) -> Vec<(usize, Result<operations::SocializeLossOutcome, Error>)> {
    let debts: Vec<u8> =
        obligation.active().iter().filter(|p| !p.debt_shares().is_zero()).map(|p| *p.reserve()).collect();
    let market = market_state(config);
    debts
        .into_iter()
        .map(|key| {
            let r = key as usize;
            let (mut copy, mut after) = (reserves[r].reserve, *obligation);
            let retriever = BookRetriever(reserves);
            let result = operations::socialize_loss(&market, &key, &mut copy, &mut after, &retriever, now_unix);
            if result.is_ok() {
                reserves[r].reserve = copy;
                *obligation = after;
            }
            (r, result)
        })
        .collect()
}

/// The most base units of `reserve` the obligation may still borrow so that its initial health
/// after stays at or above `(1 - usage) x` its weighted collateral (usage 100% = the limit), via
/// `ballast_math::max_borrow` at the validated high price.
pub fn borrow_room(
    reserves: &[SimReserve],
    obligation: &ObligationState,
    reserve: usize,
    usage_bps: u16,
    now_unix: i64,
) -> Result<u64, Error> {
    let health = initial_health(reserves, obligation, now_unix)?;
    let r = &reserves[reserve];
    let high = r.oracle.validate(now_unix, &r.limits)?.high;
    let target =
        Health { weighted_collateral: health.weighted_collateral.mul_bps(usage_bps as u64, Rounding::Down)?, ..health };
    Ok(max_borrow(&target, r.decimals, high, r.risk.borrow_factor_bps)?)
}
