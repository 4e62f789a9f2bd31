//! Health from fetched accounts, computed by the program's own `add_position`: the client and
//! the chain cannot disagree.

use anchor_lang::prelude::Pubkey;
use ballast::errors::BallastError;
use ballast::health::{add_position, HealthKind};
use ballast::state::{Obligation, Reserve};
use ballast_math::{Health, HealthAccumulator, OraclePrice};

/// A reserve as fetched, with its oracle's decoded price.
pub struct PricedReserve {
    pub reserve: Reserve,
    pub price: OraclePrice,
}

/// Decodes an oracle account's price for `reserve` (same checks as the program).
pub fn oracle_price(
    reserve: &Reserve,
    oracle_key: &Pubkey,
    oracle_owner: &Pubkey,
    oracle_data: &[u8],
) -> Result<OraclePrice, BallastError> {
    ballast::oracle::price_from_account_data(oracle_key, oracle_owner, oracle_data, &reserve.oracle)
}

/// Health of `obligation` at `now_unix`; `lookup` returns each position's reserve and price.
pub fn obligation_health<'a>(
    obligation: &Obligation,
    lookup: impl Fn(&Pubkey) -> Option<&'a PricedReserve>,
    kind: HealthKind,
    now_unix: i64,
) -> Result<Health, BallastError> {
    let mut acc = HealthAccumulator::new();
    for position in obligation.active_positions() {
        let priced = lookup(&position.reserve).ok_or(BallastError::HealthAccountCountMismatch)?;
        add_position(
            &mut acc,
            &priced.reserve,
            &priced.price,
            position.supply_shares,
            position.debt_shares(),
            kind,
            now_unix,
        )?;
    }
    Ok(acc.finish())
}

/// Sizes the best acceptable liquidation of `obligation`'s debt in `repay_reserve` against its
/// collateral in `collateral_reserve` (the largest repay the program accepts), or `None` if the
/// obligation is healthy or no repay is acceptable. Same code path as the program.
pub fn best_liquidation<'a>(
    obligation: &Obligation,
    lookup: impl Fn(&Pubkey) -> Option<&'a PricedReserve> + Copy,
    market: &ballast::state::Market,
    repay_reserve: &Pubkey,
    collateral_reserve: &Pubkey,
    now_unix: i64,
) -> Result<Option<ballast_math::liquidation::LiquidationPlan>, BallastError> {
    let health = obligation_health(obligation, lookup, HealthKind::Maintenance, now_unix)?;
    if health.is_healthy() {
        return Ok(None);
    }
    let (Some(debt_position), Some(collateral_position)) = (
        obligation.active_positions().iter().find(|p| p.reserve == *repay_reserve),
        obligation.active_positions().iter().find(|p| p.reserve == *collateral_reserve),
    ) else {
        return Ok(None);
    };
    let (debt_priced, collateral_priced) = match (lookup(repay_reserve), lookup(collateral_reserve)) {
        (Some(d), Some(c)) => (d, c),
        _ => return Err(BallastError::HealthAccountCountMismatch),
    };
    let limits = |p: &PricedReserve| p.price.spot(now_unix, &p.reserve.oracle.limits());
    let (debt, collateral, bonus) = ballast::health::liquidation_legs(
        &debt_priced.reserve,
        debt_position.debt_shares(),
        limits(debt_priced)?,
        &collateral_priced.reserve,
        collateral_position.supply_shares,
        limits(collateral_priced)?,
        now_unix,
    )?;
    Ok(ballast_math::liquidation::max_acceptable_repay(
        &health,
        &debt,
        &collateral,
        &bonus,
        &market.liquidation_config(),
    ))
}
