//! The reference liquidator bot (bots/liquidator) on the real runtime, through its in-process
//! transport: a book of obligations, a price drop, and the bot's passes judged by the program's
//! own health (`get_health`).
//!
//! Needs `ballast-liquidator = { path = "../bots/liquidator" }` among ballast-tests'
//! (dev-)dependencies. Until tests/Cargo.toml has that line, the `cfg` below keeps this file out
//! of the build so the rest of the suite still compiles: add the dependency, then delete it.

use ballast_engine::{Positions as _, ReserveState as _};
use std::collections::{BTreeMap, BTreeSet};

use anchor_lang::prelude::Pubkey;
use ballast_liquidator::banks::BanksChain;
use ballast_liquidator::{AttemptOutcome, Config, Liquidator, Metrics, PassReport};
use ballast_tests::{AssetSpec, Fixture, OracleFormat, User};

const SOL: usize = 0;
const USDC: usize = 1;
const ONE_SOL: u64 = 1_000_000_000;
const ONE_USDC: u64 = 1_000_000;

struct Book {
    f: Fixture,
    /// Every user with an obligation (lender, borrowers).
    users: Vec<User>,
}

/// SOL ($100, pull oracle) / USDC ($1, legacy oracle). A lender supplies 100,000 USDC and 100 SOL.
/// `sol_borrowers` deposit 10 SOL each and borrow USDC evenly spread from 560 to 740 (the most
/// 10 SOL supports at LTV 75% is 748.5); `usdc_borrowers` deposit 2,000 USDC and borrow 10 SOL
/// (a SOL price drop only makes them healthier).
async fn book(sol_borrowers: u64, usdc_borrowers: u64) -> Book {
    book_in(ballast_tests::default_market_params(), sol_borrowers, usdc_borrowers).await
}

/// `book` in a market with the knobs `params`.
async fn book_in(params: ballast::MarketConfigParams, sol_borrowers: u64, usdc_borrowers: u64) -> Book {
    let sol = AssetSpec::new("SOL", 9, 100.0);
    let usdc = AssetSpec { oracle: OracleFormat::Legacy, ..AssetSpec::new("USDC", 6, 1.0) };
    let mut f = Fixture::with_market(params, &[sol, usdc]).await;
    let lender = f.new_user(&[100 * ONE_SOL, 100_000 * ONE_USDC]).await;
    f.deposit(&lender, USDC, 100_000 * ONE_USDC).await.unwrap();
    f.deposit(&lender, SOL, 100 * ONE_SOL).await.unwrap();
    let mut users = vec![lender];
    for k in 0..sol_borrowers {
        let user = f.new_user(&[10 * ONE_SOL, 0]).await;
        f.deposit(&user, SOL, 10 * ONE_SOL).await.unwrap();
        let debt = 560 * ONE_USDC + 180 * ONE_USDC * k / (sol_borrowers - 1).max(1);
        f.borrow(&user, USDC, debt).await.unwrap();
        users.push(user);
    }
    for _ in 0..usdc_borrowers {
        let user = f.new_user(&[0, 2_000 * ONE_USDC]).await;
        f.deposit(&user, USDC, 2_000 * ONE_USDC).await.unwrap();
        f.borrow(&user, SOL, 10 * ONE_SOL).await.unwrap();
        users.push(user);
    }
    Book { f, users }
}

impl Book {
    /// A liquidator wallet holding `usdc` USDC, with a token account per mint.
    async fn liquidator(&mut self, usdc: u64) -> User {
        self.f.new_user(&[0, usdc]).await
    }

    fn config(&self, liquidator: &User) -> Config {
        let token_accounts: BTreeMap<Pubkey, Pubkey> =
            (0..self.f.assets.len()).map(|a| (self.f.keys(a).mint, liquidator.token_accounts[a])).collect();
        Config {
            market: self.f.market,
            min_profit_usd: 0.01,
            token_accounts,
            max_attempts: 3,
            retry_base_delay_ms: 10,
            ..Config::default()
        }
    }

    /// The in-process transport, told every obligation of the book (BanksClient has no
    /// getProgramAccounts).
    fn chain(&self) -> BanksChain {
        let mut chain = BanksChain::new(self.f.env.banks_client().expect("the bot tests run on the in-process bank"));
        chain.watch(self.users.iter().map(|u| u.obligation));
        chain
    }

    /// Obligations the program itself reports liquidatable.
    async fn liquidatable(&mut self) -> BTreeSet<Pubkey> {
        let mut out = BTreeSet::new();
        for i in 0..self.users.len() {
            let user = &self.users[i];
            let report = self.f.program_health(user, false).await;
            if report.liquidatable {
                out.insert(user.obligation);
            }
        }
        out
    }

    async fn obligation_data(&mut self) -> BTreeMap<Pubkey, Vec<u8>> {
        let mut out = BTreeMap::new();
        for key in self.users.iter().map(|u| u.obligation).collect::<Vec<_>>() {
            out.insert(key, self.f.env.account(&key).await.expect("obligation").data);
        }
        out
    }

    async fn balances(&mut self, user: &User) -> (u64, u64, u64) {
        let lamports = self.f.env.account(&user.key()).await.expect("wallet").lamports;
        (
            lamports,
            self.f.env.token_balance(&user.token_accounts[SOL]).await,
            self.f.env.token_balance(&user.token_accounts[USDC]).await,
        )
    }
}

fn landed(report: &PassReport) -> BTreeSet<Pubkey> {
    report.liquidated().into_iter().collect()
}

#[tokio::test]
async fn bot_liquidates_every_liquidatable_obligation_and_no_healthy_one() {
    let mut b = book(24, 6).await;
    let liquidator = b.liquidator(50_000 * ONE_USDC).await;
    assert!(b.liquidatable().await.is_empty());
    // Healthy book: one pass finds nothing.
    let metrics = Metrics::new();
    let bot = Liquidator::new(b.config(&liquidator), liquidator.keypair.insecure_clone(), metrics.clone());
    let mut chain = b.chain();
    let report = bot.run_once(&mut chain).await.unwrap();
    assert_eq!((report.obligations, report.unhealthy, report.planned), (31, 0, 0));

    // SOL falls to $80: 10 SOL count for 640 USD; borrowers owing more are liquidatable (13 of
    // them, from health factor 0.99 down to 0.86, where the whole debt may be repaid).
    b.f.set_price(SOL, 80.0).await;
    let liquidatable = b.liquidatable().await;
    assert_eq!(liquidatable.len(), 13);
    let before = b.obligation_data().await;
    let (_, sol_before, usdc_before) = b.balances(&liquidator).await;

    let report = bot.run_once(&mut chain).await.unwrap();
    assert_eq!(report.obligations, 31);
    assert_eq!(report.unhealthy, 13, "the bot's health agrees with the program's");
    assert_eq!((report.failed, report.lost_race, report.evaluation_errors), (0, 0, 0), "{report:#?}");
    assert_eq!(landed(&report), liquidatable, "liquidated exactly the liquidatable obligations");

    // None of the healthy ones was touched; none of the liquidated ones is still liquidatable.
    let after = b.obligation_data().await;
    for (key, data) in &before {
        assert_eq!(liquidatable.contains(key), after[key] != *data, "obligation {key}");
    }
    assert!(b.liquidatable().await.is_empty(), "every liquidation restored health");

    // The liquidator paid exactly the planned repays and received exactly the planned collateral.
    let repaid: u64 = report.outcomes.iter().map(|(c, _)| c.plan.repay_amount).sum();
    let received: u64 = report.outcomes.iter().map(|(c, _)| c.plan.liquidator_amount).sum();
    let (_, sol_after, usdc_after) = b.balances(&liquidator).await;
    assert_eq!(usdc_before - usdc_after, repaid);
    assert_eq!(sol_after - sol_before, received);
    assert!(report.outcomes.iter().all(|(c, _)| c.profit_usd > 0.0));
    assert!(report.outcomes.iter().any(|(c, _)| c.plan.repays_all), "the deepest were fully liquidated");
    assert!(report.outcomes.iter().any(|(c, _)| !c.plan.repays_all), "the others partially");

    let text = metrics.render();
    assert!(text.contains("ballast_liquidator_liquidations_landed_total 13"), "{text}");
    assert!(text.contains("ballast_liquidator_liquidations_sent_total 13"), "{text}");
    assert!(text.contains("ballast_liquidator_obligations_scanned_total 62"), "{text}");

    // A further pass has nothing to do.
    let report = bot.run_once(&mut chain).await.unwrap();
    assert_eq!((report.unhealthy, report.planned, report.sent), (0, 0, 0));
}

#[tokio::test]
async fn two_racing_bots_do_not_crash_and_the_loser_records_lost_races() {
    let mut b = book(8, 2).await;
    let alice = b.liquidator(20_000 * ONE_USDC).await;
    let bob = b.liquidator(20_000 * ONE_USDC).await;
    let (alice_metrics, bob_metrics) = (Metrics::new(), Metrics::new());
    let alice_bot = Liquidator::new(b.config(&alice), alice.keypair.insecure_clone(), alice_metrics.clone());
    let bob_bot = Liquidator::new(b.config(&bob), bob.keypair.insecure_clone(), bob_metrics.clone());
    let (mut alice_chain, mut bob_chain) = (b.chain(), b.chain());

    // Deterministic race: Alice scans, Bob liquidates everything, then Alice executes her plans.
    b.f.set_price(SOL, 80.0).await;
    let liquidatable = b.liquidatable().await;
    assert_eq!(liquidatable.len(), 4);
    let alice_scan = alice_bot.scan(&mut alice_chain).await.unwrap();
    assert_eq!(alice_scan.candidates.len(), 4);
    let bob_report = bob_bot.run_once(&mut bob_chain).await.unwrap();
    assert_eq!(landed(&bob_report), liquidatable);
    let alice_report = alice_bot.execute(&mut alice_chain, alice_scan).await;
    assert_eq!((alice_report.landed, alice_report.lost_race, alice_report.failed), (0, 4, 0), "{alice_report:#?}");
    assert_eq!(alice_report.sent, 0, "every stale plan failed in simulation; nothing was sent");
    assert!(alice_report.outcomes.iter().all(|(_, o)| matches!(o, AttemptOutcome::LostRace { .. })));
    assert!(alice_metrics.render().contains("ballast_liquidator_liquidations_lost_race_total 4"));
    assert!(b.liquidatable().await.is_empty());

    // Concurrent race: SOL falls to $70 and both bots run a pass at the same time.
    b.f.set_price(SOL, 70.0).await;
    let liquidatable = b.liquidatable().await;
    assert!(liquidatable.len() >= 4, "{}", liquidatable.len());
    let (a, c) = tokio::join!(alice_bot.run_once(&mut alice_chain), bob_bot.run_once(&mut bob_chain));
    let (a, c) = (a.unwrap(), c.unwrap());
    assert_eq!((a.failed, c.failed), (0, 0), "{a:#?}\n{c:#?}");
    let both: BTreeSet<Pubkey> = landed(&a).union(&landed(&c)).copied().collect();
    assert_eq!(both, liquidatable, "every liquidatable obligation was liquidated by one of them");
    assert_eq!(a.landed + c.landed + a.lost_race + c.lost_race, a.planned + c.planned);
    // Both scanned before either sent (the passes interleave at every await), so one lost races.
    assert!(a.lost_race + c.lost_race >= 1, "{a:#?}\n{c:#?}");
    // What is still unhealthy has no collateral left to seize (bad debt for socialize_loss).
    for user in &b.users {
        if b.f.program_health(user, false).await.liquidatable {
            let obligation = b.f.env.obligation(&user.obligation).await;
            assert!(obligation.active_positions().iter().all(|p| p.supply_shares == 0), "{}", user.obligation);
        }
    }
}

#[tokio::test]
async fn dry_run_sends_nothing() {
    let mut b = book(8, 2).await;
    let liquidator = b.liquidator(20_000 * ONE_USDC).await;
    b.f.set_price(SOL, 80.0).await;
    let liquidatable = b.liquidatable().await;
    assert_eq!(liquidatable.len(), 4);
    let obligations = b.obligation_data().await;
    let balances = b.balances(&liquidator).await;

    let config = Config { dry_run: true, ..b.config(&liquidator) };
    let report = ballast_liquidator::run_once(&mut b.chain(), &config, &liquidator.keypair).await.unwrap();
    assert_eq!((report.planned, report.dry_run, report.sent, report.landed), (4, 4, 0, 0));
    let planned: BTreeSet<Pubkey> = report.outcomes.iter().map(|(c, _)| c.obligation).collect();
    assert_eq!(planned, liquidatable);
    assert_eq!(b.balances(&liquidator).await, balances, "lamports and token balances unchanged");
    assert_eq!(b.obligation_data().await, obligations, "no obligation changed");
    assert_eq!(b.liquidatable().await, liquidatable);
}

#[tokio::test]
async fn repays_are_sized_to_the_wallet_and_min_profit_is_respected() {
    let mut b = book(8, 2).await;
    b.f.set_price(SOL, 80.0).await;
    assert_eq!(b.liquidatable().await.len(), 4);

    // A profit floor above every opportunity: nothing is sent.
    let liquidator = b.liquidator(20_000 * ONE_USDC).await;
    let config = Config { min_profit_usd: 1_000.0, ..b.config(&liquidator) };
    let report = ballast_liquidator::run_once(&mut b.chain(), &config, &liquidator.keypair).await.unwrap();
    assert_eq!((report.unhealthy, report.unprofitable, report.planned, report.sent), (4, 4, 0, 0));

    // 150 USDC: the most profitable liquidation is shrunk to what the wallet holds (re-planned
    // by the program's own sizing), the others are skipped for lack of funds, nothing fails.
    let poor = b.liquidator(150 * ONE_USDC).await;
    let report = ballast_liquidator::run_once(&mut b.chain(), &b.config(&poor), &poor.keypair).await.unwrap();
    assert_eq!((report.landed, report.no_funds, report.failed, report.lost_race), (1, 3, 0, 0), "{report:#?}");
    let repaid: u64 = report.outcomes.iter().map(|(c, _)| c.plan.repay_amount).sum();
    assert!(repaid <= 150 * ONE_USDC);
    assert_eq!(b.f.env.token_balance(&poor.token_accounts[USDC]).await, 150 * ONE_USDC - repaid);
}

/// A run on the SOL vault (a whale borrows every SOL token): the policy marks each plan
/// `receive_shares`, and the bot takes the seized SOL as supply shares into its own obligation.
#[tokio::test]
async fn bot_takes_supply_shares_when_the_collateral_vault_is_drained() {
    let mut b = book(6, 0).await;
    let whale = b.f.new_user(&[0, 1_000_000 * ONE_USDC]).await;
    b.f.deposit(&whale, USDC, 1_000_000 * ONE_USDC).await.unwrap();
    let sol = b.f.keys(SOL);
    let available = b.f.env.reserve(&sol.reserve).await.accounting().available_liquidity;
    b.f.borrow(&whale, SOL, available).await.unwrap();
    b.users.push(whale);
    b.f.set_price(SOL, 80.0).await;
    let liquidatable = b.liquidatable().await;
    assert!(!liquidatable.is_empty());

    let liquidator = b.liquidator(50_000 * ONE_USDC).await;
    let bot = Liquidator::new(b.config(&liquidator), liquidator.keypair.insecure_clone(), Metrics::new());
    let mut chain = b.chain();
    let vault_before = b.f.env.token_balance(&sol.vault).await;
    let report = bot.run_once(&mut chain).await.unwrap();
    assert_eq!(landed(&report), liquidatable, "{report:#?}");
    assert!(report.outcomes.iter().all(|(c, _)| c.receive_shares), "every plan paid in shares");
    assert_eq!(b.f.env.token_balance(&sol.vault).await, vault_before, "no SOL left the vault");
    assert_eq!(b.f.env.token_balance(&liquidator.token_accounts[SOL]).await, 0);
    let mine = b.f.env.obligation(&liquidator.obligation).await;
    assert!(mine.position(&sol.reserve).is_some_and(|p| p.supply_shares > 0), "SOL shares credited");
    assert!(b.liquidatable().await.is_empty(), "every liquidation restored health");
}

/// A looped, insolvent position (SOL collateral, SOL and USDC debt) after a crash: the bot's
/// liquidation takes all but dust of the collateral and the USDC debt left is written off in the
/// same instruction; its next pass writes off the SOL debt left against the dust
/// (`socialize_loss`), and the obligation ends with no debt.
#[tokio::test]
async fn bot_writes_off_debt_left_without_collateral() {
    let mut b = book(0, 0).await;
    let looped = b.f.new_user(&[10 * ONE_SOL, 0]).await;
    b.f.deposit(&looped, SOL, 10 * ONE_SOL).await.unwrap();
    b.f.borrow(&looped, SOL, 2 * ONE_SOL).await.unwrap();
    b.f.borrow(&looped, USDC, 500 * ONE_USDC).await.unwrap();
    let looped_obligation = looped.obligation;
    b.users.push(looped);
    b.f.set_price(SOL, 40.0).await; // collateral $400 against $580 of debt
    let liquidator = b.liquidator(10_000 * ONE_USDC).await;
    let bot = Liquidator::new(b.config(&liquidator), liquidator.keypair.insecure_clone(), Metrics::new());
    let mut chain = b.chain();
    let (sol, usdc) = (b.f.keys(SOL), b.f.keys(USDC));
    let loss_before = ballast::state::wad_from_bytes(&b.f.env.reserve(&sol.reserve).await.socialized_loss);

    let first = bot.run_once(&mut chain).await.unwrap();
    assert_eq!(landed(&first), BTreeSet::from([looped_obligation]), "{first:#?}");
    assert!(first.write_offs.is_empty());
    let after_liquidation = b.f.env.obligation(&looped_obligation).await;
    assert!(after_liquidation.position(&usdc.reserve).is_none(), "the USDC debt was repaid and written off");
    assert!(after_liquidation.position(&sol.reserve).is_some_and(|p| p.debt_shares().0 > 0), "SOL debt left");
    let left = b.f.program_health(&b.users[1], false).await;
    let dust = ballast_tests::default_market_params().dust_value_usd;
    assert!(left.liquidatable && left.collateral_value < dust, "dust left: {left:?}");

    let second = bot.run_once(&mut chain).await.unwrap();
    assert_eq!(second.write_offs.len(), 1, "{second:#?}");
    let (write_off, outcome) = &second.write_offs[0];
    assert_eq!((write_off.obligation, write_off.reserve), (looped_obligation, sol.reserve));
    assert!(matches!(outcome, AttemptOutcome::Landed { .. }), "{outcome:?}");
    assert!(!b.f.env.obligation(&looped_obligation).await.has_debt(), "no debt left");
    // The looped borrower was SOL's only debtor: its debt is gone from the reserve, paid by the
    // insurance fund and, past it, by the depositors as recorded socialised loss.
    let sol_reserve = b.f.env.reserve(&sol.reserve).await;
    assert!(sol_reserve.accounting().total_debt_shares.is_zero());
    let loss_after = ballast::state::wad_from_bytes(&sol_reserve.socialized_loss);
    assert!(loss_after >= loss_before);
    assert_eq!(bot.metrics.write_offs_landed.get(), 1);
    assert!(bot.run_once(&mut chain).await.unwrap().write_offs.is_empty(), "and nothing to do after");
}

/// A ten-minute Dutch auction, and a bot that wants $10 a liquidation: at SOL $90 one borrower
/// (740 USDC against 10 SOL, HF 0.97) is liquidatable, but the auction's 2% start pays less than
/// that. The bot marks it (the clock starts), sends nothing else and does not mark it again; when
/// SOL recovers it stops the clock, when SOL falls again it starts a new one, and it liquidates
/// once the auction has grown the bonus.
#[tokio::test]
async fn bot_marks_an_obligation_the_auction_does_not_yet_pay_for_and_liquidates_it_later() {
    let params = ballast::MarketConfigParams { auction_secs: 600, ..ballast_tests::default_market_params() };
    let mut b = book_in(params, 6, 0).await;
    b.f.set_price(SOL, 90.0).await;
    let liquidatable = b.liquidatable().await;
    assert_eq!(liquidatable.len(), 1);
    let target = *liquidatable.first().unwrap();
    let liquidator = b.liquidator(10_000 * ONE_USDC).await;
    let config = Config { min_profit_usd: 10.0, ..b.config(&liquidator) };
    let bot = Liquidator::new(config, liquidator.keypair.insecure_clone(), Metrics::new());
    let mut chain = b.chain();

    let first = bot.run_once(&mut chain).await.unwrap();
    assert!(first.outcomes.is_empty() && first.unprofitable == 1, "{first:#?}");
    assert_eq!(first.auction_marks.len(), 1, "{first:#?}");
    let (mark, outcome) = &first.auction_marks[0];
    assert_eq!(mark.obligation, target);
    assert!(matches!(outcome, AttemptOutcome::Landed { .. }), "{outcome:?}");
    let started = b.f.env.obligation(&target).await.liquidatable_since_ts;
    assert_eq!(started, b.f.env.now().await);
    let second = bot.run_once(&mut chain).await.unwrap();
    assert!(second.auction_marks.is_empty() && second.outcomes.is_empty(), "the clock runs: {second:#?}");

    // SOL recovers: the bot stops the clock, so the next dip's auction starts from the minimum.
    b.f.set_price(SOL, 100.0).await;
    b.f.env.next_blockhash().await;
    let recovered = bot.run_once(&mut chain).await.unwrap();
    assert_eq!(recovered.auction_marks.len(), 1, "{recovered:#?}");
    assert!(
        matches!(recovered.auction_marks[0].1, AttemptOutcome::Landed { .. }),
        "{:?}",
        recovered.auction_marks[0].1
    );
    assert_eq!(b.f.env.obligation(&target).await.liquidatable_since_ts, 0);
    b.f.set_price(SOL, 90.0).await;
    b.f.env.next_blockhash().await;
    bot.run_once(&mut chain).await.unwrap();
    assert_eq!(b.f.env.obligation(&target).await.liquidatable_since_ts, b.f.env.now().await, "a new clock");

    b.f.env.advance_time(600).await;
    b.f.refresh_prices().await;
    let third = bot.run_once(&mut chain).await.unwrap();
    assert_eq!(landed(&third), liquidatable, "{third:#?}");
    assert_eq!(third.outcomes[0].0.plan.bonus_bps, 1_000, "the auction's end: the maximum bonus");
    assert_eq!(bot.metrics.auction_marks_landed.get(), 3);
}

/// A borrower holds USDC against USDC debt; once USDC's liquidation threshold has ramped down to
/// 70%, 740 USDC of debt against 1,000 USDC is liquidatable. A bot holding no USDC at all
/// liquidates it with a flash loan of the one reserve (borrow, liquidate, repay in one
/// transaction) and keeps the bonus less the fee; it still skips the SOL-collateral borrowers it
/// has no USDC to repay for.
#[tokio::test]
async fn bot_funds_a_same_reserve_liquidation_with_a_flash_loan() {
    let mut b = book(4, 0).await;
    let owner = b.f.new_user(&[0, 1_000 * ONE_USDC]).await;
    b.f.deposit(&owner, USDC, 1_000 * ONE_USDC).await.unwrap();
    b.f.borrow(&owner, USDC, 740 * ONE_USDC).await.unwrap();
    b.users.push(owner);
    let authority = b.f.authority.insecure_clone();
    let keys = b.f.keys(USDC);
    let lower = ballast::ReserveConfigParams {
        ltv_bps: 6_000,
        liquidation_threshold_bps: 7_000,
        ..b.f.assets[USDC].params.clone()
    };
    let update =
        ballast_client::instructions::update_reserve_config(solana_signer::Signer::pubkey(&authority), &keys, lower);
    b.f.env.send_ok(&[update], &[&authority]).await;
    b.f.env.advance_time(86_400).await;
    b.f.refresh_prices().await;
    b.f.set_price(SOL, 80.0).await;
    let liquidatable = b.liquidatable().await;
    let target = b.users.last().unwrap().obligation;
    assert!(liquidatable.contains(&target) && liquidatable.len() > 1, "{liquidatable:?}");

    let liquidator = b.liquidator(0).await;
    let bot = Liquidator::new(b.config(&liquidator), liquidator.keypair.insecure_clone(), Metrics::new());
    let mut chain = b.chain();
    let report = bot.run_once(&mut chain).await.unwrap();
    assert_eq!(landed(&report), BTreeSet::from([target]), "{report:#?}");
    let (candidate, _) = &report.outcomes[0];
    assert!(candidate.flash_loan.is_some(), "funded by a flash loan");
    assert_eq!(report.no_funds, liquidatable.len() - 1, "no USDC for the SOL-collateral borrowers");
    // Lent the repay, paid it in, seized the collateral, repaid the loan and its 9 bps fee.
    let (_, _, usdc) = b.balances(&liquidator).await;
    let treasury = ballast_math::treasury::TreasuryConfig { insurance_floor: 0, flash_loan_fee_bps: 9 };
    let fee = treasury.flash_loan_fee(candidate.plan.repay_amount).unwrap();
    assert_eq!(usdc, candidate.plan.liquidator_amount - candidate.plan.repay_amount - fee);
    assert!(usdc > 0, "the bonus pays for the fee");
}
