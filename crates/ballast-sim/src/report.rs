//! Terminal summary and the JSON report.

use std::fmt::Write as _;
use std::path::Path;

use crate::engine::Report;

fn usd(v: f64) -> String {
    let a = v.abs();
    let s = if a >= 1e9 {
        format!("{:.2}B", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.2}M", v / 1e6)
    } else if a >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else {
        format!("{v:.2}")
    };
    format!("${s}")
}

fn price(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.2}")
    } else if v >= 0.01 {
        format!("{v:.4}")
    } else {
        format!("{v:.3e}")
    }
}

/// The summary table printed after a run.
pub fn summary_table(report: &Report) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let _ = writeln!(out, "Ballast stress simulation — market {:?}, scenario: {}", report.market, report.scenario);
    let _ = writeln!(
        out,
        "book: {} obligations ({} with debt), collateral {}, debt {}; {} steps",
        s.obligations,
        s.obligations_with_debt,
        usd(s.collateral_usd_start),
        usd(s.debt_usd_start),
        s.steps
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<6} {:>11} {:>11} {:>11} {:>8} {:>12} {:>11} {:>10} {:>10} {:>10} {:>11} {:>8}",
        "asset",
        "start",
        "min",
        "end",
        "impact",
        "sold",
        "sold USD",
        "bad debt",
        "insurance",
        "dep. loss",
        "shortfall",
        "share Δ"
    );
    for r in &report.reserves {
        let _ = writeln!(
            out,
            "{:<6} {:>11} {:>11} {:>11} {:>7.2}% {:>12.2} {:>11} {:>10} {:>10} {:>10} {:>11} {:>7.3}%",
            r.symbol,
            price(r.initial_price),
            price(r.min_price),
            price(r.final_price),
            r.max_impact_pct,
            r.collateral_sold_tokens,
            usd(r.collateral_sold_usd),
            usd(r.bad_debt_usd),
            usd(r.insurance_used_usd),
            usd(r.depositor_loss_usd),
            usd(r.unrealized_shortfall_usd),
            r.share_value_change_pct
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "liquidations {} (repaid {}, borrowers' loss to bonuses {}), max cascade depth {} rounds, worst step {} ({} unhealthy)",
        s.liquidations,
        usd(s.repaid_usd),
        usd(s.bonus_usd),
        s.max_cascade_depth,
        s.worst_step,
        s.unhealthy_at_worst_step
    );
    let _ = writeln!(
        out,
        "bad debt socialized {} (insurance {}, depositors {}); unrealized shortfall {} on {} insolvent obligations; total {}",
        usd(s.bad_debt_usd),
        usd(s.insurance_used_usd),
        usd(s.depositor_loss_usd),
        usd(s.unrealized_shortfall_usd),
        s.insolvent_obligations_end,
        usd(s.total_bad_debt_usd)
    );
    let _ = writeln!(
        out,
        "new borrows {} (blocked by circuit breaker {}); exact health evaluations {} for {} position-steps ({:.2} s, {:.1}M position-steps/s)",
        s.borrows,
        s.borrows_blocked_by_breaker,
        s.exact_health_evaluations,
        s.position_steps,
        s.seconds,
        s.position_steps as f64 / s.seconds.max(1e-9) / 1e6
    );
    out
}

/// Writes `report.json` into `dir`.
pub fn write_json(report: &Report, dir: &Path) -> std::io::Result<std::path::PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("report.json");
    let text = serde_json::to_string_pretty(report).map_err(std::io::Error::other)?;
    std::fs::write(&path, text)?;
    Ok(path)
}
