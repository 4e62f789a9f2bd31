//! Health of an obligation from its own positions, as borrow, withdraw (and later liquidate)
//! compute it on-chain.
//!
//! The caller passes one `(reserve, oracle)` pair per position, in position order, as remaining
//! accounts. Each pair must be exactly the position's reserve and that reserve's pinned oracle:
//! a missing, extra, reordered or substituted account fails with a named error. Reserves read
//! here are not written: their interest is accrued in memory for the valuation only.

use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use ballast_math::liquidation::{BonusConfig, Leg};
use ballast_math::position::{self, ReserveView, Valuation};
use ballast_math::{Health, HealthAccumulator, OraclePrice, RiskConfig, Wad};

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
    let limits = reserve.oracle.limits();
    let risk = reserve.risk_config();
    let valuation = match kind {
        HealthKind::Initial => {
            Valuation::initial(&price.validate(now_unix, &limits)?, &risk, &reserve.risk_controls())?
        }
        HealthKind::Maintenance => Valuation::maintenance(price.spot(now_unix, &limits)?, &risk),
    };
    add_position_valued(acc, reserve, &risk, &valuation, supply_shares, debt_shares, now_unix)?;
    Ok(valuation.spot)
}

/// `add_position` with the prices and weights already chosen.
fn add_position_valued(
    acc: &mut HealthAccumulator,
    reserve: &Reserve,
    risk: &RiskConfig,
    valuation: &Valuation,
    supply_shares: u64,
    debt_shares: Wad,
    now_unix: i64,
) -> std::result::Result<(), BallastError> {
    let accounting = reserve.accrued(now_unix)?;
    let view = ReserveView { accounting: &accounting, risk, decimals: reserve.mint_decimals };
    position::add_position(acc, view, valuation, supply_shares, debt_shares)?;
    Ok(())
}

/// Health and the spot price of each position, in position order.
pub struct HealthReading {
    pub health: Health,
    pub spot_prices: [Wad; MAX_POSITIONS],
    /// The own contribution of each position in a `loaded` reserve (in `loaded` order; zero if
    /// the obligation holds none there): what a liquidation changes.
    pub loaded_contributions: [Health; 2],
}

/// Health of `obligation` (in `market`) from `health_accounts`. `loaded` (at most two) are the
/// reserves the instruction already holds.
///
/// One pass over the positions and their health accounts. A position in a `loaded` reserve is
/// valued on its own and then added, so its contribution is kept; the sums are exact integer
/// sums, so the order they are taken in does not change them.
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
    let mut reading = HealthReading {
        health: Health::default(),
        spot_prices: [Wad::ZERO; MAX_POSITIONS],
        loaded_contributions: [Health::default(); 2],
    };
    let mut acc = HealthAccumulator::new();
    for (index, (position, pair)) in positions.iter().zip(health_accounts.chunks_exact(2)).enumerate() {
        crate::cu_checkpoint!("health: position start");
        let (reserve_info, oracle_info) = (&pair[0], &pair[1]);
        require_keys_eq!(reserve_info.key(), position.reserve, BallastError::HealthReserveMismatch);
        let (shares, debt_shares) = (position.supply_shares, position.debt_shares());
        reading.spot_prices[index] = match loaded.iter().position(|l| l.key == position.reserve) {
            Some(slot) => {
                let reserve = loaded[slot].reserve;
                let price = read_price(oracle_info, &reserve.oracle)?;
                let mut own = HealthAccumulator::new();
                let spot = add_position(&mut own, reserve, &price, shares, debt_shares, kind, now_unix)?;
                reading.loaded_contributions[slot] = own.finish();
                add_contribution(&mut reading.health, &reading.loaded_contributions[slot])
                    .map_err(BallastError::from)?;
                spot
            }
            None => {
                let reserve = load_reserve(reserve_info)?;
                require_keys_eq!(reserve.market, *market, BallastError::MarketMismatch);
                crate::cu_checkpoint!("health: reserve loaded");
                let price = read_price(oracle_info, &reserve.oracle)?;
                crate::cu_checkpoint!("health: price read");
                add_position(&mut acc, &reserve, &price, shares, debt_shares, kind, now_unix)?
            }
        };
    }
    add_contribution(&mut reading.health, &acc.finish()).map_err(BallastError::from)?;
    Ok(reading)
}

/// A reserve passed as a health account, read in place: its owner and discriminator are checked
/// once, with Anchor's errors (`AccountLoader::try_from` and `load` check the discriminator twice).
fn load_reserve<'a>(info: &'a AccountInfo) -> Result<std::cell::Ref<'a, Reserve>> {
    require_keys_eq!(*info.owner, crate::ID, ErrorCode::AccountOwnedByWrongProgram);
    let data = info.try_borrow_data()?;
    require!(
        data.len() >= Reserve::SPACE && data[..8] == *Reserve::DISCRIMINATOR,
        ErrorCode::AccountDiscriminatorMismatch
    );
    Ok(std::cell::Ref::map(data, |data| bytemuck::from_bytes(&data[8..Reserve::SPACE])))
}

/// Maintenance health after a liquidation changed the positions in the two `loaded` reserves
/// (their shares and accounting): exactly what `obligation_health` would compute again over the
/// same health accounts. Every other position's reserve, oracle and shares are unchanged, so the
/// total before loses the two old contributions and gains the two revalued at the spot prices
/// `before` read (the oracles are unchanged). Exact integer sums: no rounding differs.
pub fn health_after_liquidation(
    before: &HealthReading,
    obligation: &Obligation,
    loaded: &[LoadedReserve; 2],
    now_unix: i64,
) -> Result<Health> {
    let mut total = before.health;
    for (slot, l) in loaded.iter().enumerate() {
        sub_contribution(&mut total, &before.loaded_contributions[slot]).map_err(BallastError::from)?;
        if let Some(index) = obligation.position_index(&l.key) {
            let position = &obligation.positions[index];
            let mut own = HealthAccumulator::new();
            let risk = l.reserve.risk_config();
            let valuation = Valuation::maintenance(before.spot_prices[index], &risk);
            let (shares, debt_shares) = (position.supply_shares, position.debt_shares());
            add_position_valued(&mut own, l.reserve, &risk, &valuation, shares, debt_shares, now_unix)?;
            add_contribution(&mut total, &own.finish()).map_err(BallastError::from)?;
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
