//! Where liquidators sell seized collateral, and how far that moves the price.

use crate::config::LiquiditySection;

/// Result of selling `quantity` whole tokens at `price` USD.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sale {
    /// USD received.
    pub proceeds_usd: f64,
    /// New price / old price (<= 1).
    pub price_factor: f64,
}

/// Sells `quantity` whole tokens into `liquidity` at the current `price`.
///
/// - Constant product: the pool holds `depth_usd` USD and `depth_usd / price` tokens (arbitrage
///   has re-centred it on the oracle price). Selling `q` tokens into `x` gives
///   `depth * q / (x + q)` USD and moves the price by `(x / (x + q))^2`.
/// - Linear book: every `usd_per_percent` USD of notional moves the price 1% down (at most
///   -95%); the fill is at the average of the start and end prices.
pub fn sell(liquidity: &LiquiditySection, quantity: f64, price: f64) -> Sale {
    if quantity <= 0.0 || price <= 0.0 {
        return Sale { proceeds_usd: 0.0, price_factor: 1.0 };
    }
    match *liquidity {
        LiquiditySection::ConstantProduct { depth_usd } if depth_usd > 0.0 => {
            let x = depth_usd / price;
            let factor = (x / (x + quantity)).powi(2);
            Sale { proceeds_usd: depth_usd * quantity / (x + quantity), price_factor: factor }
        }
        LiquiditySection::Linear { usd_per_percent } if usd_per_percent > 0.0 => {
            let notional = quantity * price;
            let drop = (notional / usd_per_percent * 0.01).min(0.95);
            Sale { proceeds_usd: notional * (1.0 - drop / 2.0), price_factor: 1.0 - drop }
        }
        _ => Sale { proceeds_usd: quantity * price, price_factor: 1.0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_product_matches_xy_k() {
        let pool = LiquiditySection::ConstantProduct { depth_usd: 1_000_000.0 };
        // x = 10_000 tokens at $100; selling 10_000 halves... x doubles: price / 4, proceeds $500k.
        let sale = sell(&pool, 10_000.0, 100.0);
        assert!((sale.price_factor - 0.25).abs() < 1e-12);
        assert!((sale.proceeds_usd - 500_000.0).abs() < 1e-6);
    }

    #[test]
    fn linear_book_and_no_impact() {
        let book = LiquiditySection::Linear { usd_per_percent: 1_000_000.0 };
        let sale = sell(&book, 50_000.0, 100.0); // $5M notional: -5%
        assert!((sale.price_factor - 0.95).abs() < 1e-12);
        assert!((sale.proceeds_usd - 5_000_000.0 * 0.975).abs() < 1e-6);
        let none = sell(&LiquiditySection::None, 1.0, 2.0);
        assert_eq!(none, Sale { proceeds_usd: 2.0, price_factor: 1.0 });
    }
}
