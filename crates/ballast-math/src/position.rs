//! One position's contribution to health, and the legs of a liquidation: the single wiring of
//! prices, weights, risk controls and share conversions that the program, the client, the
//! simulator and the bot all use.
//!
//! - Initial health (borrow power, for borrow and withdraw): collateral at its low price times
//!   the LTV after the volatility haircut, its amount scaled by the reserve's USD cap; debt at its
//!   high price times the borrow factor; every oracle check and the circuit breaker apply.
//! - Maintenance health (liquidation): spot prices, liquidation threshold, borrow factor.

use crate::health::token_value;
use crate::liquidation::{BonusConfig, Leg};
use crate::price::ValidatedPrice;
use crate::{HealthAccumulator, MathResult, ReserveAccounting, RiskConfig, RiskControls, Rounding, Wad};

/// Which prices and weights a health computation uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HealthKind {
    Initial,
    Maintenance,
}

/// What valuing one reserve's positions needs: its accounting (interest already accrued), risk
/// parameters and mint decimals.
#[derive(Clone, Copy, Debug)]
pub struct ReserveView<'a> {
    pub accounting: &'a ReserveAccounting,
    pub risk: &'a RiskConfig,
    pub decimals: u8,
}

/// The prices and collateral weight one position is valued at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Valuation {
    pub collateral_price: Wad,
    pub debt_price: Wad,
    pub collateral_weight_bps: u16,
    /// The USD cap on the reserve's collateral (`u64::MAX`: none; maintenance never caps).
    pub collateral_value_cap_usd: u64,
    pub spot: Wad,
}

impl Valuation {
    /// Maintenance: spot prices and the liquidation threshold.
    pub fn maintenance(spot: Wad, risk: &RiskConfig) -> Valuation {
        Valuation {
            collateral_price: spot,
            debt_price: spot,
            collateral_weight_bps: risk.liquidation_threshold_bps,
            collateral_value_cap_usd: u64::MAX,
            spot,
        }
    }

    /// Initial: conservative prices, the circuit breaker (an error while tripped), the
    /// volatility haircut on the LTV and the USD cap.
    pub fn initial(price: &ValidatedPrice, risk: &RiskConfig, controls: &RiskControls) -> MathResult<Valuation> {
        controls.check_breaker(price)?;
        Ok(Valuation {
            collateral_price: price.low,
            debt_price: price.high,
            collateral_weight_bps: controls.haircut_ltv_bps(risk.ltv_bps, price),
            collateral_value_cap_usd: controls.collateral_value_cap_usd,
            spot: price.spot,
        })
    }
}

/// Adds a position of `supply_shares` and `debt_shares` in `reserve` to `acc`, valued at `v`.
/// Collateral amounts round down, debt amounts up.
pub fn add_position(
    acc: &mut HealthAccumulator,
    reserve: ReserveView,
    v: &Valuation,
    supply_shares: u64,
    debt_shares: Wad,
) -> MathResult<()> {
    let (collateral, debt) = position_values(reserve, v, supply_shares, debt_shares)?;
    if supply_shares > 0 {
        acc.add_collateral_value(collateral, v.collateral_weight_bps)?;
    }
    if !debt_shares.is_zero() {
        acc.add_debt_value(debt, reserve.risk.borrow_factor_bps)?;
    }
    Ok(())
}

/// The USD values (Wads) of a position's collateral (capped as `v` says, rounded down) and debt
/// (rounded up) at `v`'s prices, unweighted: what classic weights and scenario margin both
/// start from.
pub fn position_values(
    reserve: ReserveView,
    v: &Valuation,
    supply_shares: u64,
    debt_shares: Wad,
) -> MathResult<(Wad, Wad)> {
    let mut collateral = Wad::ZERO;
    if supply_shares > 0 {
        let mut amount = reserve.accounting.liquidity_for_shares(supply_shares)?;
        if v.collateral_value_cap_usd != u64::MAX {
            let controls =
                RiskControls { collateral_value_cap_usd: v.collateral_value_cap_usd, ..RiskControls::default() };
            amount = controls.capped_collateral(
                amount,
                reserve.accounting.total_liquidity()?,
                reserve.decimals,
                v.collateral_price,
            )?;
        }
        collateral = token_value(amount, reserve.decimals, v.collateral_price, Rounding::Down)?;
    }
    let mut debt = Wad::ZERO;
    if !debt_shares.is_zero() {
        let amount = reserve.accounting.debt_amount(debt_shares, Rounding::Up)?;
        debt = token_value(amount, reserve.decimals, v.debt_price, Rounding::Up)?;
    }
    Ok((collateral, debt))
}

/// The two legs of a liquidation and the collateral's bonus parameters, at the spot prices health
/// used.
pub fn liquidation_legs(
    debt_reserve: ReserveView,
    debt_shares: Wad,
    debt_price: Wad,
    collateral_reserve: ReserveView,
    collateral_shares: u64,
    collateral_price: Wad,
) -> MathResult<(Leg, Leg, BonusConfig)> {
    let debt = Leg {
        amount: debt_reserve.accounting.debt_amount(debt_shares, Rounding::Up)?,
        price: debt_price,
        decimals: debt_reserve.decimals,
        weight_bps: debt_reserve.risk.borrow_factor_bps,
    };
    let collateral = Leg {
        amount: collateral_reserve.accounting.liquidity_for_shares(collateral_shares)?,
        price: collateral_price,
        decimals: collateral_reserve.decimals,
        weight_bps: collateral_reserve.risk.liquidation_threshold_bps,
    };
    let bonus = BonusConfig {
        min_bonus_bps: collateral_reserve.risk.min_liquidation_bonus_bps,
        max_bonus_bps: collateral_reserve.risk.max_liquidation_bonus_bps,
        protocol_fee_bps: collateral_reserve.risk.protocol_liquidation_fee_bps,
        liquidatable_secs: 0,
    };
    Ok((debt, collateral, bonus))
}
