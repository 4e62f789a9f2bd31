//! One obligation's state and the one liquidation step, with the valuation the program uses
//! (`ballast_math::position`: `add_position`, `liquidation_legs`) and the steps of
//! instructions/liquidate.rs: maintenance health at spot x liquidation threshold and debt x
//! borrow factor, legs from the accrued accounting, sizing by `size_liquidation`, then
//! `ReserveAccounting::repay` and `::seize`, the health recomputed from the updated positions and
//! `check_outcome` on it. A failed liquidation changes nothing.
//!
//! This is the small public API the differential tests (against the real runtime) call.

use ballast_math::liquidation::{
    check_outcome, max_acceptable_repay, size_liquidation, BonusConfig, Leg, LiquidationConfig, LiquidationError,
    LiquidationPlan,
};
use ballast_math::position::{self, ReserveView, Valuation};
use ballast_math::{
    max_borrow, Health, HealthAccumulator, InterestCurve, MathError, MathResult, OraclePrice, PriceLimits,
    ReserveAccounting, RiskConfig, RiskControls, Rounding, Wad,
};

/// Positions one simulated obligation may hold (the program allows 16; the generator uses 3).
pub const MAX_SIM_POSITIONS: usize = 4;

/// A reserve as the program holds it: config, accounting and the oracle price in force.
#[derive(Clone, Debug)]
pub struct ReserveState {
    pub decimals: u8,
    pub risk: RiskConfig,
    pub curve: InterestCurve,
    pub limits: PriceLimits,
    pub accounting: ReserveAccounting,
    /// The oracle account's content (spot, conf, EMA, exponent, publish time).
    pub oracle: OraclePrice,
    /// Circuit breaker, haircut, USD cap, utilisation ceiling (initial health and borrows).
    pub controls: RiskControls,
}

impl ReserveState {
    /// What `ballast_math::position` needs to value this reserve's positions.
    pub fn view(&self) -> ReserveView<'_> {
        ReserveView { accounting: &self.accounting, risk: &self.risk, decimals: self.decimals }
    }

    /// `ReserveAccounting::accrue` with this reserve's curve and take rates (as `Reserve::accrued`).
    pub fn accrue(&mut self, now_unix: i64) -> MathResult<()> {
        self.accounting.accrue(
            now_unix,
            &self.curve,
            self.risk.protocol_take_rate_bps,
            self.risk.insurance_take_rate_bps,
        )
    }

    /// Maintenance price: `OraclePrice::spot` (positive and fresh; conf and EMA never block).
    pub fn spot(&self, now_unix: i64) -> MathResult<Wad> {
        self.oracle.spot(now_unix, &self.limits)
    }
}

/// One position of an obligation: `{reserve, supply_shares, debt_shares}` as on-chain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub reserve: u8,
    pub supply_shares: u64,
    pub debt_shares: Wad,
}

/// An obligation's positions (fixed array, like the zero-copy account).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ObligationState {
    pub positions: [Position; MAX_SIM_POSITIONS],
    pub len: u8,
}

impl ObligationState {
    pub fn active(&self) -> &[Position] {
        &self.positions[..self.len as usize]
    }

    pub fn index_of(&self, reserve: usize) -> Option<usize> {
        self.active().iter().position(|p| p.reserve as usize == reserve)
    }

    /// The position for `reserve`, created if absent; `None` when the array is full.
    pub fn position_mut(&mut self, reserve: usize) -> Option<&mut Position> {
        let i = match self.index_of(reserve) {
            Some(i) => i,
            None => {
                if self.len as usize >= MAX_SIM_POSITIONS {
                    return None;
                }
                self.positions[self.len as usize] = Position { reserve: reserve as u8, ..Default::default() };
                self.len += 1;
                self.len as usize - 1
            }
        };
        Some(&mut self.positions[i])
    }

    pub fn has_debt(&self) -> bool {
        self.active().iter().any(|p| !p.debt_shares.is_zero())
    }

    pub fn has_collateral(&self) -> bool {
        self.active().iter().any(|p| p.supply_shares > 0)
    }
}

/// One position's maintenance contribution: `ballast_math::position::add_position` at spot.
pub fn add_position_maintenance(
    acc: &mut HealthAccumulator,
    reserve: &ReserveState,
    spot: Wad,
    position: &Position,
) -> MathResult<()> {
    let valuation = Valuation::maintenance(spot, &reserve.risk);
    position::add_position(acc, reserve.view(), &valuation, position.supply_shares, position.debt_shares)
}

/// Maintenance health of `obligation` with the given per-reserve spot prices.
pub fn maintenance_health(
    reserves: &[ReserveState],
    spots: &[Wad],
    obligation: &ObligationState,
) -> MathResult<Health> {
    let mut acc = HealthAccumulator::new();
    for p in obligation.active() {
        let r = p.reserve as usize;
        add_position_maintenance(&mut acc, &reserves[r], spots[r], p)?;
    }
    Ok(acc.finish())
}

/// Initial health (borrow power) of `obligation`, as the program's borrow and withdraw compute
/// it: `ballast_math::position` with every oracle check, the circuit breaker, the haircut and the
/// USD cap.
pub fn initial_health(reserves: &[ReserveState], obligation: &ObligationState, now_unix: i64) -> MathResult<Health> {
    let mut acc = HealthAccumulator::new();
    for p in obligation.active() {
        let r = &reserves[p.reserve as usize];
        let valuation = Valuation::initial(&r.oracle.validate(now_unix, &r.limits)?, &r.risk, &r.controls)?;
        position::add_position(&mut acc, r.view(), &valuation, p.supply_shares, p.debt_shares)?;
    }
    Ok(acc.finish())
}

/// The legs of a liquidation: `ballast_math::position::liquidation_legs`.
pub fn liquidation_legs(
    debt_reserve: &ReserveState,
    debt_shares: Wad,
    debt_price: Wad,
    collateral_reserve: &ReserveState,
    collateral_shares: u64,
    collateral_price: Wad,
) -> MathResult<(Leg, Leg, BonusConfig)> {
    position::liquidation_legs(
        debt_reserve.view(),
        debt_shares,
        debt_price,
        collateral_reserve.view(),
        collateral_shares,
        collateral_price,
    )
}

/// How much the liquidator asks to repay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepayRequest {
    /// Exactly what the instruction's `repay_amount` would be: sized by `size_liquidation`.
    Amount(u64),
    /// The largest acceptable repay (`max_acceptable_repay`), what a bot asks for.
    Max,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimLiquidationError {
    Math(MathError),
    Liquidation(LiquidationError),
    /// `repay_reserve == collateral_reserve` (the program rejects aliased accounts).
    SameReserve,
    /// No debt in the repay reserve (`NoDebtToRepay`).
    NoDebtToRepay,
    /// No collateral in the collateral reserve (`PositionNotFound`).
    NoCollateral,
    /// `RepayRequest::Max` and no repay is acceptable.
    NoAcceptableRepay,
}

impl From<MathError> for SimLiquidationError {
    fn from(e: MathError) -> Self {
        SimLiquidationError::Math(e)
    }
}

impl From<LiquidationError> for SimLiquidationError {
    fn from(e: LiquidationError) -> Self {
        SimLiquidationError::Liquidation(e)
    }
}

/// What one liquidation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiquidationOutcome {
    pub plan: LiquidationPlan,
    /// Maintenance health before and after (recomputed from the updated positions).
    pub before: Health,
    pub after: Health,
    pub debt_shares_burned: Wad,
    pub collateral_shares_burned: u64,
    pub debt_price: Wad,
    pub collateral_price: Wad,
}

/// Everything a liquidation of one (debt, collateral) pair needs, before anything changes.
#[derive(Clone, Copy, Debug)]
pub struct LiquidationSetup {
    pub before: Health,
    pub debt: Leg,
    pub collateral: Leg,
    pub bonus: BonusConfig,
    pub debt_index: usize,
    pub collateral_index: usize,
}

/// Health and legs as liquidate.rs computes them (reserves already accrued to now).
pub fn setup_liquidation(
    reserves: &[ReserveState],
    spots: &[Wad],
    obligation: &ObligationState,
    repay_reserve: usize,
    collateral_reserve: usize,
) -> Result<LiquidationSetup, SimLiquidationError> {
    if repay_reserve == collateral_reserve {
        return Err(SimLiquidationError::SameReserve);
    }
    let before = maintenance_health(reserves, spots, obligation)?;
    if before.is_healthy() {
        return Err(LiquidationError::Healthy.into());
    }
    let debt_index = obligation.index_of(repay_reserve).ok_or(SimLiquidationError::NoDebtToRepay)?;
    let collateral_index = obligation.index_of(collateral_reserve).ok_or(SimLiquidationError::NoCollateral)?;
    let debt_shares = obligation.positions[debt_index].debt_shares;
    let collateral_shares = obligation.positions[collateral_index].supply_shares;
    if debt_shares.is_zero() {
        return Err(SimLiquidationError::NoDebtToRepay);
    }
    if collateral_shares == 0 {
        return Err(SimLiquidationError::NoCollateral);
    }
    let (debt, collateral, bonus) = liquidation_legs(
        &reserves[repay_reserve],
        debt_shares,
        spots[repay_reserve],
        &reserves[collateral_reserve],
        collateral_shares,
        spots[collateral_reserve],
    )?;
    Ok(LiquidationSetup { before, debt, collateral, bonus, debt_index, collateral_index })
}

/// The plan for `request`: `size_liquidation` for an amount (as the instruction sizes it; the
/// outcome is checked on the recomputed health in `apply_plan`), `max_acceptable_repay` for `Max`.
pub fn plan_for(
    setup: &LiquidationSetup,
    config: &LiquidationConfig,
    request: RepayRequest,
) -> Result<LiquidationPlan, SimLiquidationError> {
    match request {
        RepayRequest::Amount(amount) => {
            if amount == 0 {
                return Err(LiquidationError::ZeroRepay.into());
            }
            Ok(size_liquidation(&setup.before, &setup.debt, &setup.collateral, &setup.bonus, config, amount)?)
        }
        RepayRequest::Max => max_acceptable_repay(&setup.before, &setup.debt, &setup.collateral, &setup.bonus, config)
            .ok_or(SimLiquidationError::NoAcceptableRepay),
    }
}

/// Applies `plan` (repay, seize, update positions, recompute health, `check_outcome`); on any
/// error the reserves and the obligation are left as they were.
#[allow(clippy::too_many_arguments)]
pub fn apply_plan(
    reserves: &mut [ReserveState],
    spots: &[Wad],
    obligation: &mut ObligationState,
    config: &LiquidationConfig,
    repay_reserve: usize,
    collateral_reserve: usize,
    setup: &LiquidationSetup,
    plan: LiquidationPlan,
) -> Result<LiquidationOutcome, SimLiquidationError> {
    let debt_shares = obligation.positions[setup.debt_index].debt_shares;
    let collateral_shares = obligation.positions[setup.collateral_index].supply_shares;
    let mut repay_accounting = reserves[repay_reserve].accounting;
    let mut collateral_accounting = reserves[collateral_reserve].accounting;
    let repayment = repay_accounting.repay(plan.repay_amount, debt_shares)?;
    let burned = collateral_accounting.seize(collateral_shares, plan.liquidator_amount, plan.protocol_amount)?;

    let saved = (reserves[repay_reserve].accounting, reserves[collateral_reserve].accounting, *obligation);
    reserves[repay_reserve].accounting = repay_accounting;
    reserves[collateral_reserve].accounting = collateral_accounting;
    obligation.positions[setup.debt_index].debt_shares = debt_shares.checked_sub(repayment.debt_shares_burned)?;
    obligation.positions[setup.collateral_index].supply_shares = collateral_shares - burned;

    let checked =
        maintenance_health(reserves, spots, obligation).map_err(SimLiquidationError::from).and_then(|after| {
            check_outcome(&setup.before, &after, plan.repays_all, config).map(|_| after).map_err(Into::into)
        });
    match checked {
        Ok(after) => Ok(LiquidationOutcome {
            plan,
            before: setup.before,
            after,
            debt_shares_burned: repayment.debt_shares_burned,
            collateral_shares_burned: burned,
            debt_price: setup.debt.price,
            collateral_price: setup.collateral.price,
        }),
        Err(e) => {
            reserves[repay_reserve].accounting = saved.0;
            reserves[collateral_reserve].accounting = saved.1;
            *obligation = saved.2;
            Err(e)
        }
    }
}

/// Applies one liquidation to this position state, as the `liquidate` instruction would at
/// `now_unix`: accrues every reserve the obligation touches, reads spot prices from the
/// reserves' oracles, sizes with `size_liquidation` (or `max_acceptable_repay`), repays, seizes,
/// and checks the outcome. Returns the repay and seized amounts (`outcome.plan`).
pub fn liquidate(
    reserves: &mut [ReserveState],
    obligation: &mut ObligationState,
    config: &LiquidationConfig,
    repay_reserve: usize,
    collateral_reserve: usize,
    request: RepayRequest,
    now_unix: i64,
) -> Result<LiquidationOutcome, SimLiquidationError> {
    let mut spots = vec![Wad::ZERO; reserves.len()];
    for p in obligation.active() {
        let r = p.reserve as usize;
        reserves[r].accrue(now_unix)?;
        spots[r] = reserves[r].spot(now_unix)?;
    }
    let setup = setup_liquidation(reserves, &spots, obligation, repay_reserve, collateral_reserve)?;
    let plan = plan_for(&setup, config, request)?;
    apply_plan(reserves, &spots, obligation, config, repay_reserve, collateral_reserve, &setup, plan)
}

/// The most base units of `reserve` the obligation may still borrow so that its initial health
/// after stays at or above `(1 - usage) x` its weighted collateral (usage 100% = the limit), via
/// `ballast_math::max_borrow` at the validated high price.
pub fn borrow_room(
    reserves: &[ReserveState],
    obligation: &ObligationState,
    reserve: usize,
    usage_bps: u16,
    now_unix: i64,
) -> MathResult<u64> {
    let health = initial_health(reserves, obligation, now_unix)?;
    let r = &reserves[reserve];
    let high = r.oracle.validate(now_unix, &r.limits)?.high;
    let target =
        Health { weighted_collateral: health.weighted_collateral.mul_bps(usage_bps as u64, Rounding::Down)?, ..health };
    max_borrow(&target, r.decimals, high, r.risk.borrow_factor_bps)
}
