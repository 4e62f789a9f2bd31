//! Valuation and health from arbitrary positions: no panic, collateral rounds down and debt up,
//! more collateral never lowers health and more debt never raises it.
#![no_main]

use arbitrary::Arbitrary;
use ballast_math::health::token_value;
use ballast_math::{HealthAccumulator, Rounding, Wad};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Position {
    amount: u64,
    decimals: u8,
    price: u128,
    weight_bps: u16,
    debt: bool,
}

fuzz_target!(|positions: Vec<Position>| {
    let mut acc = HealthAccumulator::new();
    for p in positions.iter().take(16) {
        let decimals = p.decimals % 19;
        let price = Wad(p.price % (1_000_000_000_000u128 * ballast_math::WAD));
        let amount = Wad::from_u64(p.amount);
        if let (Ok(down), Ok(up)) = (token_value(amount, decimals, price, Rounding::Down), token_value(amount, decimals, price, Rounding::Up)) {
            assert!(down <= up && up.0 - down.0 <= 1);
        }
        let before = acc.finish();
        let weight = p.weight_bps % 10_001;
        let result = if p.debt {
            acc.add_debt(amount, decimals, price, weight.max(10_000))
        } else {
            acc.add_collateral(amount, decimals, price, weight)
        };
        if result.is_ok() {
            let after = acc.finish();
            if p.debt {
                assert!(after.weighted_debt >= before.weighted_debt && after.margin() <= before.margin());
            } else {
                assert!(after.weighted_collateral >= before.weighted_collateral && after.margin() >= before.margin());
            }
        } else {
            // A failed add leaves the accumulator as it was only if the caller discards it; the
            // program aborts the instruction, so stop here.
            return;
        }
    }
});
