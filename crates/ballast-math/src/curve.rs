//! Piecewise-linear interest rate curve over utilisation.

use crate::error::ConfigError;
use crate::{MathError, MathResult, Rounding, Wad, BPS_DENOMINATOR};

/// Most points a curve may have (Kamino uses 11; so do we).
pub const MAX_CURVE_POINTS: usize = 11;

/// The highest annual borrow rate a curve may reach: 300%. At it, compounding every second, the
/// borrow index takes about 15.8 years to overflow a Wad (e^(3 t) > 3.4e20), so accrual cannot
/// be made to fail (and freeze the reserve, its liquidations included) by any rate a risk
/// manager can set.
pub const MAX_BORROW_RATE_BPS: u32 = 30_000;
/// Seconds in the 365-day year that annual rates are quoted over.
pub const SECONDS_PER_YEAR: u64 = 31_536_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CurvePoint {
    /// Utilisation at this point, bps of 100%.
    pub utilization_bps: u16,
    /// Annual borrow rate at this point, bps (may exceed 100%).
    pub borrow_rate_bps: u32,
}

/// The borrow rate as a function of utilisation: linear between consecutive points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InterestCurve {
    pub points: [CurvePoint; MAX_CURVE_POINTS],
    pub point_count: u8,
}

impl InterestCurve {
    pub fn from_points(points: &[CurvePoint]) -> MathResult<InterestCurve> {
        if points.len() > MAX_CURVE_POINTS {
            return Err(MathError::InvalidConfig(ConfigError::Curve));
        }
        let mut curve = InterestCurve::default();
        curve.points[..points.len()].copy_from_slice(points);
        curve.point_count = points.len() as u8;
        curve.validate()?;
        Ok(curve)
    }

    pub fn active_points(&self) -> &[CurvePoint] {
        &self.points[..(self.point_count as usize).min(MAX_CURVE_POINTS)]
    }

    /// At least two points, from 0% to 100% utilisation, utilisation strictly increasing and the
    /// rate never decreasing.
    pub fn validate(&self) -> MathResult<()> {
        let points = self.active_points();
        let bad = Err(MathError::InvalidConfig(ConfigError::Curve));
        if self.point_count as usize > MAX_CURVE_POINTS || points.len() < 2 {
            return bad;
        }
        if points[0].utilization_bps != 0 || points[points.len() - 1].utilization_bps as u128 != BPS_DENOMINATOR {
            return bad;
        }
        for pair in points.windows(2) {
            if pair[1].utilization_bps <= pair[0].utilization_bps || pair[1].borrow_rate_bps < pair[0].borrow_rate_bps {
                return bad;
            }
        }
        // The rate never decreases, so the last point is the highest.
        if points[points.len() - 1].borrow_rate_bps > MAX_BORROW_RATE_BPS {
            return Err(MathError::InvalidConfig(ConfigError::BorrowRateTooHigh));
        }
        Ok(())
    }

    /// Annual borrow rate at `utilization` (a Wad ratio, clamped to 100%), rounded up.
    pub fn borrow_rate(&self, utilization: Wad) -> MathResult<Wad> {
        let utilization = utilization.min(Wad::ONE);
        let points = self.active_points();
        let utilization_of = |p: &CurvePoint| Wad::from_bps(p.utilization_bps as u64);
        let rate_of = |p: &CurvePoint| Wad::from_bps(p.borrow_rate_bps as u64);
        for pair in points.windows(2) {
            let (lo, hi) = (&pair[0], &pair[1]);
            if utilization <= utilization_of(hi) {
                // rate = lo.rate + (u - lo.u) * (hi.rate - lo.rate) / (hi.u - lo.u)
                let rise = rate_of(hi).checked_sub(rate_of(lo))?;
                let run = utilization_of(hi).checked_sub(utilization_of(lo))?;
                let along = utilization.checked_sub(utilization_of(lo))?;
                let step = rise.mul_ratio(along.0, run.0, Rounding::Up)?;
                return rate_of(lo).checked_add(step);
            }
        }
        points.last().map(rate_of).ok_or(MathError::InvalidConfig(ConfigError::Curve))
    }

    /// Growth of the borrow index over `elapsed_secs` at `annual_rate`, compounded per second
    /// and rounded up (interest favours lenders, and so the protocol).
    pub fn compounded_growth(annual_rate: Wad, elapsed_secs: u64) -> MathResult<Wad> {
        let per_second = annual_rate.mul_ratio(1, SECONDS_PER_YEAR as u128, Rounding::Up)?;
        Wad::ONE.checked_add(per_second)?.pow(elapsed_secs, Rounding::Up)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinked() -> InterestCurve {
        InterestCurve::from_points(&[
            CurvePoint { utilization_bps: 0, borrow_rate_bps: 0 },
            CurvePoint { utilization_bps: 8_000, borrow_rate_bps: 800 },
            CurvePoint { utilization_bps: 10_000, borrow_rate_bps: 10_800 },
        ])
        .unwrap()
    }

    #[test]
    fn interpolates_between_points() {
        let curve = kinked();
        assert_eq!(curve.borrow_rate(Wad::ZERO), Ok(Wad::ZERO));
        assert_eq!(curve.borrow_rate(Wad::from_bps(4_000)), Ok(Wad::from_bps(400)));
        assert_eq!(curve.borrow_rate(Wad::from_bps(8_000)), Ok(Wad::from_bps(800)));
        assert_eq!(curve.borrow_rate(Wad::from_bps(9_000)), Ok(Wad::from_bps(5_800)));
        assert_eq!(curve.borrow_rate(Wad::ONE), Ok(Wad::from_bps(10_800)));
        assert_eq!(curve.borrow_rate(Wad(2 * Wad::ONE.0)), Ok(Wad::from_bps(10_800)));
    }

    #[test]
    fn rejects_malformed_curves() {
        let p = |u, r| CurvePoint { utilization_bps: u, borrow_rate_bps: r };
        let bad = Err(MathError::InvalidConfig(ConfigError::Curve));
        assert_eq!(InterestCurve::from_points(&[p(0, 0)]), bad);
        assert_eq!(InterestCurve::from_points(&[p(1, 0), p(10_000, 5)]), bad);
        assert_eq!(InterestCurve::from_points(&[p(0, 0), p(9_999, 5)]), bad);
        assert_eq!(InterestCurve::from_points(&[p(0, 9), p(10_000, 5)]), bad);
        assert_eq!(InterestCurve::from_points(&[p(0, 0), p(5_000, 1), p(5_000, 2), p(10_000, 3)]), bad);
        assert_eq!(InterestCurve::from_points(&[p(0, 0); 12]), bad);
    }

    #[test]
    fn one_year_at_ten_percent_compounds_to_e_to_the_tenth() {
        let growth = InterestCurve::compounded_growth(Wad::from_bps(1_000), SECONDS_PER_YEAR).unwrap();
        // e^0.1 = 1.105170918...
        assert!(growth.0 > 1_105_170_000_000_000_000 && growth.0 < 1_105_171_000_000_000_000, "{growth:?}");
    }
}
