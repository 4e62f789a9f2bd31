//! The tables `ballast-sim cascade` prints: the auction comparison, the pacing runs, and each
//! pacing setting against pacing off over the books.

use std::fmt::Write as _;

use super::PacingEffect;
use crate::compare::Row;

fn change_pct(on: f64, off: f64) -> String {
    if off > 0.0 {
        format!("{:+.0}%", (on / off - 1.0) * 100.0)
    } else if on > 0.0 {
        "new".into()
    } else {
        "0".into()
    }
}

/// The pacing summary: per setting, on how many books it lowered bad debt, slippage and both,
/// and the change of their sums.
pub fn effects_table(effects: &[PacingEffect]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<10} {:>6} {:>14} {:>14} {:>11} {:>15} {:>15}",
        "pacing", "books", "bad debt lower", "slippage lower", "both lower", "bad debt, sum", "slippage, sum"
    );
    for e in effects {
        let _ = writeln!(
            out,
            "{:<10} {:>6} {:>14} {:>14} {:>11} {:>15} {:>15}",
            e.variant,
            e.books,
            e.bad_debt_lower,
            e.slippage_lower,
            e.both_lower,
            change_pct(e.bad_debt_on_usd, e.bad_debt_off_usd),
            change_pct(e.slippage_on_usd, e.slippage_off_usd)
        );
    }
    out
}

fn bps_of(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole * 1e4
    } else {
        0.0
    }
}

/// The auction comparison's table.
pub fn auction_table(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<36} {:<12} {:>6} {:>6} {:>12} {:>10} {:>8} {:>12} {:>10} {:>8}",
        "path", "variant", "liqs", "marks", "repaid $", "bonus $", "bonus bp", "liq profit $", "bad debt $", "left liq"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{:<36} {:<12} {:>6} {:>6} {:>12.0} {:>10.0} {:>8.0} {:>12.0} {:>10.0} {:>8}",
            r.path,
            r.variant,
            r.liquidations,
            r.auction_marks,
            r.repaid_usd,
            r.bonus_usd,
            bps_of(r.bonus_usd, r.repaid_usd),
            r.liquidator_profit_usd,
            r.bad_debt_usd,
            r.liquidatable_at_end
        );
    }
    out
}

/// The pacing comparison's table.
pub fn pacing_table(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<32} {:<10} {:>6} {:>12} {:>11} {:>11} {:>8} {:>13} {:>11}",
        "path", "pacing", "liqs", "repaid $", "bonus $", "slippage $", "trough", "liq profit $", "bad debt $"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{:<32} {:<10} {:>6} {:>12.0} {:>11.0} {:>11.0} {:>7.1}% {:>13.0} {:>11.0}",
            r.path,
            r.variant,
            r.liquidations,
            r.repaid_usd,
            r.bonus_usd,
            r.slippage_usd,
            r.trough_pct - 100.0,
            r.liquidator_profit_usd,
            r.bad_debt_usd
        );
    }
    out
}
