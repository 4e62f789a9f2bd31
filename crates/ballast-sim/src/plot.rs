//! PNG and SVG plots with `plotters`: the price path, the health-factor distribution at the
//! worst step, and cumulative bad debt. Text is rendered with `ab_glyph` and the Hack font that
//! ships inside the `epaint_default_fonts` crate, so no system font library is needed.

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::engine::Report;

static FONT: Once = Once::new();

fn register_font() {
    FONT.call_once(|| {
        for family in ["sans-serif", "serif", "monospace"] {
            let _ = plotters::style::register_font(family, FontStyle::Normal, epaint_default_fonts::HACK_REGULAR);
        }
    });
}

type PlotResult = Result<(), String>;

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

fn draw_prices<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, report: &Report) -> PlotResult {
    root.fill(&WHITE).map_err(err)?;
    let steps = report.steps.len().max(1) as f64;
    let initial: Vec<f64> = report.reserves.iter().map(|r| r.initial_price).collect();
    let series: Vec<Vec<(f64, f64)>> = (0..initial.len())
        .map(|r| {
            std::iter::once((0.0, 100.0))
                .chain(
                    report
                        .steps
                        .iter()
                        .map(|s| (s.step as f64, s.prices.get(r).copied().unwrap_or(initial[r]) / initial[r] * 100.0)),
                )
                .collect()
        })
        .collect();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for p in series.iter().flatten() {
        lo = lo.min(p.1);
        hi = hi.max(p.1);
    }
    let pad = ((hi - lo) * 0.1).max(1.0);
    let mut chart = ChartBuilder::on(&root)
        .caption(format!("Oracle price (% of initial) — {}", report.scenario), ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..steps, (lo - pad)..(hi + pad))
        .map_err(err)?;
    chart.configure_mesh().x_desc("step").y_desc("% of initial price").draw().map_err(err)?;
    for (r, points) in series.into_iter().enumerate() {
        let color = PALETTE[r % PALETTE.len()];
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(err)?
            .label(report.reserves[r].symbol.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)
}

fn draw_health<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, report: &Report) -> PlotResult {
    root.fill(&WHITE).map_err(err)?;
    const WIDTH: f64 = 0.05;
    const MAX: f64 = 3.0;
    let bins = (MAX / WIDTH) as usize;
    let mut counts = vec![0usize; bins + 1];
    for hf in &report.health_factors_at_worst_step {
        let b = ((hf / WIDTH).floor() as usize).min(bins);
        counts[b] += 1;
    }
    let top = counts.iter().copied().max().unwrap_or(0).max(1) as f64 * 1.1;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Health factor at worst step {} ({} unhealthy of {})",
                report.summary.worst_step,
                report.summary.unhealthy_at_worst_step,
                report.health_factors_at_worst_step.len()
            ),
            ("sans-serif", 20),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..(MAX + WIDTH), 0f64..top)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(format!("maintenance health factor (last bin: >= {MAX})"))
        .y_desc("obligations")
        .draw()
        .map_err(err)?;
    chart
        .draw_series(counts.iter().enumerate().map(|(b, &c)| {
            let x0 = b as f64 * WIDTH;
            let color = if x0 < 1.0 { RGBColor(214, 39, 40) } else { RGBColor(31, 119, 180) };
            Rectangle::new([(x0, 0.0), (x0 + WIDTH * 0.9, c as f64)], color.filled())
        }))
        .map_err(err)?;
    chart.draw_series(LineSeries::new(vec![(1.0, 0.0), (1.0, top)], BLACK.stroke_width(1))).map_err(err)?;
    root.present().map_err(err)
}

fn draw_bad_debt<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, report: &Report) -> PlotResult {
    root.fill(&WHITE).map_err(err)?;
    let steps = report.steps.len().max(1) as f64;
    let points: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
        .chain(report.steps.iter().map(|s| (s.step as f64, s.cumulative_bad_debt_usd)))
        .collect();
    let mut cumulative_repaid = 0.0;
    let repaid: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
        .chain(report.steps.iter().map(|s| {
            cumulative_repaid += s.repaid_usd;
            (s.step as f64, cumulative_repaid)
        }))
        .collect();
    let top = points.iter().chain(&repaid).map(|p| p.1).fold(0.0, f64::max).max(1.0) * 1.1;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Cumulative bad debt (socialized) {:.0} USD; unrealized shortfall at end {:.0} USD",
                report.summary.bad_debt_usd, report.summary.unrealized_shortfall_usd
            ),
            ("sans-serif", 18),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(0f64..steps, 0f64..top)
        .map_err(err)?;
    chart.configure_mesh().x_desc("step").y_desc("USD").draw().map_err(err)?;
    let red = RGBColor(214, 39, 40);
    let blue = RGBColor(31, 119, 180);
    chart
        .draw_series(LineSeries::new(points, red.stroke_width(2)))
        .map_err(err)?
        .label("bad debt socialized (cumulative)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], red.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(repaid, blue.stroke_width(1)))
        .map_err(err)?
        .label("debt repaid by liquidators (cumulative)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], blue.stroke_width(1)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)
}

type Measure = fn(&Report, &crate::engine::StepRecord) -> f64;

/// A panel: its caption, what it reads from each step, and whether it is summed over the steps.
type Panel = (&'static str, Measure, bool);

/// Which panels a comparison of variants draws, one line per variant in each.
#[derive(Clone, Copy, Debug)]
pub enum VariantPanels {
    /// Debt repaid by liquidators, borrowers' loss to bonuses and bad debt socialized, each
    /// cumulative over the steps.
    Losses,
    /// The first crashed reserve's price (% of its initial price), the slippage of liquidators'
    /// sales and the bad debt socialized, cumulative.
    Cascade,
}

impl VariantPanels {
    fn panels(self) -> [Panel; 3] {
        match self {
            VariantPanels::Losses => [
                ("debt repaid by liquidators, USD", |_, s| s.repaid_usd, true),
                ("borrowers' loss to bonuses, USD", |_, s| s.bonus_usd, true),
                ("bad debt socialized, USD", |_, s| s.bad_debt_usd, true),
            ],
            VariantPanels::Cascade => [
                ("price of the first crashed asset, % of initial", cascade_price_pct, false),
                ("slippage of liquidators' sales, USD", |_, s| s.slippage_usd, true),
                ("bad debt socialized, USD", |_, s| s.bad_debt_usd, true),
            ],
        }
    }
}

/// The price of the reserve that fell furthest, % of its initial price.
fn cascade_price_pct(report: &Report, step: &crate::engine::StepRecord) -> f64 {
    let crashed = (0..report.reserves.len())
        .min_by(|&a, &b| {
            let low = |r: usize| report.reserves[r].min_price / report.reserves[r].initial_price;
            low(a).total_cmp(&low(b))
        })
        .unwrap_or(0);
    step.prices.get(crashed).map_or(100.0, |p| p / report.reserves[crashed].initial_price * 100.0)
}

/// Steps worth showing: up to a little past the last step where any series still moves (by more
/// than 0.01%), so a crash over the first minutes of a long flat path is not a vertical line.
fn shown_steps(series: &[Vec<(f64, f64)>], steps: usize) -> f64 {
    let moving = |w: &[(f64, f64)]| (w[1].1 - w[0].1).abs() > 1e-4 * w[0].1.abs().max(1.0);
    let last = series.iter().filter_map(|s| s.windows(2).rposition(moving)).max().unwrap_or(steps);
    ((last as f64 * 1.25 + 10.0).min(steps as f64)).max(1.0)
}

fn draw_panels<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    runs: &[(&str, &Report)],
    title: &str,
    panels: &[Panel],
) -> PlotResult {
    root.fill(&WHITE).map_err(err)?;
    let root = root.titled(title, ("sans-serif", 20)).map_err(err)?;
    for (area, &(label, measure, cumulative)) in root.split_evenly((1, panels.len())).into_iter().zip(panels) {
        let series: Vec<Vec<(f64, f64)>> = runs
            .iter()
            .map(|(_, report)| {
                let mut total = 0.0;
                let first = if cumulative { 0.0 } else { 100.0 };
                std::iter::once((0.0, first))
                    .chain(report.steps.iter().map(|s| {
                        total = if cumulative { total + measure(report, s) } else { measure(report, s) };
                        (s.step as f64, total)
                    }))
                    .collect()
            })
            .collect();
        let steps = shown_steps(&series, runs.iter().map(|(_, r)| r.steps.len()).max().unwrap_or(1));
        let top = series.iter().flatten().map(|p| p.1).fold(0.0, f64::max).max(1.0) * 1.1;
        let bottom =
            if cumulative { 0.0 } else { series.iter().flatten().map(|p| p.1).fold(top, f64::min).max(0.0) * 0.95 };
        let mut chart = ChartBuilder::on(&area)
            .caption(label, ("sans-serif", 15))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..steps, bottom..top)
            .map_err(err)?;
        chart.configure_mesh().x_desc("step").draw().map_err(err)?;
        for (k, points) in series.into_iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(2)))
                .map_err(err)?
                .label(runs[k].0.to_string())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(if cumulative { SeriesLabelPosition::UpperLeft } else { SeriesLabelPosition::LowerLeft })
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(err)?;
    }
    root.present().map_err(err)
}

/// Writes `<stem>.png` and `<stem>.svg` into `dir`: the variants of one path side by side in
/// `panels`; returns the files written.
pub fn write_variants(
    runs: &[(&str, &Report)],
    title: &str,
    panels: VariantPanels,
    dir: &Path,
    stem: &str,
) -> Result<Vec<PathBuf>, String> {
    register_font();
    std::fs::create_dir_all(dir).map_err(err)?;
    let size = (1500u32, 500u32);
    let (png, svg) = (dir.join(format!("{stem}.png")), dir.join(format!("{stem}.svg")));
    let panels = panels.panels();
    draw_panels(BitMapBackend::new(&png, size).into_drawing_area(), runs, title, &panels)?;
    draw_panels(SVGBackend::new(&svg, size).into_drawing_area(), runs, title, &panels)?;
    Ok(vec![png, svg])
}

/// Writes price/health/bad_debt as `.png` and `.svg` into `dir`; returns the files written.
pub fn write_plots(report: &Report, dir: &Path) -> Result<Vec<PathBuf>, String> {
    register_font();
    std::fs::create_dir_all(dir).map_err(err)?;
    let size = (1000u32, 600u32);
    let mut written = Vec::new();
    type Draw = fn(&Path, &Report, (u32, u32)) -> PlotResult;
    let charts: [(&str, Draw, Draw); 3] = [
        (
            "price",
            |p, r, s| draw_prices(BitMapBackend::new(p, s).into_drawing_area(), r),
            |p, r, s| draw_prices(SVGBackend::new(p, s).into_drawing_area(), r),
        ),
        (
            "health",
            |p, r, s| draw_health(BitMapBackend::new(p, s).into_drawing_area(), r),
            |p, r, s| draw_health(SVGBackend::new(p, s).into_drawing_area(), r),
        ),
        (
            "bad_debt",
            |p, r, s| draw_bad_debt(BitMapBackend::new(p, s).into_drawing_area(), r),
            |p, r, s| draw_bad_debt(SVGBackend::new(p, s).into_drawing_area(), r),
        ),
    ];
    for (name, png, svg) in charts {
        let p = dir.join(format!("{name}.png"));
        png(&p, report, size)?;
        written.push(p);
        let s = dir.join(format!("{name}.svg"));
        svg(&s, report, size)?;
        written.push(s);
    }
    Ok(written)
}
