//! The compute-unit budget the runner enforces: the README's targets, and the committed table
//! (`sbf/runner/cu-table.tsv`, one `label<TAB>CU` line per instruction) that no instruction may
//! exceed by more than 3%. `BALLAST_CU_BLESS=1` rewrites the table from this run instead.

use std::fmt::Write as _;

const TABLE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/cu-table.tsv");
/// A measured instruction may cost this much more than the table says (percent).
const TOLERANCE_PERCENT: u64 = 3;

/// The README's targets: `(what, limit, measured)`.
fn targets(cu: impl Fn(&str) -> Option<u64>) -> Vec<(String, u64, Option<u64>)> {
    let per_position = |first: &str, last: &str, steps: u64| match (cu(first), cu(last)) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a).div_ceil(steps)),
        _ => None,
    };
    let mut targets = vec![
        ("borrow (N=2)".to_string(), 30_000, cu("borrow (N=2)")),
        ("withdraw (N=2)".to_string(), 30_000, cu("withdraw (N=2)")),
        ("liquidate (N=2)".to_string(), 45_000, cu("liquidate (N=2)")),
        ("liquidate (N=16)".to_string(), 200_000, cu("liquidate (N=16)")),
    ];
    for step in ["borrow", "get_health initial", "get_health maintenance"] {
        let measured = per_position(&format!("{step} (N=1)"), &format!("{step} (N=16)"), 15);
        targets.push((format!("{step}: per extra position (N=1 -> 16)"), 2_500, measured));
    }
    let measured = per_position("liquidate (N=2)", "liquidate (N=16)", 14);
    targets.push(("liquidate: per extra position (N=2 -> 16)".to_string(), 2_500, measured));
    // The Dutch auction's mark is a health read and one write: no dearer than `get_health`.
    if let Some(health) = cu("get_health maintenance (N=16)") {
        let label = "mark_liquidatable (N=16)";
        targets.push((format!("{label}: at most get_health maintenance (N=16)"), health, cu(label)));
    }
    // Scenario margin: a 16-position health over 8 scenarios at most twice the classic cost.
    for kind in ["initial", "maintenance"] {
        if let Some(classic) = cu(&format!("get_health {kind} (N=16)")) {
            let label = format!("get_health {kind} (scenario market, 8 scenarios, N=16)");
            targets.push((format!("{label}: at most 2x classic"), 2 * classic, cu(&label)));
        }
    }
    targets
}

fn read_table() -> Result<Vec<(String, u64)>, String> {
    let text = std::fs::read_to_string(TABLE_PATH).map_err(|e| format!("cannot read {TABLE_PATH}: {e}"))?;
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (label, cu) = line.rsplit_once('\t').ok_or(format!("{TABLE_PATH}: no tab in {line:?}"))?;
            let cu = cu.trim().parse().map_err(|_| format!("{TABLE_PATH}: bad CU in {line:?}"))?;
            Ok((label.to_string(), cu))
        })
        .collect()
}

fn write_table(rows: &[(String, u64, u64)]) -> Result<(), String> {
    let mut text = String::from(
        "# Compute units per runner step (sbf/runner); CI fails on any step more than 3% above its line.\n\
         # Regenerate after a deliberate change: BALLAST_CU_BLESS=1 bash scripts/build-sbf --run\n",
    );
    for (label, cu, _) in rows {
        let _ = writeln!(text, "{label}\t{cu}");
    }
    std::fs::write(TABLE_PATH, text).map_err(|e| format!("cannot write {TABLE_PATH}: {e}"))
}

/// Checks `rows` (label, total CU, CU without CPIs) against the targets and the table; prints
/// the comparison and returns the number of failures.
pub fn check(rows: &[(String, u64, u64)]) -> usize {
    let cu = |label: &str| rows.iter().find(|(l, _, _)| l == label).map(|(_, cu, _)| *cu);
    let mut failures = 0;
    println!("\n| target | limit | measured | |\n|---|---:|---:|---|");
    for (what, limit, measured) in targets(cu) {
        let verdict = match measured {
            Some(m) if m <= limit => "met",
            Some(_) => "MISSED",
            None => "NOT MEASURED",
        };
        failures += usize::from(verdict != "met");
        println!("| {what} | {limit} | {} | {verdict} |", measured.map_or("-".into(), |m| m.to_string()));
    }

    if std::env::var_os("BALLAST_CU_BLESS").is_some() {
        match write_table(rows) {
            Ok(()) => println!("\nwrote {TABLE_PATH} ({} rows)", rows.len()),
            Err(e) => {
                eprintln!("{e}");
                failures += 1;
            }
        }
        return failures;
    }
    let table = match read_table() {
        Ok(table) => table,
        Err(e) => {
            eprintln!("{e}");
            return failures + 1;
        }
    };
    println!("\ncompared with {TABLE_PATH} (fails above +{TOLERANCE_PERCENT}%):");
    let mut changed = 0;
    for (label, committed) in &table {
        match cu(label) {
            None => {
                failures += 1;
                println!("  MISSING  {label}: in the table, not measured");
            }
            Some(measured) if measured * 100 > committed * (100 + TOLERANCE_PERCENT) => {
                failures += 1;
                println!(
                    "  OVER     {label}: {measured} CU, table {committed} (+{:.1}%)",
                    percent(measured, *committed)
                );
            }
            Some(measured) if measured != *committed => {
                changed += 1;
                println!(
                    "  changed  {label}: {measured} CU, table {committed} ({:+.1}%)",
                    percent(measured, *committed)
                );
            }
            Some(_) => {}
        }
    }
    for (label, _, _) in rows.iter().filter(|(l, _, _)| table.iter().all(|(t, _)| t != l)) {
        failures += 1;
        println!("  NEW      {label}: measured, not in the table (bless it)");
    }
    println!("  {} rows, {changed} within tolerance but changed, {failures} failure(s)", table.len());
    failures
}

fn percent(measured: u64, committed: u64) -> f64 {
    (measured as f64 / committed.max(1) as f64 - 1.0) * 100.0
}
