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
pub fn oracle_price(reserve: &Reserve, oracle_key: &Pubkey, oracle_owner: &Pubkey, oracle_data: &[u8]) -> Result<OraclePrice, BallastError> {
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
        add_position(&mut acc, &priced.reserve, &priced.price, position.supply_shares, position.debt_shares(), kind, now_unix)?;
    }
    Ok(acc.finish())
}
