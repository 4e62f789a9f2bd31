//! The operations tests' book: SOL (9 decimals) and USDC (6 decimals) reserves keyed 0 and 1,
//! with their prices, a market, and a borrower.

use ballast_engine::operations;
use ballast_engine::{KeyedRetriever, MarketState, OwnedReserve, PositionSlots, Positions};
use ballast_math::liquidation::LiquidationConfig;
use ballast_math::{OraclePrice, Wad};

pub const NOW: i64 = 1_000_000;
pub const SOL: u8 = 0;
pub const USDC: u8 = 1;

pub fn reserve(decimals: u8) -> OwnedReserve {
    super::reserve(decimals, (7_500, 8_000), 1_000_000, NOW)
}

pub fn price(usd: i64) -> OraclePrice {
    let mantissa = usd * 100_000_000;
    OraclePrice { price: mantissa, conf: 0, ema_price: mantissa, ema_conf: 0, exponent: -8, publish_time: NOW }
}

pub struct Book {
    pub reserves: [OwnedReserve; 2],
    pub prices: [OraclePrice; 2],
}

impl Book {
    pub fn new(sol_usd: i64) -> Book {
        Book { reserves: [reserve(9), reserve(6)], prices: [price(sol_usd), price(1)] }
    }
    pub fn retriever<'a>(&'a self) -> KeyedRetriever<impl Fn(&u8) -> Option<(&'a OwnedReserve, &'a OraclePrice)> + 'a> {
        KeyedRetriever(move |key: &u8| Some((&self.reserves[*key as usize], &self.prices[*key as usize])))
    }
}

pub fn market() -> MarketState {
    let liquidation = LiquidationConfig {
        close_factor_bps: 5_000,
        full_liquidation_health_factor_bps: 9_500,
        dust_value: Wad::from_u64(2),
        target_health_factor_bps: 11_000,
        bonus_ramp_bps: 1_000,
        ..Default::default()
    };
    MarketState { paused_until: 0, liquidation, ..Default::default() }
}

/// 10 SOL of collateral at $100 and `debt` USDC of debt.
pub fn borrower(book: &mut Book, debt_usdc: u64) -> PositionSlots<u8> {
    let mut obligation = PositionSlots::<u8>::default();
    let [sol, usdc] = &mut book.reserves;
    operations::deposit(&market(), &SOL, sol, &mut obligation, 10_000_000_000, NOW).unwrap();
    if debt_usdc > 0 {
        let shares = usdc.accounting.borrow(debt_usdc * 1_000_000, u64::MAX).unwrap();
        obligation.position_or_open(&USDC).unwrap().debt_shares = shares;
    }
    obligation
}
