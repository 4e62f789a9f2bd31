//! A reserve as the engine reads it: stored accounting, configuration and status, and the one
//! accrual rule (interest accrues to `now` before anything reads or changes the accounting).

use ballast_math::liquidation::SeizurePacing;
use ballast_math::scenario::{ScenarioShocks, MAX_SCENARIOS};
use ballast_math::treasury::TreasuryConfig;
use ballast_math::window::{DecayingTotal, OutflowLimit};
use ballast_math::{
    InterestCurve, MathResult, PriceLimits, ReserveAccounting, RiskConfig, RiskControls, RiskRamp, Wad,
};

/// What a reserve currently allows. None of the states blocks repay or liquidation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ReserveStatus {
    /// Everything.
    Active = 0,
    /// Only actions that reduce exposure: withdraw, repay, liquidate.
    ReduceOnly = 1,
    /// Only repay and liquidate.
    Paused = 2,
}

impl ReserveStatus {
    pub fn from_u8(value: u8) -> Option<ReserveStatus> {
        match value {
            0 => Some(ReserveStatus::Active),
            1 => Some(ReserveStatus::ReduceOnly),
            2 => Some(ReserveStatus::Paused),
            _ => None,
        }
    }
}

/// A reserve's state, however it is stored (the program's zero-copy account, a decoded account,
/// the simulator's book).
pub trait ReserveState {
    /// The accounting as stored (interest accrued to `last_update_ts`).
    fn accounting(&self) -> ReserveAccounting;
    fn set_accounting(&mut self, accounting: &ReserveAccounting);
    fn interest_curve(&self) -> InterestCurve;
    /// The configured risk parameters (the target of a ramp in progress).
    fn risk_config(&self) -> RiskConfig;
    /// A tightening of the threshold or borrow factor in progress (none by default).
    fn risk_ramp(&self) -> RiskRamp {
        RiskRamp::default()
    }
    fn risk_controls(&self) -> RiskControls;
    fn price_limits(&self) -> PriceLimits;
    fn mint_decimals(&self) -> u8;
    fn status(&self) -> ReserveStatus;
    /// Debt written off beyond what insurance covered (base units).
    fn socialized_loss(&self) -> Wad;
    fn set_socialized_loss(&mut self, loss: Wad);
    /// The newest oracle publish time an instruction that wrote this reserve has used: an
    /// older price is refused (no replaying an older update to choose a price).
    fn last_price_publish_time(&self) -> i64;
    fn set_last_price_publish_time(&mut self, publish_time: i64);

    /// The reserve's shock in each of the market's stress scenarios, with its ramp (none by
    /// default).
    fn scenario_shocks(&self) -> ScenarioShocks {
        ScenarioShocks::default()
    }

    /// The collateral's liquidation pacing: depth budget and recent seizures (never paced by
    /// default).
    fn seizure_pacing(&self) -> SeizurePacing {
        SeizurePacing::default()
    }
    fn set_seizure_window(&mut self, _window: &DecayingTotal) {}

    /// The outflow limit and the window's net outflow so far (no limit by default).
    fn outflow(&self) -> ReserveOutflow {
        ReserveOutflow::default()
    }
    fn set_outflow_window(&mut self, _window: &DecayingTotal) {}

    /// The insurance floor and the flash-loan fee (flash loans off by default).
    fn treasury(&self) -> TreasuryConfig {
        TreasuryConfig { insurance_floor: 0, flash_loan_fee_bps: ballast_math::treasury::FLASH_LOANS_DISABLED }
    }
    /// Base units lent by the flash loan open in this transaction (0: none).
    fn flash_loan_amount(&self) -> u64 {
        0
    }
    fn set_flash_loan_amount(&mut self, _amount: u64) {}

    /// The spot price (USD per whole token) the newest price recorded with
    /// `last_price_publish_time` gave: what a partial repay, which reads no oracle, values the
    /// debt it leaves at for the minimum-debt rule (zero: never recorded, no check).
    fn last_spot_price(&self) -> Wad {
        Wad::ZERO
    }
    fn set_last_spot_price(&mut self, _price: Wad) {}

    /// The shocks scenario margin weighs `(collateral, debt)` with at `now_unix`
    /// (`ScenarioShocks::for_health`).
    fn scenario_shocks_at(&self, now_unix: i64, maintenance: bool) -> ([i16; MAX_SCENARIOS], [i16; MAX_SCENARIOS]) {
        self.scenario_shocks().for_health(now_unix, maintenance)
    }

    /// The risk parameters in force at `now_unix`: what valuation and liquidation read.
    fn risk_config_at(&self, now_unix: i64) -> RiskConfig {
        self.risk_ramp().in_force(&self.risk_config(), now_unix)
    }

    /// The accounting with interest accrued to `now_unix`; the reserve itself is not changed.
    fn accrued(&self, now_unix: i64) -> MathResult<ReserveAccounting> {
        let mut accounting = self.accounting();
        // `accrue` returns at once when no time has passed: skip building the curve for it.
        if now_unix <= accounting.last_update_ts {
            return Ok(accounting);
        }
        let risk = self.risk_config();
        accounting.accrue(
            now_unix,
            &self.interest_curve(),
            risk.protocol_take_rate_bps,
            risk.insurance_take_rate_bps,
        )?;
        Ok(accounting)
    }
}

/// A reserve's outflow limit and the net outflow counted in its window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReserveOutflow {
    pub limit: OutflowLimit,
    pub window: DecayingTotal,
}

/// A reserve held by value (a decoded account, the simulator's book).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OwnedReserve {
    pub accounting: ReserveAccounting,
    pub curve: InterestCurve,
    pub risk: RiskConfig,
    pub controls: RiskControls,
    pub limits: PriceLimits,
    pub decimals: u8,
    pub status: ReserveStatus,
    pub socialized_loss: Wad,
    pub ramp: RiskRamp,
    pub last_price_publish_time: i64,
    pub scenario_shocks: ScenarioShocks,
    pub pacing: SeizurePacing,
    pub outflow: ReserveOutflow,
    pub treasury: TreasuryConfig,
    pub flash_loan_amount: u64,
    pub last_spot_price: Wad,
}

impl OwnedReserve {
    /// A copy of any stored reserve's state (a decoded account, for example).
    pub fn copy_of(reserve: &impl ReserveState) -> OwnedReserve {
        OwnedReserve {
            accounting: reserve.accounting(),
            curve: reserve.interest_curve(),
            risk: reserve.risk_config(),
            controls: reserve.risk_controls(),
            limits: reserve.price_limits(),
            decimals: reserve.mint_decimals(),
            status: reserve.status(),
            socialized_loss: reserve.socialized_loss(),
            ramp: reserve.risk_ramp(),
            last_price_publish_time: reserve.last_price_publish_time(),
            scenario_shocks: reserve.scenario_shocks(),
            pacing: reserve.seizure_pacing(),
            outflow: reserve.outflow(),
            treasury: reserve.treasury(),
            flash_loan_amount: reserve.flash_loan_amount(),
            last_spot_price: reserve.last_spot_price(),
        }
    }
}

impl ReserveState for OwnedReserve {
    fn accounting(&self) -> ReserveAccounting {
        self.accounting
    }
    fn set_accounting(&mut self, accounting: &ReserveAccounting) {
        self.accounting = *accounting;
    }
    fn interest_curve(&self) -> InterestCurve {
        self.curve
    }
    fn risk_config(&self) -> RiskConfig {
        self.risk
    }
    fn risk_ramp(&self) -> RiskRamp {
        self.ramp
    }
    fn scenario_shocks(&self) -> ScenarioShocks {
        self.scenario_shocks
    }
    fn seizure_pacing(&self) -> SeizurePacing {
        self.pacing
    }
    fn set_seizure_window(&mut self, window: &DecayingTotal) {
        self.pacing.window = *window;
    }
    fn outflow(&self) -> ReserveOutflow {
        self.outflow
    }
    fn set_outflow_window(&mut self, window: &DecayingTotal) {
        self.outflow.window = *window;
    }
    fn treasury(&self) -> TreasuryConfig {
        self.treasury
    }
    fn flash_loan_amount(&self) -> u64 {
        self.flash_loan_amount
    }
    fn set_flash_loan_amount(&mut self, amount: u64) {
        self.flash_loan_amount = amount;
    }
    fn last_spot_price(&self) -> Wad {
        self.last_spot_price
    }
    fn set_last_spot_price(&mut self, price: Wad) {
        self.last_spot_price = price;
    }
    fn risk_controls(&self) -> RiskControls {
        self.controls
    }
    fn price_limits(&self) -> PriceLimits {
        self.limits
    }
    fn mint_decimals(&self) -> u8 {
        self.decimals
    }
    fn status(&self) -> ReserveStatus {
        self.status
    }
    fn socialized_loss(&self) -> Wad {
        self.socialized_loss
    }
    fn set_socialized_loss(&mut self, loss: Wad) {
        self.socialized_loss = loss;
    }
    fn last_price_publish_time(&self) -> i64 {
        self.last_price_publish_time
    }
    fn set_last_price_publish_time(&mut self, publish_time: i64) {
        self.last_price_publish_time = publish_time;
    }
}
