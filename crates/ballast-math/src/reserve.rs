//! Reserve accounting: supply shares, debt shares scaled by a borrow index, interest accrual and
//! protocol/insurance fees. Every conversion rounds as DESIGN.md's rounding table says.
//!
//! - Supply: a depositor holds `supply_shares`; the reserve's liquidity is
//!   `available + total_debt - protocol_fees - insurance_fees`, and one share is worth
//!   `liquidity / total_supply_shares`.
//! - Debt: an obligation holds `debt_shares` (a Wad); its debt in base units is
//!   `debt_shares * borrow_index`. The index only grows, by per-second compounding.

use crate::curve::InterestCurve;
use crate::{MathError, MathResult, Rounding, Wad, WAD};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReserveAccounting {
    /// Tokens in the vault that belong to the reserve (tracked, never read from the vault, so
    /// donations change nothing).
    pub available_liquidity: u64,
    /// Sum of all obligations' debt shares.
    pub total_debt_shares: Wad,
    /// Base units of debt per debt share; starts at 1.0 and only grows.
    pub borrow_index: Wad,
    /// Sum of all depositors' supply shares (including the reserve's locked seed shares).
    pub total_supply_shares: u64,
    /// Interest owed to the protocol, in base units, not yet collected.
    pub protocol_fees: Wad,
    /// Interest set aside for the insurance fund, in base units, not yet moved.
    pub insurance_fees: Wad,
    /// Unix time of the last accrual.
    pub last_update_ts: i64,
}

/// What a repay did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repayment {
    /// Base units the payer transfers.
    pub amount: u64,
    /// Debt shares removed from the obligation.
    pub debt_shares_burned: Wad,
}

impl ReserveAccounting {
    pub fn new(now_unix: i64) -> Self {
        ReserveAccounting { borrow_index: Wad::ONE, last_update_ts: now_unix, ..Default::default() }
    }

    /// Base units owed for `debt_shares`.
    pub fn debt_amount(&self, debt_shares: Wad, rounding: Rounding) -> MathResult<Wad> {
        debt_shares.mul(self.borrow_index, rounding)
    }

    pub fn total_debt(&self, rounding: Rounding) -> MathResult<Wad> {
        self.debt_amount(self.total_debt_shares, rounding)
    }

    /// Liquidity that belongs to depositors: available + debt - fees, with the debt rounded down.
    pub fn total_liquidity(&self) -> MathResult<Wad> {
        Wad::from_u64(self.available_liquidity)
            .checked_add(self.total_debt(Rounding::Down)?)?
            .checked_sub(self.protocol_fees)?
            .checked_sub(self.insurance_fees)
    }

    /// `debt / (available + debt)`, 0 for an empty reserve.
    pub fn utilization(&self) -> MathResult<Wad> {
        let debt = self.total_debt(Rounding::Down)?;
        let total = Wad::from_u64(self.available_liquidity).checked_add(debt)?;
        if total.is_zero() {
            return Ok(Wad::ZERO);
        }
        Wad::from_ratio(debt.0, total.0, Rounding::Down)
    }

    /// Value of one supply share in base units (1.0 before the first deposit).
    pub fn supply_share_value(&self) -> MathResult<Wad> {
        if self.total_supply_shares == 0 {
            return Ok(Wad::ONE);
        }
        self.total_liquidity()?.mul_ratio(1, self.total_supply_shares as u128, Rounding::Down)
    }

    /// Accrues interest from `last_update_ts` to `now_unix`, all or nothing. The interest grows total debt;
    /// `protocol_take_bps` and `insurance_take_bps` of it (rounded up) become fees.
    pub fn accrue(
        &mut self,
        now_unix: i64,
        curve: &InterestCurve,
        protocol_take_bps: u16,
        insurance_take_bps: u16,
    ) -> MathResult<()> {
        if now_unix <= self.last_update_ts {
            return Ok(());
        }
        let elapsed_secs = (now_unix - self.last_update_ts) as u64;
        let mut after = ReserveAccounting { last_update_ts: now_unix, ..*self };
        if !self.total_debt_shares.is_zero() {
            let debt_before = self.total_debt(Rounding::Down)?;
            let rate = curve.borrow_rate(self.utilization()?)?;
            let growth = InterestCurve::compounded_growth(rate, elapsed_secs)?;
            after.borrow_index = self.borrow_index.mul(growth, Rounding::Up)?;
            let debt_after = after.total_debt(Rounding::Down)?;
            // Liquidity (available + debt) must still fit in a Wad, or no later deposit, withdraw
            // or valuation could price a share: such an accrual fails instead.
            Wad::from_u64(self.available_liquidity).checked_add(debt_after)?;
            let interest = debt_after.saturating_sub(debt_before);
            let protocol_fee = interest.mul_bps(protocol_take_bps as u64, Rounding::Up)?.min(interest);
            let insurance_fee =
                interest.mul_bps(insurance_take_bps as u64, Rounding::Up)?.min(interest.saturating_sub(protocol_fee));
            after.protocol_fees = self.protocol_fees.checked_add(protocol_fee)?;
            after.insurance_fees = self.insurance_fees.checked_add(insurance_fee)?;
        }
        // All or nothing: a failed accrual leaves the reserve as it was.
        *self = after;
        Ok(())
    }

    /// Annual rates at the current utilisation: `(borrow, supply)`, as Wads. The borrow rate is the
    /// curve's at `utilization()` (what `accrue` charges); the supply rate is what depositors earn
    /// per unit of liquidity, `borrow x total debt x (1 - protocol take - insurance take) /
    /// liquidity`, rounded down (a quoted yield is never more than what accrues). Simple annual
    /// rates (APR); accrual compounds per second.
    pub fn rates(
        &self,
        curve: &InterestCurve,
        protocol_take_bps: u16,
        insurance_take_bps: u16,
    ) -> MathResult<(Wad, Wad)> {
        let borrow = curve.borrow_rate(self.utilization()?)?;
        let liquidity = self.total_liquidity()?;
        let debt = self.total_debt(Rounding::Down)?;
        if liquidity.is_zero() || debt.is_zero() {
            return Ok((borrow, Wad::ZERO));
        }
        let kept_bps =
            (crate::BPS_DENOMINATOR as u64).saturating_sub(protocol_take_bps as u64 + insurance_take_bps as u64);
        let earned = borrow.mul(debt, Rounding::Down)?.mul_bps(kept_bps, Rounding::Down)?;
        Ok((borrow, earned.div(liquidity, Rounding::Down)?))
    }

    /// Supply shares worth `amount` base units, rounded as asked.
    pub fn shares_for_amount(&self, amount: u64, rounding: Rounding) -> MathResult<u64> {
        if self.total_supply_shares == 0 {
            return Ok(amount);
        }
        let liquidity = self.total_liquidity()?;
        let shares = crate::mul_div(
            crate::wide::mul_64(amount, WAD as u64),
            self.total_supply_shares as u128,
            liquidity.0,
            rounding,
        )?;
        u64::try_from(shares).map_err(|_| MathError::Overflow)
    }

    /// Base units (a Wad, unrounded below one unit) that `shares` are worth.
    pub fn liquidity_for_shares(&self, shares: u64) -> MathResult<Wad> {
        if self.total_supply_shares == 0 {
            return Ok(Wad::ZERO);
        }
        self.total_liquidity()?.mul_ratio(shares as u128, self.total_supply_shares as u128, Rounding::Down)
    }

    /// Deposit `amount`: returns the shares minted (rounded down). `ZeroAmount` if that is none;
    /// `supply_cap` bounds the reserve's liquidity after the deposit.
    pub fn deposit(&mut self, amount: u64, supply_cap: u64) -> MathResult<u64> {
        let shares = self.shares_for_amount(amount, Rounding::Down)?;
        if amount == 0 || shares == 0 {
            return Err(MathError::ZeroAmount);
        }
        let available = self.available_liquidity.checked_add(amount).ok_or(MathError::Overflow)?;
        let total_shares = self.total_supply_shares.checked_add(shares).ok_or(MathError::Overflow)?;
        let after = ReserveAccounting { available_liquidity: available, total_supply_shares: total_shares, ..*self };
        if after.total_liquidity()? > Wad::from_u64(supply_cap) {
            return Err(MathError::SupplyCapExceeded);
        }
        *self = after;
        Ok(shares)
    }

    /// Withdraw exactly `amount` base units: returns the shares burned (rounded up).
    pub fn withdraw(&mut self, amount: u64) -> MathResult<u64> {
        if amount == 0 {
            return Err(MathError::ZeroAmount);
        }
        if amount > self.available_liquidity {
            return Err(MathError::InsufficientLiquidity);
        }
        let shares = self.shares_for_amount(amount, Rounding::Up)?;
        self.total_supply_shares = self.total_supply_shares.checked_sub(shares).ok_or(MathError::Underflow)?;
        self.available_liquidity -= amount;
        Ok(shares)
    }

    /// Redeem `shares` (a withdrawal of everything a holder has): returns the base units paid out
    /// (rounded down). Shares worth less than one base unit are burned for nothing, so a holder
    /// can always close a position; their value stays with the other holders.
    pub fn redeem(&mut self, shares: u64) -> MathResult<u64> {
        let amount = self.liquidity_for_shares(shares)?.to_u64(Rounding::Down)?;
        if shares == 0 {
            return Err(MathError::ZeroAmount);
        }
        if amount > self.available_liquidity {
            return Err(MathError::InsufficientLiquidity);
        }
        self.total_supply_shares = self.total_supply_shares.checked_sub(shares).ok_or(MathError::Underflow)?;
        self.available_liquidity -= amount;
        Ok(amount)
    }

    /// Borrow `amount`: returns the debt shares recorded (rounded up). `borrow_cap` bounds total
    /// debt after the borrow.
    pub fn borrow(&mut self, amount: u64, borrow_cap: u64) -> MathResult<Wad> {
        if amount == 0 {
            return Err(MathError::ZeroAmount);
        }
        if amount > self.available_liquidity {
            return Err(MathError::InsufficientLiquidity);
        }
        let debt_shares = Wad::from_u64(amount).div(self.borrow_index, Rounding::Up)?;
        let total_debt_shares = self.total_debt_shares.checked_add(debt_shares)?;
        let after =
            ReserveAccounting { total_debt_shares, available_liquidity: self.available_liquidity - amount, ..*self };
        if after.total_debt(Rounding::Up)? > Wad::from_u64(borrow_cap) {
            return Err(MathError::BorrowCapExceeded);
        }
        *self = after;
        Ok(debt_shares)
    }

    /// Seizes collateral in a liquidation: `liquidator_amount` base units leave the vault and
    /// `protocol_amount` becomes protocol fees (it stays in the vault). Burns the supply shares
    /// worth both, rounded up and at most `position_shares`; returns the shares burned.
    pub fn seize(&mut self, position_shares: u64, liquidator_amount: u64, protocol_amount: Wad) -> MathResult<u64> {
        let seized = Wad::from_u64(liquidator_amount).checked_add(protocol_amount)?;
        let liquidity = self.total_liquidity()?;
        let shares = crate::mul_div(seized.0, self.total_supply_shares as u128, liquidity.0, Rounding::Up)?;
        let shares = u64::try_from(shares).map_err(|_| MathError::Overflow)?.min(position_shares);
        if liquidator_amount > self.available_liquidity {
            return Err(MathError::InsufficientLiquidity);
        }
        let after = ReserveAccounting {
            available_liquidity: self.available_liquidity - liquidator_amount,
            total_supply_shares: self.total_supply_shares.checked_sub(shares).ok_or(MathError::Underflow)?,
            protocol_fees: self.protocol_fees.checked_add(protocol_amount)?,
            ..*self
        };
        *self = after;
        Ok(shares)
    }

    /// Seizes collateral as supply shares (the liquidator keeps them as a deposit): no token
    /// leaves the vault. The obligation loses the shares worth `liquidator_amount` plus
    /// `protocol_amount` (rounded up, at most `position_shares`); the liquidator is credited the
    /// shares worth `liquidator_amount` (rounded down); the rest are burned and their value,
    /// `protocol_amount`, becomes protocol fees. Returns (shares removed from the position,
    /// shares credited to the liquidator).
    pub fn seize_as_shares(
        &mut self,
        position_shares: u64,
        liquidator_amount: u64,
        protocol_amount: Wad,
    ) -> MathResult<(u64, u64)> {
        let seized = Wad::from_u64(liquidator_amount).checked_add(protocol_amount)?;
        let liquidity = self.total_liquidity()?;
        let to_shares = |amount: Wad, rounding| {
            crate::mul_div(amount.0, self.total_supply_shares as u128, liquidity.0, rounding)
                .and_then(|s| u64::try_from(s).map_err(|_| MathError::Overflow))
        };
        let removed = to_shares(seized, Rounding::Up)?.min(position_shares);
        let credited = to_shares(Wad::from_u64(liquidator_amount), Rounding::Down)?.min(removed);
        let after = ReserveAccounting {
            total_supply_shares: self
                .total_supply_shares
                .checked_sub(removed - credited)
                .ok_or(MathError::Underflow)?,
            protocol_fees: self.protocol_fees.checked_add(protocol_amount)?,
            ..*self
        };
        after.total_liquidity()?;
        *self = after;
        Ok((removed, credited))
    }

    /// Writes off `debt_shares` of an obligation that has no collateral left. The insurance fund
    /// covers what it can; the rest lowers the supply share value. Returns (debt written off,
    /// covered by insurance, loss to depositors), all base units as Wads.
    pub fn socialize(&mut self, debt_shares: Wad) -> MathResult<(Wad, Wad, Wad)> {
        let debt = self.debt_amount(debt_shares, Rounding::Up)?;
        let covered = debt.min(self.insurance_fees);
        let loss = debt.checked_sub(covered)?;
        let after = ReserveAccounting {
            total_debt_shares: self.total_debt_shares.checked_sub(debt_shares)?,
            insurance_fees: self.insurance_fees.checked_sub(covered)?,
            ..*self
        };
        // The write-off may not take more than depositors own.
        after.total_liquidity()?;
        *self = after;
        Ok((debt, covered, loss))
    }

    /// Base units needed to clear `debt_shares` entirely (rounded up).
    pub fn repay_amount_to_clear(&self, debt_shares: Wad) -> MathResult<u64> {
        self.debt_amount(debt_shares, Rounding::Up)?.to_u64(Rounding::Up)
    }

    /// Repay up to `max_amount` of an obligation's `debt_shares`. The amount is clamped to the
    /// debt; paying the full (rounded-up) debt burns every share, a partial payment burns the
    /// shares it covers rounded down.
    pub fn repay(&mut self, max_amount: u64, debt_shares: Wad) -> MathResult<Repayment> {
        // A debt above u64::MAX base units (interest can get it there) is repaid in parts.
        let owed = self.debt_amount(debt_shares, Rounding::Up)?.to_u64(Rounding::Up).ok();
        let amount = owed.map_or(max_amount, |owed| max_amount.min(owed));
        if amount == 0 {
            return Err(MathError::ZeroAmount);
        }
        let burned = if owed == Some(amount) {
            debt_shares
        } else {
            Wad::from_u64(amount).div(self.borrow_index, Rounding::Down)?.min(debt_shares)
        };
        let total_debt_shares = self.total_debt_shares.checked_sub(burned)?;
        let available_liquidity = self.available_liquidity.checked_add(amount).ok_or(MathError::Overflow)?;
        self.total_debt_shares = total_debt_shares;
        self.available_liquidity = available_liquidity;
        Ok(Repayment { amount, debt_shares_burned: burned })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curve::{CurvePoint, SECONDS_PER_YEAR};

    fn flat_ten_percent() -> InterestCurve {
        InterestCurve::from_points(&[
            CurvePoint { utilization_bps: 0, borrow_rate_bps: 1_000 },
            CurvePoint { utilization_bps: 10_000, borrow_rate_bps: 1_000 },
        ])
        .unwrap()
    }

    #[test]
    fn first_deposit_is_one_to_one_then_pro_rata() {
        let mut reserve = ReserveAccounting::new(0);
        assert_eq!(reserve.deposit(1_000, u64::MAX), Ok(1_000));
        assert_eq!(reserve.deposit(500, u64::MAX), Ok(500));
        assert_eq!(reserve.redeem(500), Ok(500));
        // Shares worth less than a base unit are burned for nothing: a position always closes.
        let mut dust = ReserveAccounting { total_supply_shares: 3_000, available_liquidity: 1_000, ..reserve };
        assert_eq!(dust.redeem(2), Ok(0));
        assert_eq!(dust.total_supply_shares, 2_998);
        assert_eq!(dust.redeem(0), Err(MathError::ZeroAmount));
        assert_eq!(reserve.available_liquidity, 1_000);
    }

    #[test]
    fn interest_accrues_to_depositors_minus_fees() {
        let mut reserve = ReserveAccounting::new(0);
        reserve.deposit(1_000_000, u64::MAX).unwrap();
        let shares = reserve.borrow(500_000, u64::MAX).unwrap();
        reserve.accrue(SECONDS_PER_YEAR as i64, &flat_ten_percent(), 1_000, 500).unwrap();
        let debt = reserve.debt_amount(shares, Rounding::Up).unwrap().to_u64(Rounding::Up).unwrap();
        assert_eq!(debt, 552_586); // 500_000 * e^0.1, rounded up
        let interest = Wad::from_u64(52_585);
        assert!(reserve.protocol_fees >= interest.mul_bps(1_000, Rounding::Down).unwrap());
        assert!(reserve.insurance_fees >= interest.mul_bps(500, Rounding::Down).unwrap());
        assert!(reserve.supply_share_value().unwrap() > Wad::ONE);
    }

    #[test]
    fn caps_and_liquidity_are_enforced() {
        let mut reserve = ReserveAccounting::new(0);
        assert_eq!(reserve.deposit(1_001, 1_000), Err(MathError::SupplyCapExceeded));
        reserve.deposit(1_000, 1_000).unwrap();
        assert_eq!(reserve.borrow(1_001, u64::MAX), Err(MathError::InsufficientLiquidity));
        assert_eq!(reserve.borrow(600, 599), Err(MathError::BorrowCapExceeded));
        assert_eq!(reserve.borrow(0, 599), Err(MathError::ZeroAmount));
        assert!(reserve.borrow(599, 599).is_ok());
    }

    #[test]
    fn a_debt_above_u64_max_is_repaid_in_parts() {
        // 2 x u64::MAX + 5 base units of debt: interest took it past what one amount can name.
        let debt = Wad::from_u64(u64::MAX)
            .checked_add(Wad::from_u64(u64::MAX))
            .unwrap()
            .checked_add(Wad::from_u64(5))
            .unwrap();
        let mut reserve = ReserveAccounting {
            available_liquidity: 0,
            total_debt_shares: debt,
            borrow_index: Wad::ONE,
            total_supply_shares: 1,
            ..Default::default()
        };
        assert!(reserve.repay_amount_to_clear(debt).is_err(), "no single amount clears it");
        let mut left = debt;
        for part in 0..2 {
            let repaid = reserve.repay(u64::MAX, left).unwrap();
            assert_eq!(repaid.amount, u64::MAX, "part {part}");
            left = left.checked_sub(repaid.debt_shares_burned).unwrap();
            reserve.available_liquidity = 0; // the repaid tokens are lent out again
        }
        assert_eq!(left, Wad::from_u64(5));
        // What is left fits one amount, and repaying it clears the position exactly.
        let last = reserve.repay(u64::MAX, left).unwrap();
        assert_eq!((last.amount, last.debt_shares_burned), (5, left));
        assert_eq!(reserve.total_debt_shares, Wad::ZERO);
    }

    #[test]
    fn seize_as_shares_moves_no_tokens_and_never_lowers_share_value() {
        let mut reserve = ReserveAccounting {
            available_liquidity: 100,
            total_debt_shares: Wad::from_u64(999_900),
            borrow_index: Wad::ONE,
            total_supply_shares: 1_000_000,
            last_update_ts: 0,
            ..Default::default()
        };
        let value_before = reserve.supply_share_value().unwrap();
        // The vault holds 100 base units; the liquidator takes 600,000 as shares all the same.
        let (removed, credited) = reserve.seize_as_shares(700_000, 600_000, Wad::from_u64(5_000)).unwrap();
        assert_eq!((removed, credited), (605_000, 600_000));
        assert_eq!(reserve.available_liquidity, 100, "no token leaves the vault");
        assert_eq!(reserve.total_supply_shares, 1_000_000 - 5_000, "only the protocol's part is burned");
        assert_eq!(reserve.protocol_fees, Wad::from_u64(5_000));
        assert!(reserve.supply_share_value().unwrap() >= value_before);
        // Capped at the position: never more shares than it holds.
        let (removed, credited) = reserve.seize_as_shares(10, 600_000, Wad::ZERO).unwrap();
        assert_eq!((removed, credited), (10, 10));
    }

    #[test]
    fn seize_burns_enough_shares_and_keeps_the_protocol_share_in_the_vault() {
        let mut reserve = ReserveAccounting::new(0);
        reserve.deposit(1_000_000, u64::MAX).unwrap();
        let value_before = reserve.supply_share_value().unwrap();
        let burned = reserve.seize(600_000, 500_000, Wad::from_u64(10_000)).unwrap();
        assert_eq!(burned, 510_000);
        assert_eq!(reserve.available_liquidity, 500_000);
        assert_eq!(reserve.protocol_fees, Wad::from_u64(10_000));
        assert!(reserve.supply_share_value().unwrap() >= value_before);
        assert_eq!(reserve.seize(10, 600_000, Wad::ZERO), Err(MathError::InsufficientLiquidity));
    }

    #[test]
    fn socialize_uses_insurance_first() {
        let mut reserve = ReserveAccounting::new(0);
        reserve.deposit(1_000_000, u64::MAX).unwrap();
        let shares = reserve.borrow(100_000, u64::MAX).unwrap();
        reserve.insurance_fees = Wad::from_u64(30_000);
        let value_before = reserve.supply_share_value().unwrap();
        let (debt, covered, loss) = reserve.socialize(shares).unwrap();
        assert_eq!((debt, covered, loss), (Wad::from_u64(100_000), Wad::from_u64(30_000), Wad::from_u64(70_000)));
        assert_eq!(reserve.total_debt_shares, Wad::ZERO);
        assert_eq!(reserve.insurance_fees, Wad::ZERO);
        // Depositors lose exactly the uncovered 70,000 of 1,000,000.
        let value_after = reserve.supply_share_value().unwrap();
        assert_eq!(value_before.checked_sub(value_after).unwrap(), Wad(70_000 * crate::WAD / 1_000_000));
    }

    #[test]
    fn full_repay_clears_all_shares() {
        let mut reserve = ReserveAccounting::new(0);
        reserve.deposit(1_000_000, u64::MAX).unwrap();
        let shares = reserve.borrow(333_333, u64::MAX).unwrap();
        reserve.accrue(86_400 * 7, &flat_ten_percent(), 0, 0).unwrap();
        let repaid = reserve.repay(u64::MAX, shares).unwrap();
        assert_eq!(repaid.debt_shares_burned, shares);
        assert!(repaid.amount > 333_333);
        assert_eq!(reserve.total_debt_shares, Wad::ZERO);
    }

    #[test]
    fn supply_rate_is_the_borrow_rate_times_utilisation_less_fees() {
        let mut reserve = ReserveAccounting::new(0);
        reserve.deposit(1_000_000, u64::MAX).unwrap();
        assert_eq!(reserve.rates(&flat_ten_percent(), 1_000, 500), Ok((Wad::from_bps(1_000), Wad::ZERO)));
        reserve.borrow(500_000, u64::MAX).unwrap();
        // 10% x 50% utilisation x 85% kept = 4.25%.
        assert_eq!(reserve.rates(&flat_ten_percent(), 1_000, 500), Ok((Wad::from_bps(1_000), Wad::from_bps(425))));
        // Over a short time, the share value grows at the quoted rate (simple interest, to first order).
        let value_before = reserve.supply_share_value().unwrap();
        reserve.accrue(86_400, &flat_ten_percent(), 1_000, 500).unwrap();
        let growth = reserve.supply_share_value().unwrap().div(value_before, Rounding::Down).unwrap();
        let expected = Wad::ONE
            .checked_add(Wad::from_bps(425).mul_ratio(86_400, SECONDS_PER_YEAR as u128, Rounding::Down).unwrap())
            .unwrap();
        assert!(growth.0.abs_diff(expected.0) < WAD / 1_000_000, "{growth:?} vs {expected:?}");
    }
}
