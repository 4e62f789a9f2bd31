//! Health of an obligation from its own positions, as borrow, withdraw (and later liquidate)
//! compute it on-chain.
//!
//! The caller passes one `(reserve, oracle)` pair per position, in position order, as remaining
//! accounts. Each pair must be exactly the position's reserve and that reserve's pinned oracle:
//! a missing, extra, reordered or substituted account fails with a named error. Reserves read
//! here are not written: their interest is accrued in memory for the valuation only.

use anchor_lang::prelude::*;
use ballast_math::liquidation::{BonusConfig, Leg};
use ballast_math::position::{self, ReserveView, Valuation};
use ballast_math::{Health, HealthAccumulator, OraclePrice, Wad};

use crate::errors::BallastError;
use crate::oracle::read_price;
use crate::state::{Obligation, Reserve, MAX_POSITIONS};

pub use ballast_math::position::HealthKind;

/// A reserve the instruction already holds (mutably borrowed, possibly changed): health uses
/// this copy instead of loading the account a second time.
pub struct LoadedReserve<'a> {
    pub key: Pubkey,
    pub reserve: &'a Reserve,
}

/// Adds one position's collateral and debt, valued with `reserve`'s accounting accrued to
/// `now_unix` and its oracle `price` (`ballast_math::position` does the valuation); returns the
/// spot price used. The client crate calls this too, so both agree exactly.
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
    let risk = reserve.risk_config();
    let valuation = match kind {
        HealthKind::Initial => {
            Valuation::initial(&price.validate(now_unix, &limits)?, &risk, &reserve.risk_controls())?
        }
        HealthKind::Maintenance => Valuation::maintenance(price.spot(now_unix, &limits)?, &risk),
    };
    let view = ReserveView { accounting: &accounting, risk: &risk, decimals: reserve.mint_decimals };
    position::add_position(acc, view, &valuation, supply_shares, debt_shares)?;
    Ok(valuation.spot)
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
    let mut spot_prices = [Wad::ZERO; MAX_POSITIONS];
    let health = health_pass(obligation, market, health_accounts, loaded, kind, now_unix, &mut spot_prices, None)?;
    Ok(HealthReading { health, spot_prices })
}

/// A maintenance health reading before a liquidation, with each position's own contribution, so
/// the health after it revalues only the two changed positions (`health_after_liquidation`).
pub struct LiquidationReading {
    pub health: Health,
    pub spot_prices: [Wad; MAX_POSITIONS],
    pub contributions: [Health; MAX_POSITIONS],
}

/// `obligation_health` (maintenance) for a liquidation, keeping every position's contribution.
/// Boxed: the reading is 1.3 KiB and sBPF frames are 4 KiB.
#[inline(never)]
pub fn liquidation_health_before<'info>(
    obligation: &Obligation,
    market: &Pubkey,
    health_accounts: &'info [AccountInfo<'info>],
    loaded: &[LoadedReserve],
    now_unix: i64,
) -> Result<Box<LiquidationReading>> {
    let mut reading = Box::new(LiquidationReading {
        health: Health::default(),
        spot_prices: [Wad::ZERO; MAX_POSITIONS],
        contributions: [Health::default(); MAX_POSITIONS],
    });
    let LiquidationReading { health, spot_prices, contributions } = &mut *reading;
    *health = health_pass(
        obligation,
        market,
        health_accounts,
        loaded,
        HealthKind::Maintenance,
        now_unix,
        spot_prices,
        Some(contributions),
    )?;
    Ok(reading)
}

/// Maintenance health after a liquidation changed the positions in the `loaded` reserves (their
/// shares and accounting): exactly what `obligation_health` would compute again over the same
/// health accounts. Every other position's reserve, oracle and shares are unchanged, so its
/// contribution from `before` is reused; the changed positions are revalued at the spot prices
/// `before` read (the oracles are unchanged). The sums are taken in position order, as
/// `HealthAccumulator` takes them.
#[inline(never)]
pub fn health_after_liquidation(
    before: &LiquidationReading,
    obligation: &Obligation,
    loaded: &[LoadedReserve],
    now_unix: i64,
) -> Result<Health> {
    let mut total = Health::default();
    for (index, position) in obligation.active_positions().iter().enumerate() {
        match loaded.iter().find(|l| l.key == position.reserve) {
            Some(l) => {
                let mut one = HealthAccumulator::new();
                add_position_at_spot(
                    &mut one,
                    l.reserve,
                    before.spot_prices[index],
                    position.supply_shares,
                    position.debt_shares(),
                    now_unix,
                )?;
                add_contribution(&mut total, &one.finish()).map_err(BallastError::from)?;
            }
            None => add_contribution(&mut total, &before.contributions[index]).map_err(BallastError::from)?,
        }
    }
    Ok(total)
}

/// `add_position` (maintenance) with the spot price already read and checked.
fn add_position_at_spot(
    acc: &mut HealthAccumulator,
    reserve: &Reserve,
    spot: Wad,
    supply_shares: u64,
    debt_shares: Wad,
    now_unix: i64,
) -> std::result::Result<(), BallastError> {
    let accounting = reserve.accrued(now_unix)?;
    let risk = reserve.risk_config();
    let valuation = Valuation::maintenance(spot, &risk);
    let view = ReserveView { accounting: &accounting, risk: &risk, decimals: reserve.mint_decimals };
    position::add_position(acc, view, &valuation, supply_shares, debt_shares)?;
    Ok(())
}

/// Adds one position's contribution to `total`, field by field as `HealthAccumulator` does.
fn add_contribution(total: &mut Health, c: &Health) -> ballast_math::MathResult<()> {
    total.collateral_value = total.collateral_value.checked_add(c.collateral_value)?;
    total.weighted_collateral = total.weighted_collateral.checked_add(c.weighted_collateral)?;
    total.debt_value = total.debt_value.checked_add(c.debt_value)?;
    total.weighted_debt = total.weighted_debt.checked_add(c.weighted_debt)?;
    Ok(())
}

/// One pass over the positions and their health accounts. With `contributions`, each
/// position is valued on its own and then added (the same sums), and its contribution kept.
#[allow(clippy::too_many_arguments)]
fn health_pass<'info>(
    obligation: &Obligation,
    market: &Pubkey,
    health_accounts: &'info [AccountInfo<'info>],
    loaded: &[LoadedReserve],
    kind: HealthKind,
    now_unix: i64,
    spot_prices: &mut [Wad; MAX_POSITIONS],
    mut contributions: Option<&mut [Health; MAX_POSITIONS]>,
) -> Result<Health> {
    let positions = obligation.active_positions();
    require_eq!(health_accounts.len(), positions.len() * 2, BallastError::HealthAccountCountMismatch);
    let mut acc = HealthAccumulator::new();
    let mut total = Health::default();
    for (index, (position, pair)) in positions.iter().zip(health_accounts.chunks_exact(2)).enumerate() {
        let (reserve_info, oracle_info) = (&pair[0], &pair[1]);
        require_keys_eq!(reserve_info.key(), position.reserve, BallastError::HealthReserveMismatch);
        let (shares, debt_shares) = (position.supply_shares, position.debt_shares());
        let mut one = HealthAccumulator::new();
        let target = if contributions.is_some() { &mut one } else { &mut acc };
        spot_prices[index] = match loaded.iter().find(|l| l.key == position.reserve) {
            Some(l) => {
                let price = read_price(oracle_info, &l.reserve.oracle)?;
                add_position(target, l.reserve, &price, shares, debt_shares, kind, now_unix)?
            }
            None => {
                // Owner and discriminator are checked by the loader.
                let loader = AccountLoader::<Reserve>::try_from(reserve_info)?;
                let reserve = loader.load()?;
                require_keys_eq!(reserve.market, *market, BallastError::MarketMismatch);
                let price = read_price(oracle_info, &reserve.oracle)?;
                add_position(target, &reserve, &price, shares, debt_shares, kind, now_unix)?
            }
        };
        if let Some(contributions) = contributions.as_deref_mut() {
            let contribution = one.finish();
            add_contribution(&mut total, &contribution).map_err(BallastError::from)?;
            contributions[index] = contribution;
        }
    }
    Ok(if contributions.is_some() { total } else { acc.finish() })
}

/// Initial health after a borrow or withdraw: must be >= 0 (invariant 4).
pub fn require_initial_health<'info>(
    obligation: &Obligation,
    market: &Pubkey,
    health_accounts: &'info [AccountInfo<'info>],
    loaded: &LoadedReserve,
    now_unix: i64,
) -> Result<Health> {
    let reading = obligation_health(
        obligation,
        market,
        health_accounts,
        std::slice::from_ref(loaded),
        HealthKind::Initial,
        now_unix,
    )?;
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
    let (debt_accounting, collateral_accounting) =
        (debt_reserve.accrued(now_unix)?, collateral_reserve.accrued(now_unix)?);
    let (debt_risk, collateral_risk) = (debt_reserve.risk_config(), collateral_reserve.risk_config());
    Ok(position::liquidation_legs(
        ReserveView { accounting: &debt_accounting, risk: &debt_risk, decimals: debt_reserve.mint_decimals },
        debt_shares,
        debt_price,
        ReserveView {
            accounting: &collateral_accounting,
            risk: &collateral_risk,
            decimals: collateral_reserve.mint_decimals,
        },
        collateral_shares,
        collateral_price,
    )?)
}
