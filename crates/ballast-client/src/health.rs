//! Health from fetched accounts, computed by the engine the program runs: the client and the
//! chain cannot disagree.

use anchor_lang::prelude::Pubkey;
use ballast::errors::BallastError;
use ballast::state::{Market, Obligation, Reserve};
use ballast_engine::operations::{LiquidationSetup, LiquidationTerms};
use ballast_engine::policy::{plan_within_limits, RepayLimits};
use ballast_engine::{Error as EngineError, HealthKind, KeyedRetriever, Loaded, Margin, MarketState, Positions};
use ballast_math::{Health, OraclePrice};

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

/// The engine's retriever over `lookup` (each position's reserve and price by key).
pub fn retriever<'a>(
    lookup: impl Fn(&Pubkey) -> Option<&'a PricedReserve>,
) -> KeyedRetriever<impl Fn(&Pubkey) -> Option<(&'a Reserve, &'a OraclePrice)>> {
    KeyedRetriever(move |key: &Pubkey| lookup(key).map(|p| (&p.reserve, &p.price)))
}

/// Health of `obligation` in `market` (`Market::state`) at `now_unix`, under the obligation's
/// margin; `lookup` returns each position's reserve and price.
pub fn obligation_health<'a>(
    obligation: &Obligation,
    market: &MarketState,
    lookup: impl Fn(&Pubkey) -> Option<&'a PricedReserve>,
    kind: HealthKind,
    now_unix: i64,
) -> Result<Health, BallastError> {
    let margin = Margin::for_obligation(market, obligation, now_unix);
    let reading =
        ballast_engine::obligation_health(obligation.held(), &retriever(lookup), &[], kind, &margin, now_unix)?;
    Ok(reading.health)
}

/// Sizes the best acceptable liquidation of `obligation`'s debt in `repay_reserve` against its
/// collateral in `collateral_reserve` (the largest repay the program accepts), or `None` if the
/// obligation is healthy, holds no such pair or no repay is acceptable. The engine's liquidation
/// setup, as the program runs it.
pub fn best_liquidation<'a>(
    obligation: &Obligation,
    lookup: impl Fn(&Pubkey) -> Option<&'a PricedReserve> + Copy,
    market: &Market,
    repay_reserve: &Pubkey,
    collateral_reserve: &Pubkey,
    now_unix: i64,
) -> Result<Option<ballast_math::liquidation::LiquidationPlan>, BallastError> {
    let state = market.state();
    let Some(setup) = liquidation_setup(obligation, &state, lookup, repay_reserve, collateral_reserve, now_unix)?
    else {
        return Ok(None);
    };
    let limits = RepayLimits { budget: u64::MAX, margin_bps: 0 };
    Ok(plan_within_limits(&setup, limits).and_then(|limited| limited.plan))
}

/// The engine's liquidation setup for one (debt, collateral) pair, or `None` when the obligation
/// is healthy or does not hold that pair.
pub fn liquidation_setup<'a>(
    obligation: &Obligation,
    market: &MarketState,
    lookup: impl Fn(&Pubkey) -> Option<&'a PricedReserve> + Copy,
    repay_reserve: &Pubkey,
    collateral_reserve: &Pubkey,
    now_unix: i64,
) -> Result<Option<LiquidationSetup>, BallastError> {
    let (Some(debt), Some(collateral)) = (lookup(repay_reserve), lookup(collateral_reserve)) else {
        return Err(BallastError::HealthAccountCountMismatch);
    };
    let loaded = [
        Loaded { key: *repay_reserve, reserve: &debt.reserve },
        Loaded { key: *collateral_reserve, reserve: &collateral.reserve },
    ];
    match ballast_engine::operations::liquidation_setup(
        obligation.held(),
        &retriever(lookup),
        &loaded,
        &LiquidationTerms::of(market, obligation, now_unix),
        now_unix,
    ) {
        Ok(setup) => Ok(Some(setup)),
        Err(
            EngineError::ObligationHealthy
            | EngineError::NoDebtToRepay
            | EngineError::PositionNotFound
            | EngineError::DepositNotCollateral,
        ) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
