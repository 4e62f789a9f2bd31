//! Stateful fuzzing on the real runtime: random sequences of every user and keeper instruction
//! (deposit, withdraw, borrow, repay, liquidate, socialize, the Dutch auction's mark, collateral
//! on/off, flash loans), of the authority (threshold changes, pauses, reserve status) and of the
//! world (price moves, crashes and recoveries, time jumps, donations) over several users and reserves with random
//! decimals and prices, in a market that runs a Dutch auction and paces liquidations of the
//! reserves given a depth budget. After every step all of DESIGN.md's invariants are checked; a
//! violation fails the test with the seed and step that reproduce it.
//!
//! `BALLAST_FUZZ_STEPS` (default 1,500) steps per seed, `BALLAST_FUZZ_SEEDS` (default 4) seeds,
//! `BALLAST_FUZZ_SEED` (default 1) the first seed. Long run:
//! `BALLAST_FUZZ_STEPS=20000 BALLAST_FUZZ_SEEDS=10 cargo test -p ballast-tests --test integration fuzz -- --nocapture`

use anchor_lang::prelude::Pubkey;
use ballast::health::HealthKind;
use ballast_client::instructions as ix;
use ballast_engine::{Positions as _, ReserveState as _};
use ballast_math::{Health, Rounding, Wad};
use ballast_tests::{AssetSpec, Fixture, OracleFormat, User};

use ballast_rng::Rng;

mod authority;
mod keepers;
mod parity;
mod stats;

use stats::Stats;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

const USERS: usize = 4;

struct World {
    f: Fixture,
    users: Vec<User>,
    liquidator: User,
    /// Per asset: one whole token in base units.
    unit: Vec<u64>,
    /// Per asset: the last supply share value and borrow index seen, and the socialized loss.
    watermarks: Vec<(Wad, Wad, Wad)>,
    stats: Stats,
}

impl World {
    async fn new(rng: &mut Rng) -> World {
        let mut specs = Vec::new();
        for i in 0..3 {
            // Solana mints use 0-9 decimals; u64 base units cap an 18-decimal token at 18.4 whole
            // tokens, which the math property tests cover instead.
            let decimals = [0u8, 6, 8, 9][rng.below(4) as usize];
            let price = [0.01, 1.0, 37.5, 2_500.0, 60_000.0][rng.below(5) as usize];
            let oracle = if i == 2 { OracleFormat::Legacy } else { OracleFormat::Pull };
            specs.push(AssetSpec { oracle, ..AssetSpec::new("FUZZ", decimals, price) });
        }
        // A five-minute Dutch auction; a collateral over its depth budget is liquidated at a 20%
        // close factor, its seizures decaying over ten minutes.
        let params = ballast::MarketConfigParams {
            auction_secs: 300,
            paced_close_factor_bps: 2_000,
            pacing_window_secs: 600,
            ..ballast_tests::default_market_params()
        };
        let mut f = Fixture::with_market(params, &specs).await;
        let authority = f.authority.insecure_clone();
        for asset in 0..specs.len() {
            let budget_usd = [0u64, 1_000, 1_000_000][rng.below(3) as usize];
            let params = ballast::ReserveConfigParams {
                liquidation_depth_budget_usd: budget_usd,
                ..f.assets[asset].params.clone()
            };
            let update =
                ix::update_reserve_config(solana_signer::Signer::pubkey(&authority), &f.keys(asset), params.clone());
            f.env.send_ok(&[update], &[&authority]).await;
            f.assets[asset].params = params;
        }
        let unit: Vec<u64> = specs.iter().map(|s| 10u64.pow(s.decimals as u32)).collect();
        // Everyone holds a million whole tokens' worth of base units (capped to fit u64).
        let balances: Vec<u64> = unit.iter().map(|u| u.saturating_mul(1_000_000).min(u64::MAX / 8)).collect();
        let mut users = Vec::new();
        for _ in 0..USERS {
            users.push(f.new_user(&balances).await);
        }
        let liquidator = f.new_user(&balances).await;
        // Seed liquidity so borrows are possible.
        for (asset, u) in unit.iter().enumerate() {
            f.deposit(&users[0], asset, u.saturating_mul(10_000)).await.unwrap();
        }
        let watermarks = vec![(Wad::ZERO, Wad::ZERO, Wad::ZERO); specs.len()];
        World { f, users, liquidator, unit, watermarks, stats: Stats::default() }
    }

    fn amount(&self, rng: &mut Rng, asset: usize) -> u64 {
        // From a thousandth of a token to a few thousand tokens, log-uniform-ish.
        let scale = [1u64, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 5_000_000][rng.below(8) as usize];
        (self.unit[asset].saturating_mul(scale) / 1_000).max(1)
    }

    async fn health(&mut self, user: usize, kind: HealthKind) -> Health {
        let user = &self.users[user];
        self.f.client_health(user, kind).await
    }

    /// The market's dust value: collateral below it lets `socialize_loss` write the debt off.
    async fn liquidation_config(&mut self) -> ballast_math::liquidation::LiquidationConfig {
        let data = self.f.env.account(&self.f.market).await.expect("market").data;
        ballast_client::accounts::decode_market(&data).expect("market decodes").liquidation_config()
    }

    async fn dust_value(&mut self) -> Wad {
        self.liquidation_config().await.dust_value
    }

    async fn all_maintenance(&mut self) -> Vec<Health> {
        let mut out = Vec::new();
        for u in 0..USERS {
            out.push(self.health(u, HealthKind::Maintenance).await);
        }
        out
    }

    /// The most one instruction's roundings can move between depositors: per asset, the value of
    /// one supply share (shares minted down and burned up move at most one; a share is worth more
    /// than a base unit once interest has grown it) plus two base units (a 0-decimal token at
    /// $60,000 has $60,000 base units).
    async fn base_unit_value(&mut self) -> Wad {
        let now = self.f.env.now().await;
        let mut total = Wad::ZERO;
        for (_, priced) in self.f.priced_reserves().await {
            let spot = priced.price.spot(now, &priced.reserve.oracle.limits()).unwrap();
            let share = priced.reserve.accrued(now).unwrap().supply_share_value().unwrap();
            let units = share.checked_add(Wad::from_u64(2)).unwrap();
            let value =
                ballast_math::health::token_value(units, priced.reserve.mint_decimals, spot, Rounding::Up).unwrap();
            total = total.checked_add(value).unwrap();
        }
        total
    }

    fn watched(&self) -> Vec<Pubkey> {
        let mut keys: Vec<Pubkey> = self.users.iter().chain([&self.liquidator]).map(|u| u.obligation).collect();
        for a in &self.f.assets {
            keys.extend([a.keys.reserve, a.keys.vault]);
        }
        for u in self.users.iter().chain(std::iter::once(&self.liquidator)) {
            keys.extend(u.token_accounts.iter().copied());
        }
        keys
    }

    /// Invariants 1, 2 and 3, for every reserve.
    async fn check_reserves(&mut self, context: &str) {
        let now = self.f.env.now().await;
        for asset in 0..self.f.assets.len() {
            self.stats.invariant_checks += 1;
            let keys = self.f.keys(asset);
            let reserve = self.f.env.reserve(&keys.reserve).await;
            let accounting = reserve.accrued(now).unwrap();
            let vault = self.f.env.token_balance(&keys.vault).await;
            // 1. The vault holds at least what the reserve tracks.
            assert!(
                vault >= reserve.accounting().available_liquidity,
                "{context}: invariant 1 (vault {vault} < tracked)"
            );
            // 2. Shares add up; their value is the reserve's liquidity within one unit each.
            let mut holder_shares = reserve.locked_supply_shares;
            let mut holder_value = accounting.liquidity_for_shares(reserve.locked_supply_shares).unwrap();
            let mut debt_shares = Wad::ZERO;
            let mut holders = 1u128;
            // The liquidator's obligation holds the supply shares paid out by `receive_shares`.
            for user in self.users.iter().chain([&self.liquidator]) {
                let obligation = self.f.env.obligation(&user.obligation).await;
                if let Some(p) = obligation.active_positions().iter().find(|p| p.reserve == keys.reserve) {
                    holder_shares += p.supply_shares;
                    holder_value =
                        holder_value.checked_add(accounting.liquidity_for_shares(p.supply_shares).unwrap()).unwrap();
                    debt_shares = debt_shares.checked_add(p.debt_shares()).unwrap();
                    holders += 1;
                }
            }
            assert_eq!(holder_shares, accounting.total_supply_shares, "{context}: invariant 2 (supply shares)");
            assert_eq!(debt_shares, accounting.total_debt_shares, "{context}: invariant 2 (debt shares)");
            let liquidity = accounting.total_liquidity().unwrap();
            assert!(holder_value <= liquidity, "{context}: invariant 2 (shares worth more than the liquidity)");
            assert!(liquidity.0 - holder_value.0 <= holders * ballast_math::WAD, "{context}: invariant 2 (value lost)");
            // 3. Share value and borrow index never fall, except by a recorded socialized loss.
            let value = accounting.supply_share_value().unwrap();
            let loss = ballast::state::wad_from_bytes(&reserve.socialized_loss);
            let (last_value, last_index, last_loss) = self.watermarks[asset];
            assert!(accounting.borrow_index >= last_index, "{context}: invariant 3 (borrow index fell)");
            assert!(
                value >= last_value || loss > last_loss,
                "{context}: invariant 3 (share value fell with no recorded loss)"
            );
            self.watermarks[asset] = (value, accounting.borrow_index, loss);
        }
    }

    async fn run(&mut self, rng: &mut Rng, seed: u64, steps: u64) {
        // `BALLAST_FUZZ_TRACE=1`: each step's operation, to replay a violation.
        let trace = std::env::var_os("BALLAST_FUZZ_TRACE").is_some();
        for step in 0..steps {
            let context = format!("seed {seed} step {step}");
            let op = rng.below(100);
            let user = rng.below(USERS as u64) as usize;
            let asset = rng.below(self.f.assets.len() as u64) as usize;
            let other = (asset + 1 + rng.below(self.f.assets.len() as u64 - 1) as usize) % self.f.assets.len();
            let amount = self.amount(rng, asset);
            self.stats.operations += 1;
            if trace {
                eprintln!("{context}: op {op} user {user} asset {asset} other {other} amount {amount}");
            }
            match op {
                0..=16 => {
                    let u = &self.users[user];
                    let i = ix::deposit(u.key(), &self.f.keys(asset), u.token_accounts[asset], amount);
                    self.user_action(user, i, &context, false).await;
                }
                17..=18 => self.toggle_collateral(user, asset, rng, &context).await,
                19 => self.flash_loan(user, asset, rng, &context).await,
                20..=34 => {
                    let amount = if rng.chance(20) { u64::MAX } else { amount };
                    let health = self.f.health_after(&self.users[user], None, None).await;
                    let closes = amount == u64::MAX && {
                        let o = self.f.env.obligation(&self.users[user].obligation).await;
                        o.active_positions()
                            .iter()
                            .any(|p| p.reserve == self.f.keys(asset).reserve && p.debt_shares().is_zero())
                    };
                    let health = if closes {
                        health.into_iter().filter(|(r, _)| *r != self.f.keys(asset).reserve).collect()
                    } else {
                        health
                    };
                    let u = &self.users[user];
                    let i = ix::withdraw(u.key(), &self.f.keys(asset), u.token_accounts[asset], amount, &health);
                    self.user_action(user, i, &context, true).await;
                }
                35..=54 => {
                    // Often right at the limit, so that price moves make positions liquidatable;
                    // sometimes everything the vault holds (a run that drains it).
                    let amount = if rng.chance(10) {
                        self.f.env.reserve(&self.f.keys(asset).reserve).await.accounting().available_liquidity.max(1)
                    } else if rng.chance(40) {
                        self.f.max_borrow(&self.users[user], asset).await.max(1)
                    } else {
                        amount
                    };
                    let health = self.f.health_after(&self.users[user], Some(asset), None).await;
                    let u = &self.users[user];
                    let i = ix::borrow(u.key(), &self.f.keys(asset), u.token_accounts[asset], amount, &health);
                    self.user_action(user, i, &context, true).await;
                }
                55..=69 => {
                    let amount = if rng.chance(30) { u64::MAX } else { amount };
                    let payer = &self.users[rng.below(USERS as u64) as usize];
                    let i = ix::repay(
                        payer.key(),
                        &self.f.keys(asset),
                        self.users[user].obligation,
                        payer.token_accounts[asset],
                        amount,
                    );
                    let signer = payer.keypair.insecure_clone();
                    self.action_signed(user, i, &signer, &context, false).await;
                }
                70..=79 => {
                    // Mostly aim at an obligation that is actually unhealthy, if there is one.
                    let healths = self.all_maintenance().await;
                    let target = match (0..USERS).find(|&u| !healths[u].is_healthy()) {
                        Some(u) if rng.chance(80) => u,
                        _ => user,
                    };
                    if rng.chance(15) {
                        self.mark(target, &context).await;
                    } else if rng.chance(25) {
                        self.sweep(rng, &context).await;
                    } else {
                        let obligation = self.f.env.obligation(&self.users[target].obligation).await;
                        let reserves: Vec<usize> = obligation
                            .active_positions()
                            .iter()
                            .map(|p| self.f.assets.iter().position(|a| a.keys.reserve == p.reserve).unwrap())
                            .collect();
                        let debt = obligation
                            .active_positions()
                            .iter()
                            .position(|p| !p.debt_shares().is_zero())
                            .map(|i| reserves[i])
                            .unwrap_or(asset);
                        // A collateral position: usually in another reserve than the debt, sometimes
                        // the same one (a looped position, liquidated in its own reserve).
                        let same_reserve = rng.chance(25);
                        let collateral = obligation
                            .active_positions()
                            .iter()
                            .enumerate()
                            .find(|(i, p)| p.supply_shares > 0 && (reserves[*i] != debt) != same_reserve)
                            .map(|(i, _)| reserves[i])
                            .unwrap_or(other);
                        let (debt, collateral) = if rng.chance(85) { (debt, collateral) } else { (asset, other) };
                        self.liquidate(target, debt, collateral, rng, &context).await
                    }
                }
                80..=83 => {
                    // Aim at a liquidatable obligation whose collateral is gone or dust, if any.
                    let mut target = user;
                    let dust = self.dust_value().await;
                    for (u, health) in self.all_maintenance().await.iter().enumerate() {
                        if !health.is_healthy() && health.collateral_value < dust {
                            target = u;
                        }
                    }
                    let user = target;
                    let health = self.f.health_after(&self.users[user], None, None).await;
                    let i = ix::socialize_loss(
                        self.f.market,
                        self.users[user].obligation,
                        self.f.keys(asset).reserve,
                        &health,
                    );
                    let w = self.watched();
                    match self.f.env.send(std::slice::from_ref(&i), &[]).await {
                        Ok(_) => {
                            self.stats.succeeded += 1;
                            self.stats.socializations += 1;
                        }
                        Err(_) => self.rejected_unchanged(i, &[], w, &context).await,
                    }
                }
                84..=91 => {
                    // Price move: -30% .. +25%; one move in ten a crash to 40% of the price, one
                    // in ten a recovery to twice it.
                    let factor = match rng.below(10) {
                        0 => 0.4,
                        1 => 2.0,
                        _ => 0.7 + rng.below(56) as f64 / 100.0,
                    };
                    self.stats.price_moves += 1;
                    self.stats.crashes += (factor == 0.4) as u64;
                    self.stats.recoveries += (factor == 2.0) as u64;
                    let now = self.f.env.now().await;
                    let account = self.f.env.account(&self.f.keys(asset).oracle).await.unwrap();
                    let current = ballast_client::health::oracle_price(
                        &self.f.env.reserve(&self.f.keys(asset).reserve).await,
                        &self.f.keys(asset).oracle,
                        &account.owner,
                        &account.data,
                    )
                    .unwrap();
                    let usd = current.price as f64 * 10f64.powi(current.exponent) * factor;
                    let _ = now;
                    self.f.set_price(asset, usd.max(1e-6)).await;
                    self.stats.succeeded += 1;
                }
                92..=96 => {
                    // Time jump of up to ten days; prices re-published.
                    self.stats.time_jumps += 1;
                    self.f.env.advance_time(1 + rng.below(10 * 86_400) as i64).await;
                    self.f.refresh_prices().await;
                    self.stats.succeeded += 1;
                }
                98..=99 => self.authority(asset, rng, &context).await,
                _ => {
                    // Donation straight to a vault: no share value or health may move.
                    self.stats.donations += 1;
                    let before = (
                        self.all_maintenance().await,
                        self.f.env.reserve(&self.f.keys(asset).reserve).await.accounting(),
                    );
                    let keys = self.f.keys(asset);
                    self.f.env.mint_to(&keys.mint, &keys.vault, amount).await;
                    let after = (self.all_maintenance().await, self.f.env.reserve(&keys.reserve).await.accounting());
                    assert_eq!(before, after, "{context}: invariant 1 (a donation moved health or shares)");
                    self.stats.succeeded += 1;
                }
            }
            self.check_reserves(&context).await;
            self.check_liveness(&context).await;
            self.check_client_matches_program(rng.below(USERS as u64) as usize, &context).await;
        }
    }

    /// Liveness: every liquidatable obligation can be improved by a permissionless instruction: the
    /// liquidation policy finds a plan the program accepts (in shares where the vault cannot pay
    /// tokens), or the collateral left is dust (or none) and `socialize_loss` writes the debt off.
    async fn check_liveness(&mut self, context: &str) {
        let healths = self.all_maintenance().await;
        for (user, health) in healths.iter().enumerate() {
            if health.is_healthy() {
                continue;
            }
            let dust = self.dust_value().await;
            let clearable =
                health.collateral_value < dust || self.f.policy_liquidation(&self.users[user]).await.is_some();
            if !clearable {
                let obligation = self.f.env.obligation(&self.users[user].obligation).await;
                panic!(
                    "{context}: liveness (a liquidatable obligation no instruction can improve): user {user}, {health:?}, mask {:?}, positions {:?}",
                    obligation.non_collateral_mask,
                    obligation.active_positions()
                );
            }
            self.stats.liveness_checks += 1;
        }
    }

    /// Differential: the client's health (ballast-client over fetched accounts) equals the
    /// program's own `get_health`, exactly, for both kinds.
    async fn check_client_matches_program(&mut self, user: usize, context: &str) {
        for (kind, initial) in [(HealthKind::Maintenance, false), (HealthKind::Initial, true)] {
            if initial && !self.f.env.obligation(&self.users[user].obligation).await.has_debt() {
                continue; // initial health reads every oracle check; only meaningful with debt
            }
            let client = self.health(user, kind).await;
            let program = self.f.program_health(&self.users[user], initial).await;
            assert_eq!(
                (client.weighted_collateral.0, client.weighted_debt.0, client.collateral_value.0, client.debt_value.0),
                (program.weighted_collateral, program.weighted_debt, program.collateral_value, program.debt_value),
                "{context}: client and program health differ ({kind:?})"
            );
            self.stats.differential_checks += 1;
        }
    }

    async fn user_action(
        &mut self,
        user: usize,
        i: anchor_lang::solana_program::instruction::Instruction,
        context: &str,
        needs_health: bool,
    ) {
        let signer = self.users[user].keypair.insecure_clone();
        self.action_signed(user, i, &signer, context, needs_health).await
    }

    /// Runs an action on `user`'s obligation; checks invariants 4, 5 and 8 around it.
    async fn action_signed(
        &mut self,
        user: usize,
        i: anchor_lang::solana_program::instruction::Instruction,
        signer: &solana_keypair::Keypair,
        context: &str,
        needs_health: bool,
    ) {
        let others_before = self.all_maintenance().await;
        let rounding_bound = self.base_unit_value().await;
        let w = self.watched();
        let before = self.f.env.snapshot(&w).await;
        match self.f.env.send(std::slice::from_ref(&i), &[signer]).await {
            Ok(_) => {
                self.stats.succeeded += 1;
                // 4. After a borrow or withdraw that needed health, initial health >= 0.
                if needs_health && self.f.env.obligation(&self.users[user].obligation).await.has_debt() {
                    let initial = self.health(user, HealthKind::Initial).await;
                    assert!(
                        initial.is_healthy(),
                        "{context}: invariant 4 (initial health negative after borrow/withdraw)"
                    );
                }
                // 5. Acting on one obligation never changes another's health: its debt is exactly
                // the same, and its collateral value can only grow by the rounding dust the
                // action leaves to all depositors (shares minted down, burned up).
                let others_after = self.all_maintenance().await;
                for other in (0..USERS).filter(|&o| o != user) {
                    let (b, a) = (&others_before[other], &others_after[other]);
                    assert_eq!(
                        b.weighted_debt, a.weighted_debt,
                        "{context}: invariant 5 (obligation {other}'s debt moved)"
                    );
                    assert!(
                        a.weighted_collateral >= b.weighted_collateral,
                        "{context}: invariant 5 (obligation {other} lost value)"
                    );
                    let dust = a.weighted_collateral.checked_sub(b.weighted_collateral).unwrap();
                    assert!(
                        dust <= rounding_bound,
                        "{context}: invariant 5 (obligation {other} gained {dust:?} > {rounding_bound:?})"
                    );
                }
            }
            Err(_) => {
                // 8. A failed instruction changes nothing.
                self.stats.rejected += 1;
                let after = self.f.env.snapshot(&w).await;
                assert_eq!(before, after, "{context}: invariant 8 (a failed instruction changed state)");
            }
        }
    }

    async fn rejected_unchanged(
        &mut self,
        i: anchor_lang::solana_program::instruction::Instruction,
        signers: &[&solana_keypair::Keypair],
        w: Vec<Pubkey>,
        context: &str,
    ) {
        self.stats.rejected += 1;
        let failure = self.f.env.assert_fails(&[i], signers, &w).await;
        let _ = (failure, context);
    }
}

#[tokio::test]
async fn stateful_fuzz_keeps_every_invariant() {
    let steps = env_u64("BALLAST_FUZZ_STEPS", 1_500);
    let seeds = env_u64("BALLAST_FUZZ_SEEDS", 4);
    let first = env_u64("BALLAST_FUZZ_SEED", 1);
    let mut total = Stats::default();
    for seed in first..first + seeds {
        let mut rng = Rng::new(seed);
        let mut world = World::new(&mut rng).await;
        world.run(&mut rng, seed, steps).await;
        world.wind_down(&format!("seed {seed} wind-down")).await;
        println!("fuzz seed {seed}: {}", world.stats.line());
        total.add(&world.stats);
    }
    println!("fuzz total: {}; 0 violations", total.line());
    assert!(total.succeeded > total.operations / 4, "the fuzzer mostly exercises successful paths");
}
