//! The fuzzer's peer-parity operations: a deposit's collateral flag turned on or off, and flash
//! loans (repaid in the transaction, sometimes with the borrowed tokens deposited and withdrawn
//! in between, sometimes left unpaid, which must fail and change nothing).

use ballast_client::instructions as ix;
use ballast_engine::{Positions as _, ReserveState as _};
use ballast_math::Wad;
use ballast_rng::Rng;

use super::World;

impl World {
    /// `set_collateral` on one of `user`'s reserves, on or off at random; turning one off that
    /// the obligation's initial health needs is refused with nothing changed (invariant 8), and
    /// one that lands keeps initial health >= 0 (invariant 4) and every other obligation as it
    /// was (invariant 5). Liveness and the client's health then see the flag.
    pub(super) async fn toggle_collateral(&mut self, user: usize, asset: usize, rng: &mut Rng, context: &str) {
        let on = rng.chance(40);
        let pairs = self.f.health_after(&self.users[user], None, None).await;
        let u = &self.users[user];
        let i = ix::set_collateral(u.key(), self.f.market, self.f.keys(asset).reserve, on, &pairs);
        let before = self.stats.succeeded;
        self.user_action(user, i, context, !on).await;
        if self.stats.succeeded > before {
            self.stats.collateral_toggles += 1;
            let obligation = self.f.env.obligation(&self.users[user].obligation).await;
            assert_eq!(obligation.is_collateral(&self.f.keys(asset).reserve), Ok(on), "{context}: the flag is stored");
        }
    }

    /// A flash loan of `asset` by `user`: borrow and repay in one transaction, with a deposit and
    /// withdrawal of the borrowed tokens between them one time in three; one time in ten the
    /// repay is missing. A loan that lands leaves the share value unchanged and credits exactly
    /// its fee to protocol fees and insurance; one that fails changes nothing.
    pub(super) async fn flash_loan(&mut self, user: usize, asset: usize, rng: &mut Rng, context: &str) {
        let keys = self.f.keys(asset);
        let reserve = self.f.env.reserve(&keys.reserve).await;
        let now = self.f.env.now().await;
        let before = reserve.accrued(now).unwrap();
        let amount = self.amount(rng, asset).min(before.available_liquidity.max(1));
        let fee = reserve.treasury().flash_loan_fee(amount).unwrap();
        let u = &self.users[user];
        let token = u.token_accounts[asset];
        let mut instructions = vec![ix::flash_borrow(u.key(), &keys, token, amount)];
        let round_trip = rng.chance(33);
        if round_trip {
            instructions.push(ix::deposit(u.key(), &keys, token, amount));
            let pairs = self.f.health_after(&self.users[user], Some(asset), None).await;
            let u = &self.users[user];
            instructions.push(ix::withdraw(u.key(), &keys, token, amount, &pairs));
        }
        let unpaid = rng.chance(10);
        let u = &self.users[user];
        if !unpaid {
            instructions.push(ix::flash_repay(u.key(), &keys, token, amount));
        }
        let signer = u.keypair.insecure_clone();
        let w = self.watched();
        let snapshot = self.f.env.snapshot(&w).await;
        match self.f.env.send(&instructions, &[&signer]).await {
            Ok(_) => {
                assert!(!unpaid, "{context}: a flash loan without its repay landed");
                self.stats.succeeded += 1;
                self.stats.flash_loans += 1;
                let after = self.f.env.reserve(&keys.reserve).await.accrued(now).unwrap();
                let fees = |a: &ballast_math::ReserveAccounting| a.protocol_fees.checked_add(a.insurance_fees).unwrap();
                assert_eq!(fees(&after).checked_sub(fees(&before)), Ok(Wad::from_u64(fee)), "{context}: the fee");
                // The loan alone moves no share value; a deposit and withdrawal between its two
                // ends may leave their rounding dust to every depositor, never take any.
                let (value_after, value_before) =
                    (after.supply_share_value().unwrap(), before.supply_share_value().unwrap());
                if round_trip {
                    assert!(value_after >= value_before, "{context}: share value fell");
                } else {
                    assert_eq!(value_after, value_before, "{context}: share value moved");
                }
                assert_eq!(
                    self.f.env.reserve(&keys.reserve).await.flash_loan_amount,
                    0,
                    "{context}: a loan stayed open"
                );
            }
            Err(_) => {
                self.stats.rejected += 1;
                let after = self.f.env.snapshot(&w).await;
                assert_eq!(snapshot, after, "{context}: invariant 8 (a failed flash loan changed state)");
            }
        }
    }
}
