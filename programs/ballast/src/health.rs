//! Health of an obligation from its own positions, as borrow, withdraw (and later liquidate)
//! compute it on-chain.
//!
//! The caller passes one `(reserve, oracle)` pair per position, in position order, as remaining
//! accounts. Each pair must be exactly the position's reserve and that reserve's pinned oracle:
//! a missing, extra, reordered or substituted account fails with a named error. Reserves read
//! here are not written: their interest is accrued in memory for the valuation only.

use anchor_lang::prelude::*;
use ballast_math::liquidation::{BonusConfig, Leg};
use ballast_math::{Health, HealthAccumulator, OraclePrice, Rounding, Wad};

use crate::errors::BallastError;
use crate::oracle::read_price;
use crate::state::{Obligation, Reserve, MAX_POSITIONS};

/// Which prices and weights a health computation uses (DESIGN.md, Prices and Health).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HealthKind {
    /// Borrow power, for borrow and withdraw: collateral at its low price times LTV (after the
    /// volatility haircut and the reserve's USD cap), debt at its high price times borrow factor;
    /// every oracle check and the circuit breaker apply.
    Initial,
    /// Liquidation eligibility: spot prices, liquidation threshold; only sign and age are checked.
    Maintenance,
}

/// A reserve the instruction already holds (mutably borrowed, possibly changed): health uses
/// this copy instead of loading the account a second time.
pub struct LoadedReserve<'a> {
    pub key: Pubkey,
    pub reserve: &'a Reserve,
}

/// Adds one position's collateral and debt, valued with `reserve`'s accounting accrued to
/// `now_unix` and its oracle `price`; returns the spot price used. The client crate calls this
/// too, so both agree exactly.
pub fn add_position(
    acc: &mut HealthAccumulator,
    reserve: &Reserve,
    price: &OraclePrice,
    supply_shares: u64,
    debt_shares: Wad,
    kind: HealthKind,
    now_unix: i64,
) -> std::result::Result<Wad, BallastError> {
    let accounting = reserve.accrued(now_unix)?;
    let limits = reserve.oracle.limits();
    let risk = &reserve.risk;
    let decimals = reserve.mint_decimals;
    let mut collateral = if supply_shares > 0 { accounting.liquidity_for_shares(supply_shares)? } else { Wad::ZERO };
    let (collateral_price, debt_price, collateral_weight_bps, spot) = match kind {
        HealthKind::Initial => {
            // Every oracle check, the circuit breaker, the volatility haircut on the LTV and the
            // reserve's USD cap on collateral value.
            let p = price.validate(now_unix, &limits)?;
            let controls = reserve.risk_controls();
            controls.check_breaker(&p)?;
            collateral = controls.capped_collateral(collateral, accounting.total_liquidity()?, decimals, p.low)?;
            (p.low, p.high, controls.haircut_ltv_bps(risk.ltv_bps, &p), p.spot)
        }
        HealthKind::Maintenance => {
            let spot = price.spot(now_unix, &limits)?;
            (spot, spot, risk.liquidation_threshold_bps, spot)
        }
    };
    if supply_shares > 0 {
        acc.add_collateral(collateral, decimals, collateral_price, collateral_weight_bps)?;
    }
    if !debt_shares.is_zero() {
        let amount = accounting.debt_amount(debt_shares, Rounding::Up)?;
        acc.add_debt(amount, decimals, debt_price, risk.borrow_factor_bps)?;
    }
    Ok(spot)
}

/// Health and the spot price of each position, in position order.
pub struct HealthReading {
    pub health: Health,
    pub spot_prices: [Wad; MAX_POSITIONS],
}

/// Health of `obligation` (in `market`) from `health_accounts`. `loaded` are the reserves the
/// instruction already holds.
pub fn obligation_health<'info>(
    obligation: &Obligation,
    market: &Pubkey,
    health_accounts: &'info [AccountInfo<'info>],
    loaded: &[LoadedReserve],
    kind: HealthKind,
    now_unix: i64,
) -> Result<HealthReading> {
    let positions = obligation.active_positions();
    require_eq!(health_accounts.len(), positions.len() * 2, BallastError::HealthAccountCountMismatch);
    let mut acc = HealthAccumulator::new();
    let mut spot_prices = [Wad::ZERO; MAX_POSITIONS];
    for ((position, pair), spot) in positions.iter().zip(health_accounts.chunks_exact(2)).zip(spot_prices.iter_mut()) {
        let (reserve_info, oracle_info) = (&pair[0], &pair[1]);
        require_keys_eq!(reserve_info.key(), position.reserve, BallastError::HealthReserveMismatch);
        let (shares, debt_shares) = (position.supply_shares, position.debt_shares());
        *spot = match loaded.iter().find(|l| l.key == position.reserve) {
            Some(l) => {
                let price = read_price(oracle_info, &l.reserve.oracle)?;
                add_position(&mut acc, l.reserve, &price, shares, debt_shares, kind, now_unix)?
            }
            None => {
                // Owner and discriminator are checked by the loader.
                let loader = AccountLoader::<Reserve>::try_from(reserve_info)?;
                let reserve = loader.load()?;
                require_keys_eq!(reserve.market, *market, BallastError::MarketMismatch);
                let price = read_price(oracle_info, &reserve.oracle)?;
                add_position(&mut acc, &reserve, &price, shares, debt_shares, kind, now_unix)?
            }
        };
    }
    Ok(HealthReading { health: acc.finish(), spot_prices })
}

/// Initial health after a borrow or withdraw: must be >= 0 (invariant 4).
pub fn require_initial_health<'info>(
    obligation: &Obligation,
    market: &Pubkey,
    health_accounts: &'info [AccountInfo<'info>],
    loaded: &LoadedReserve,
    now_unix: i64,
) -> Result<Health> {
    let reading = obligation_health(obligation, market, health_accounts, std::slice::from_ref(loaded), HealthKind::Initial, now_unix)?;
    require!(reading.health.is_healthy(), BallastError::InitialHealthNegative);
    Ok(reading.health)
}

/// The two legs of a liquidation and the collateral's bonus parameters, from the reserves (with
/// interest accrued to `now_unix`) and the spot prices health used. The program and the client
/// both size liquidations from this.
#[allow(clippy::too_many_arguments)]
pub fn liquidation_legs(
    debt_reserve: &Reserve,
    debt_shares: Wad,
    debt_price: Wad,
    collateral_reserve: &Reserve,
    collateral_shares: u64,
    collateral_price: Wad,
    now_unix: i64,
) -> std::result::Result<(Leg, Leg, BonusConfig), BallastError> {
    let debt = Leg {
        amount: debt_reserve.accrued(now_unix)?.debt_amount(debt_shares, Rounding::Up)?,
        price: debt_price,
        decimals: debt_reserve.mint_decimals,
        weight_bps: debt_reserve.risk.borrow_factor_bps,
    };
    let collateral = Leg {
        amount: collateral_reserve.accrued(now_unix)?.liquidity_for_shares(collateral_shares)?,
        price: collateral_price,
        decimals: collateral_reserve.mint_decimals,
        weight_bps: collateral_reserve.risk.liquidation_threshold_bps,
    };
    let bonus = BonusConfig {
        min_bonus_bps: collateral_reserve.risk.min_liquidation_bonus_bps,
        max_bonus_bps: collateral_reserve.risk.max_liquidation_bonus_bps,
        protocol_fee_bps: collateral_reserve.risk.protocol_liquidation_fee_bps,
    };
    Ok((debt, collateral, bonus))
}
