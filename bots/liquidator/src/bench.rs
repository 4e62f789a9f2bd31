//! Health-evaluation throughput on synthetic obligations (`ballast-liquidator bench`).
//!
//! Builds `Obligation` and `PricedReserve` values in memory (8 reserves with different decimals,
//! prices, weights and utilisation; 1 to 4 positions per obligation, collateral and debt) and
//! times `ballast_client::health::obligation_health` (maintenance) over all of them on the
//! calling thread, looking reserves up in a `HashMap` exactly as the bot's scan does.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use ballast::health::HealthKind;
use ballast::state::{wad_to_bytes, CurvePointStore, Obligation, Position, Reserve};
use ballast_client::health::{obligation_health, PricedReserve};
use ballast_math::{OraclePrice, Wad, WAD};
use ballast_rng::Rng;

pub const NOW: i64 = 1_700_000_000;

#[derive(Debug)]
pub struct BenchResult {
    pub obligations: usize,
    pub positions: usize,
    pub evaluations: u64,
    pub unhealthy: usize,
    pub elapsed: Duration,
    pub per_sec: f64,
}

/// Reserve `i` of the synthetic market, last updated `stale_secs` before [`NOW`].
fn reserve(i: usize, stale_secs: i64) -> (Pubkey, PricedReserve) {
    let decimals = [9u8, 6, 8, 6, 9, 5, 18, 0][i % 8];
    let price_usd = [150.0f64, 1.0, 60_000.0, 0.9998, 3_000.0, 0.25, 2.5, 40.0][i % 8];
    let mut r: Reserve = bytemuck::Zeroable::zeroed();
    r.mint_decimals = decimals;
    r.risk.ltv_bps = 7_000 + 100 * (i as u16 % 5);
    r.risk.liquidation_threshold_bps = r.risk.ltv_bps + 500;
    r.risk.borrow_factor_bps = 10_000 + 500 * (i as u16 % 3);
    r.risk.min_liquidation_bonus_bps = 200;
    r.risk.max_liquidation_bonus_bps = 800;
    r.risk.protocol_take_rate_bps = 1_000;
    r.risk.insurance_take_rate_bps = 500;
    r.oracle.max_age_secs = 60;
    r.oracle.max_confidence_bps = 200;
    r.curve.point_count = 3;
    for (slot, (u, rate)) in r.curve.points.iter_mut().zip([(0u16, 0u32), (8_000, 800), (10_000, 10_000)]) {
        *slot = CurvePointStore { borrow_rate_bps: rate, utilization_bps: u, padding: [0; 2] };
    }
    // A large pool at ~60% utilisation: supply shares 1:1 with liquidity, index 1.05.
    let units = 10u128.pow(decimals as u32);
    let liquidity = (1_000_000_000u128 * units / 10u128.pow(decimals.min(9) as u32)).min(u64::MAX as u128 / 2) as u64;
    r.liquidity.available_liquidity = liquidity / 10 * 4;
    r.liquidity.total_supply_shares = liquidity;
    r.liquidity.last_update_ts = NOW - stale_secs;
    r.liquidity.borrow_index = wad_to_bytes(Wad(WAD / 100 * 105));
    r.liquidity.total_debt_shares = wad_to_bytes(Wad((liquidity as u128 / 10 * 6) * WAD / 105 * 100));
    let price = (price_usd * 1e8) as i64;
    let oracle = OraclePrice {
        price,
        conf: price as u64 / 1_000,
        ema_price: price,
        ema_conf: price as u64 / 1_000,
        exponent: -8,
        publish_time: NOW - 3,
    };
    let key = Pubkey::new_from_array([i as u8 + 1; 32]);
    r.oracle.oracle_account = Pubkey::new_from_array([i as u8 + 101; 32]);
    (key, PricedReserve { reserve: r, price: oracle })
}

/// `n` obligations over 8 reserves. `stale_secs`: how long ago the reserves were last updated
/// (0 = accrued to now, as the bot does once per scan).
pub fn synthetic(n: usize, stale_secs: i64) -> (Vec<Obligation>, HashMap<Pubkey, PricedReserve>) {
    let reserves: HashMap<Pubkey, PricedReserve> = (0..8).map(|i| reserve(i, stale_secs)).collect();
    let mut keys: Vec<Pubkey> = reserves.keys().copied().collect();
    keys.sort();
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    let mut obligations = Vec::with_capacity(n);
    for _ in 0..n {
        let mut o: Obligation = bytemuck::Zeroable::zeroed();
        let count = 1 + rng.below(4) as usize;
        let start = rng.below(8) as usize;
        for p in 0..count {
            let key = keys[(start + p) % 8];
            let decimals = reserves[&key].reserve.mint_decimals as u32;
            let whole = 10u64.pow(decimals.min(12));
            let mut position = Position { reserve: key, ..Default::default() };
            // First position collateral; the others debt (some both).
            if p == 0 || rng.below(4) == 0 {
                position.supply_shares = whole.saturating_mul(1 + rng.below(1_000));
            }
            if p > 0 {
                position.set_debt_shares(Wad((whole as u128) * (1 + rng.below(100)) as u128 * WAD));
            }
            o.positions[p] = position;
        }
        o.position_count = count as u8;
        obligations.push(o);
    }
    (obligations, reserves)
}

/// Evaluates every obligation `rounds` times on this thread.
pub fn run(n: usize, rounds: usize, stale_secs: i64) -> BenchResult {
    let (obligations, reserves) = synthetic(n, stale_secs);
    let positions = obligations.iter().map(|o| o.position_count as usize).sum();
    let mut unhealthy = 0;
    let market = ballast_engine::MarketState::default();
    // Warm-up pass (also checks every health computes).
    for o in &obligations {
        let h = obligation_health(o, &market, |k| reserves.get(k), HealthKind::Maintenance, NOW)
            .expect("synthetic health computes");
        unhealthy += !h.is_healthy() as usize;
    }
    let started = Instant::now();
    let mut sink = 0u128;
    for _ in 0..rounds {
        for o in &obligations {
            let h =
                obligation_health(std::hint::black_box(o), &market, |k| reserves.get(k), HealthKind::Maintenance, NOW);
            sink = sink.wrapping_add(h.map(|h| h.weighted_debt.0).unwrap_or(0));
        }
    }
    let elapsed = started.elapsed();
    std::hint::black_box(sink);
    let evaluations = (n * rounds) as u64;
    BenchResult {
        obligations: n,
        positions,
        evaluations,
        unhealthy,
        elapsed,
        per_sec: evaluations as f64 / elapsed.as_secs_f64(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_obligations_evaluate() {
        let r = super::run(1_000, 1, 0);
        assert_eq!(r.evaluations, 1_000);
        assert!(r.positions >= 1_000);
    }
}
