//! The program's valuation and instruction handlers, step for step, on in-memory copies of the
//! accounts: `programs/ballast/src/health.rs` (`add_position`, `obligation_health`,
//! `liquidation_legs`) and the deposit / withdraw / borrow / repay / liquidate handlers, with the
//! same `ballast-math` calls in the same order, so a preview fails exactly where the program
//! would, with the program's error name, and values an obligation exactly as the chain does.

use ballast_math::liquidation::{self, BonusConfig, Leg, LiquidationError, LiquidationPlan};
use ballast_math::position::{self, HealthKind, ReserveView, Valuation};
use ballast_math::{error::ConfigError, Health, HealthAccumulator, MathError, OraclePrice, ReserveAccounting, Wad};

use crate::input::{MarketAccountIn, ObligationAccountIn, ReserveState};

/// Most positions an obligation holds (`state::MAX_POSITIONS`).
pub const MAX_POSITIONS: usize = 16;

/// The program's error names (`BallastError`), plus the token program's insufficient-funds
/// failure that a transfer would hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    MarketMismatch,
    ZeroAmount,
    InsufficientLiquidity,
    SupplyCapExceeded,
    BorrowCapExceeded,
    InsufficientCollateral,
    NoDebtToRepay,
    PositionNotFound,
    ObligationFull,
    MarketPaused,
    ReserveNotActive,
    ReservePaused,
    CircuitBreakerTripped,
    UtilizationCeilingExceeded,
    ObligationHealthy,
    SelfLiquidation,
    CollateralOutBelowMinimum,
    OverLiquidation,
    LiquidationWorsensHealth,
    InitialHealthNegative,
    HealthAccountCountMismatch,
    OracleAccountMismatch,
    OracleWrongOwner,
    OracleInvalidData,
    OracleWrongFeed,
    OracleNotFullyVerified,
    OracleNotTrading,
    OracleKindUnsupported,
    PriceNotPositive,
    PriceStale,
    PriceConfidenceTooWide,
    PriceExponentOutOfRange,
    LtvNotBelowThreshold,
    LiquidationThresholdAbove100,
    BorrowFactorBelow100,
    BonusRange,
    BonusCreatesBadDebt,
    FeeAbove100,
    InvalidInterestCurve,
    InvalidMaxConfidence,
    InvalidMaxAge,
    InvalidLiquidationConfig,
    InvalidRiskControls,
    MathOverflow,
    MathUnderflow,
    DivideByZero,
    /// Not a program error: the signer's token account holds less than the transfer (SPL Token
    /// error 1, `InsufficientFunds`).
    TokenInsufficientFunds,
    /// Not a program error: the input names a reserve the caller did not supply.
    UnknownReserve,
}

impl Error {
    pub fn name(self) -> String {
        format!("{self:?}")
    }
}

impl From<MathError> for Error {
    /// `impl From<MathError> for BallastError`.
    fn from(error: MathError) -> Self {
        match error {
            MathError::Overflow => Error::MathOverflow,
            MathError::Underflow => Error::MathUnderflow,
            MathError::DivideByZero => Error::DivideByZero,
            MathError::PriceNotPositive => Error::PriceNotPositive,
            MathError::PriceStale => Error::PriceStale,
            MathError::PriceConfidenceTooWide => Error::PriceConfidenceTooWide,
            MathError::PriceExponentOutOfRange => Error::PriceExponentOutOfRange,
            MathError::ZeroAmount => Error::ZeroAmount,
            MathError::InsufficientLiquidity => Error::InsufficientLiquidity,
            MathError::SupplyCapExceeded => Error::SupplyCapExceeded,
            MathError::BorrowCapExceeded => Error::BorrowCapExceeded,
            MathError::CircuitBreakerTripped => Error::CircuitBreakerTripped,
            MathError::UtilizationCeilingExceeded => Error::UtilizationCeilingExceeded,
            MathError::InvalidConfig(config) => match config {
                ConfigError::LtvNotBelowThreshold => Error::LtvNotBelowThreshold,
                ConfigError::LiquidationThresholdAbove100 => Error::LiquidationThresholdAbove100,
                ConfigError::BorrowFactorBelow100 => Error::BorrowFactorBelow100,
                ConfigError::BonusRange => Error::BonusRange,
                ConfigError::BonusCreatesBadDebt => Error::BonusCreatesBadDebt,
                ConfigError::FeeAbove100 => Error::FeeAbove100,
                ConfigError::Curve => Error::InvalidInterestCurve,
                ConfigError::MaxConfidence => Error::InvalidMaxConfidence,
                ConfigError::MaxAge => Error::InvalidMaxAge,
                ConfigError::Liquidation => Error::InvalidLiquidationConfig,
                ConfigError::Controls => Error::InvalidRiskControls,
            },
        }
    }
}

/// `liquidate::liquidation_error`.
fn liquidation_error(error: LiquidationError) -> Error {
    match error {
        LiquidationError::Math(e) => e.into(),
        LiquidationError::Healthy => Error::ObligationHealthy,
        LiquidationError::ZeroRepay => Error::ZeroAmount,
        LiquidationError::OverLiquidation => Error::OverLiquidation,
        LiquidationError::HealthNotImproved => Error::LiquidationWorsensHealth,
    }
}

/// A reserve with its oracle's price (or the error reading it gave).
#[derive(Clone, Debug)]
pub struct Priced {
    pub state: ReserveState,
    pub price: Result<OraclePrice, Error>,
}

impl Priced {
    /// `Reserve::accrued`: the stored accounting with interest accrued to `now_unix`.
    pub fn accrued(&self, now_unix: i64) -> Result<ReserveAccounting, Error> {
        accrued_from(&self.state, self.state.accounting, now_unix)
    }
}

/// `Reserve::accrued` on `accounting` (the stored one, or one an instruction already changed).
pub fn accrued_from(
    state: &ReserveState,
    mut accounting: ReserveAccounting,
    now_unix: i64,
) -> Result<ReserveAccounting, Error> {
    // `accrue` returns at once when no time has passed.
    if now_unix <= accounting.last_update_ts {
        return Ok(accounting);
    }
    let risk = &state.risk;
    accounting.accrue(now_unix, &state.curve, risk.protocol_take_rate_bps, risk.insurance_take_rate_bps)?;
    Ok(accounting)
}

/// One position (`state::Position`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    pub reserve: String,
    pub supply_shares: u64,
    pub debt_shares: Wad,
}

impl Position {
    fn is_empty(&self) -> bool {
        self.supply_shares == 0 && self.debt_shares.is_zero()
    }
}

/// An obligation's positions in slot order (`state::Obligation`).
#[derive(Clone, Debug, Default)]
pub struct Obligation {
    pub owner: String,
    pub market: String,
    pub positions: Vec<Position>,
}

impl Obligation {
    pub fn from_account(account: &ObligationAccountIn) -> Obligation {
        let count = (account.position_count as usize).min(MAX_POSITIONS);
        Obligation {
            owner: account.owner.clone(),
            market: account.market.clone(),
            positions: account
                .positions
                .iter()
                .take(count)
                .map(|p| Position {
                    reserve: p.reserve.clone(),
                    supply_shares: p.supply_shares.0,
                    debt_shares: p.debt_shares.0,
                })
                .collect(),
        }
    }

    pub fn position_index(&self, reserve: &str) -> Option<usize> {
        self.positions.iter().position(|p| p.reserve == reserve)
    }

    /// `position_or_open`.
    fn position_or_open(&mut self, reserve: &str) -> Result<&mut Position, Error> {
        let index = match self.position_index(reserve) {
            Some(index) => index,
            None => {
                if self.positions.len() >= MAX_POSITIONS {
                    return Err(Error::ObligationFull);
                }
                self.positions.push(Position {
                    reserve: reserve.to_string(),
                    supply_shares: 0,
                    debt_shares: Wad::ZERO,
                });
                self.positions.len() - 1
            }
        };
        Ok(&mut self.positions[index])
    }

    fn position_mut(&mut self, reserve: &str) -> Result<&mut Position, Error> {
        let index = self.position_index(reserve).ok_or(Error::PositionNotFound)?;
        Ok(&mut self.positions[index])
    }

    /// `close_if_empty`: the others keep their order.
    fn close_if_empty(&mut self, reserve: &str) {
        if let Some(index) = self.position_index(reserve) {
            if self.positions[index].is_empty() {
                self.positions.remove(index);
            }
        }
    }

    pub fn has_debt(&self) -> bool {
        self.positions.iter().any(|p| !p.debt_shares.is_zero())
    }
}

/// What the engine knows: the market's reserves (with prices) and the chain clock.
pub struct Book<'a> {
    pub reserves: &'a [Priced],
    pub market: Option<&'a MarketAccountIn>,
    /// The market's address: reserves read for health must belong to it (`MarketMismatch`).
    pub market_key: Option<&'a str>,
    pub now_unix: i64,
}

/// A reserve the instruction already holds, changed (`health::LoadedReserve`).
pub struct Loaded<'a> {
    pub key: &'a str,
    pub accounting: &'a ReserveAccounting,
}

/// Health and the spot price of each position (`health::HealthReading`).
#[derive(Clone, Debug)]
pub struct Reading {
    pub health: Health,
    pub spot_prices: Vec<Wad>,
}

impl<'a> Book<'a> {
    pub fn reserve(&self, key: &str) -> Result<&'a Priced, Error> {
        self.reserves.iter().find(|r| r.state.key == key).ok_or(Error::UnknownReserve)
    }

    /// `health::add_position`: one position valued with its reserve's accounting accrued to now
    /// and its oracle price; returns the spot price used.
    pub fn add_position(
        &self,
        acc: &mut HealthAccumulator,
        priced: &Priced,
        accounting: &ReserveAccounting,
        supply_shares: u64,
        debt_shares: Wad,
        kind: HealthKind,
    ) -> Result<Wad, Error> {
        // The program reads the oracle (`read_price`) before `add_position` accrues.
        let price = priced.price?;
        let state = &priced.state;
        // `reserve.accrued(now)`; a loaded reserve's accounting is already at `now`.
        let accounting = accrued_from(state, *accounting, self.now_unix)?;
        let valuation = match kind {
            HealthKind::Initial => {
                Valuation::initial(&price.validate(self.now_unix, &state.limits)?, &state.risk, &state.controls)?
            }
            HealthKind::Maintenance => Valuation::maintenance(price.spot(self.now_unix, &state.limits)?, &state.risk),
        };
        let view = ReserveView { accounting: &accounting, risk: &state.risk, decimals: state.decimals };
        position::add_position(acc, view, &valuation, supply_shares, debt_shares)?;
        Ok(valuation.spot)
    }

    /// `health::obligation_health`, the health accounts being exactly the obligation's positions.
    pub fn obligation_health(
        &self,
        obligation: &Obligation,
        loaded: &[Loaded],
        kind: HealthKind,
    ) -> Result<Reading, Error> {
        let mut acc = HealthAccumulator::new();
        let mut spot_prices = Vec::with_capacity(obligation.positions.len());
        for position in &obligation.positions {
            let priced = self.reserve(&position.reserve)?;
            if let Some(market) = self.market_key {
                if priced.state.market != market && loaded.iter().all(|l| l.key != position.reserve) {
                    return Err(Error::MarketMismatch);
                }
            }
            let accounting = match loaded.iter().find(|l| l.key == position.reserve) {
                Some(l) => *l.accounting,
                None => priced.state.accounting,
            };
            spot_prices.push(self.add_position(
                &mut acc,
                priced,
                &accounting,
                position.supply_shares,
                position.debt_shares,
                kind,
            )?);
        }
        Ok(Reading { health: acc.finish(), spot_prices })
    }

    fn market_paused(&self) -> bool {
        self.market.is_some_and(|m| m.is_paused(self.now_unix))
    }

    /// `health::require_initial_health`.
    fn require_initial_health(&self, obligation: &Obligation, loaded: &Loaded) -> Result<Health, Error> {
        let reading = self.obligation_health(obligation, core::slice::from_ref(loaded), HealthKind::Initial)?;
        if !reading.health.is_healthy() {
            return Err(Error::InitialHealthNegative);
        }
        Ok(reading.health)
    }

    /// `health::liquidation_legs`.
    #[allow(clippy::too_many_arguments)]
    pub fn liquidation_legs(
        &self,
        debt_reserve: &Priced,
        debt_accounting: &ReserveAccounting,
        debt_shares: Wad,
        debt_price: Wad,
        collateral_reserve: &Priced,
        collateral_accounting: &ReserveAccounting,
        collateral_shares: u64,
        collateral_price: Wad,
    ) -> Result<(Leg, Leg, BonusConfig), Error> {
        let (d, c) = (&debt_reserve.state, &collateral_reserve.state);
        let debt_accounting = accrued_from(d, *debt_accounting, self.now_unix)?;
        let collateral_accounting = accrued_from(c, *collateral_accounting, self.now_unix)?;
        Ok(position::liquidation_legs(
            ReserveView { accounting: &debt_accounting, risk: &d.risk, decimals: d.decimals },
            debt_shares,
            debt_price,
            ReserveView { accounting: &collateral_accounting, risk: &c.risk, decimals: c.decimals },
            collateral_shares,
            collateral_price,
        )?)
    }
}

/// One of the four user actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    Deposit,
    Withdraw,
    Borrow,
    Repay,
}

/// What a simulated action did.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Base units transferred.
    pub amount: u64,
    /// The obligation after the action.
    pub obligation: Obligation,
    /// The acted-on reserve's accounting after the action.
    pub accounting: ReserveAccounting,
    /// Initial health the program computed (borrow, withdraw with debt).
    pub checked_health: Option<Health>,
}

impl Book<'_> {
    /// Runs `kind(amount)` on copies, exactly as the handler does; `wallet_balance` (if known)
    /// is the signer's token balance for the transfer into the vault.
    pub fn simulate(
        &self,
        obligation: &Obligation,
        kind: ActionKind,
        reserve_key: &str,
        amount: u64,
        wallet_balance: Option<u64>,
    ) -> Result<Outcome, Error> {
        let priced = self.reserve(reserve_key)?;
        let mut obligation = obligation.clone();
        match kind {
            ActionKind::Deposit => {
                if amount == 0 {
                    return Err(Error::ZeroAmount);
                }
                if self.market_paused() {
                    return Err(Error::MarketPaused);
                }
                if priced.state.status != 0 {
                    return Err(Error::ReserveNotActive);
                }
                let supply_cap = if obligation.has_debt() { u64::MAX } else { priced.state.risk.supply_cap };
                let mut accounting = priced.accrued(self.now_unix)?;
                let shares = accounting.deposit(amount, supply_cap)?;
                let position = obligation.position_or_open(reserve_key)?;
                position.supply_shares = position.supply_shares.checked_add(shares).ok_or(Error::MathOverflow)?;
                if wallet_balance.is_some_and(|b| b < amount) {
                    return Err(Error::TokenInsufficientFunds);
                }
                Ok(Outcome { amount, obligation, accounting, checked_health: None })
            }
            ActionKind::Withdraw => {
                if self.market_paused() {
                    return Err(Error::MarketPaused);
                }
                // `ReserveStatus::from_u8` maps unknown bytes to Paused.
                if priced.state.status != 0 && priced.state.status != 1 {
                    return Err(Error::ReservePaused);
                }
                let mut accounting = priced.accrued(self.now_unix)?;
                let position = obligation.position_mut(reserve_key)?;
                let held_shares = position.supply_shares;
                let (amount, shares) = if amount == u64::MAX {
                    (accounting.redeem(held_shares)?, held_shares)
                } else {
                    (amount, accounting.withdraw(amount)?)
                };
                if shares > held_shares {
                    return Err(Error::InsufficientCollateral);
                }
                position.supply_shares = held_shares - shares;
                obligation.close_if_empty(reserve_key);
                let checked_health = if obligation.has_debt() {
                    let loaded = Loaded { key: reserve_key, accounting: &accounting };
                    Some(self.require_initial_health(&obligation, &loaded)?)
                } else {
                    None
                };
                Ok(Outcome { amount, obligation, accounting, checked_health })
            }
            ActionKind::Borrow => {
                if amount == 0 {
                    return Err(Error::ZeroAmount);
                }
                if self.market_paused() {
                    return Err(Error::MarketPaused);
                }
                if priced.state.status != 0 {
                    return Err(Error::ReserveNotActive);
                }
                let mut accounting = priced.accrued(self.now_unix)?;
                let debt_shares = accounting.borrow(amount, priced.state.risk.borrow_cap)?;
                priced.state.controls.check_utilization(accounting.utilization()?)?;
                let position = obligation.position_or_open(reserve_key)?;
                position.debt_shares = position.debt_shares.checked_add(debt_shares)?;
                let loaded = Loaded { key: reserve_key, accounting: &accounting };
                let health = self.require_initial_health(&obligation, &loaded)?;
                Ok(Outcome { amount, obligation, accounting, checked_health: Some(health) })
            }
            ActionKind::Repay => {
                if amount == 0 {
                    return Err(Error::ZeroAmount);
                }
                let mut accounting = priced.accrued(self.now_unix)?;
                let position = obligation.position_mut(reserve_key)?;
                let debt_shares = position.debt_shares;
                if debt_shares.is_zero() {
                    return Err(Error::NoDebtToRepay);
                }
                let repayment = accounting.repay(amount, debt_shares)?;
                position.debt_shares = debt_shares.checked_sub(repayment.debt_shares_burned)?;
                obligation.close_if_empty(reserve_key);
                if wallet_balance.is_some_and(|b| b < repayment.amount) {
                    return Err(Error::TokenInsufficientFunds);
                }
                Ok(Outcome { amount: repayment.amount, obligation, accounting, checked_health: None })
            }
        }
    }

    /// Health of `obligation` after an outcome (`kind`), the acted-on reserve taken as changed.
    pub fn health_after(&self, outcome: &Outcome, reserve_key: &str, kind: HealthKind) -> Result<Health, Error> {
        let loaded = Loaded { key: reserve_key, accounting: &outcome.accounting };
        Ok(self.obligation_health(&outcome.obligation, core::slice::from_ref(&loaded), kind)?.health)
    }

    /// The largest amount in `1..=upper` the action accepts (acceptance only shrinks as the
    /// amount grows), or 0.
    pub fn largest_accepted(&self, obligation: &Obligation, kind: ActionKind, reserve_key: &str, upper: u64) -> u64 {
        let ok = |amount: u64| self.simulate(obligation, kind, reserve_key, amount, None).is_ok();
        if upper == 0 || !ok(1) {
            return 0;
        }
        let (mut low, mut high) = (1u64, upper);
        while low < high {
            let mid = low + (high - low).div_ceil(2);
            if ok(mid) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        low
    }

    /// `liquidate`'s handler on copies: the plan the program would execute for
    /// `(repay_amount, min_collateral_out)`, or its error.
    pub fn simulate_liquidation(
        &self,
        obligation: &Obligation,
        liquidator: &str,
        repay_key: &str,
        collateral_key: &str,
        repay_amount: u64,
        min_collateral_out: u64,
    ) -> Result<(LiquidationPlan, Health, Health), Error> {
        let market = self.market.ok_or(Error::MarketMismatch)?;
        let config = market.liquidation_config();
        if repay_amount == 0 {
            return Err(Error::ZeroAmount);
        }
        if obligation.owner == liquidator {
            return Err(Error::SelfLiquidation);
        }
        let (repay_reserve, collateral_reserve) = (self.reserve(repay_key)?, self.reserve(collateral_key)?);
        let mut repay_accounting = repay_reserve.accrued(self.now_unix)?;
        let mut collateral_accounting = collateral_reserve.accrued(self.now_unix)?;
        let mut obligation = obligation.clone();
        let before = {
            let loaded = [
                Loaded { key: repay_key, accounting: &repay_accounting },
                Loaded { key: collateral_key, accounting: &collateral_accounting },
            ];
            self.obligation_health(&obligation, &loaded, HealthKind::Maintenance)?
        };
        if before.health.is_healthy() {
            return Err(Error::ObligationHealthy);
        }
        let debt_index = obligation.position_index(repay_key).ok_or(Error::NoDebtToRepay)?;
        let collateral_index = obligation.position_index(collateral_key).ok_or(Error::PositionNotFound)?;
        let debt_shares = obligation.positions[debt_index].debt_shares;
        let collateral_shares = obligation.positions[collateral_index].supply_shares;
        if debt_shares.is_zero() {
            return Err(Error::NoDebtToRepay);
        }
        if collateral_shares == 0 {
            return Err(Error::PositionNotFound);
        }
        let (debt, collateral, bonus) = self.liquidation_legs(
            repay_reserve,
            &repay_accounting,
            debt_shares,
            before.spot_prices[debt_index],
            collateral_reserve,
            &collateral_accounting,
            collateral_shares,
            before.spot_prices[collateral_index],
        )?;
        let plan = liquidation::size_liquidation(&before.health, &debt, &collateral, &bonus, &config, repay_amount)
            .map_err(liquidation_error)?;
        if plan.liquidator_amount < min_collateral_out {
            return Err(Error::CollateralOutBelowMinimum);
        }
        let repayment = repay_accounting.repay(plan.repay_amount, debt_shares)?;
        let burned = collateral_accounting.seize(collateral_shares, plan.liquidator_amount, plan.protocol_amount)?;
        obligation.positions[debt_index].debt_shares = debt_shares.checked_sub(repayment.debt_shares_burned)?;
        obligation.positions[collateral_index].supply_shares = collateral_shares - burned;
        let after = {
            let loaded = [
                Loaded { key: repay_key, accounting: &repay_accounting },
                Loaded { key: collateral_key, accounting: &collateral_accounting },
            ];
            self.obligation_health(&obligation, &loaded, HealthKind::Maintenance)?.health
        };
        liquidation::check_outcome(&before.health, &after, plan.repays_all, &config).map_err(liquidation_error)?;
        Ok((plan, before.health, after))
    }

    /// `ballast_client::health::best_liquidation` (the largest repay the program accepts for this
    /// pair), then, as the reference bot does, the full repay when it is accepted and at least as
    /// profitable, then the liquidator's `budget` (base units of the debt token).
    pub fn best_liquidation(
        &self,
        obligation: &Obligation,
        repay_key: &str,
        collateral_key: &str,
        budget: u64,
    ) -> Result<Option<LiquidationPlan>, Error> {
        let market = self.market.ok_or(Error::MarketMismatch)?;
        let config = market.liquidation_config();
        let reading = self.obligation_health(obligation, &[], HealthKind::Maintenance)?;
        if reading.health.is_healthy() {
            return Ok(None);
        }
        let (Some(debt_index), Some(collateral_index)) =
            (obligation.position_index(repay_key), obligation.position_index(collateral_key))
        else {
            return Ok(None);
        };
        let (d, c) = (self.reserve(repay_key)?, self.reserve(collateral_key)?);
        let spot = |p: &Priced| -> Result<Wad, Error> { Ok(p.price?.spot(self.now_unix, &p.state.limits)?) };
        let (debt, collateral, bonus) = self.liquidation_legs(
            d,
            &d.state.accounting,
            obligation.positions[debt_index].debt_shares,
            spot(d)?,
            c,
            &c.state.accounting,
            obligation.positions[collateral_index].supply_shares,
            spot(c)?,
        )?;
        let health = &reading.health;
        let Some(mut plan) = liquidation::max_acceptable_repay(health, &debt, &collateral, &bonus, &config) else {
            return Ok(None);
        };
        if let Ok(full) = liquidation::plan_liquidation(health, &debt, &collateral, &bonus, &config, u64::MAX) {
            if full.repays_all && self.profit(d, c, &full)? >= self.profit(d, c, &plan)? {
                plan = full;
            }
        }
        if budget < plan.repay_amount {
            return Ok(liquidation::plan_liquidation(health, &debt, &collateral, &bonus, &config, budget).ok());
        }
        Ok(Some(plan))
    }

    /// The liquidator's gain in USD (Wad, signed): collateral received at its spot price (rounded
    /// down) less the repay at the debt's spot price (rounded up).
    pub fn profit(&self, debt: &Priced, collateral: &Priced, plan: &LiquidationPlan) -> Result<i128, Error> {
        let spot = |p: &Priced| -> Result<Wad, Error> { Ok(p.price?.spot(self.now_unix, &p.state.limits)?) };
        let received = ballast_math::health::token_value(
            Wad::from_u64(plan.liquidator_amount),
            collateral.state.decimals,
            spot(collateral)?,
            ballast_math::Rounding::Down,
        )?;
        let paid = ballast_math::health::token_value(
            Wad::from_u64(plan.repay_amount),
            debt.state.decimals,
            spot(debt)?,
            ballast_math::Rounding::Up,
        )?;
        let clamp = |w: Wad| w.0.min(i128::MAX as u128) as i128;
        Ok(clamp(received) - clamp(paid))
    }
}
