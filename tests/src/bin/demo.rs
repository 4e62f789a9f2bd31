//! Ballast demo on the embedded Solana runtime (no validator, no network): create a market with
//! two assets, deposit, borrow to the limit, show a rejected over-borrow, accrue interest, crash
//! the collateral price, liquidate, repay and withdraw, printing balances and health after each
//! step.

use ballast::health::HealthKind;
use ballast_client::instructions as ix;
use ballast_engine::{Positions as _, ReserveState as _};
use ballast_math::{Health, Wad};
use ballast_tests::{AssetSpec, Fixture, OracleFormat, User};

const SOL: usize = 0;
const USDC: usize = 1;

fn usd(wad: Wad) -> String {
    format!("${:.2}", wad.0 as f64 / 1e18)
}

fn tokens(amount: u64, decimals: u8) -> String {
    format!("{:.4}", amount as f64 / 10f64.powi(decimals as i32))
}

fn health_factor(health: &Health) -> String {
    match health.health_factor() {
        Some(hf) => format!("{:.4}", hf.0 as f64 / 1e18),
        None => "∞ (no debt)".to_string(),
    }
}

async fn report(f: &mut Fixture, step: &str, users: &[(&str, &User)]) {
    println!("\n== {step}");
    println!(
        "{:<10} {:>14} {:>14} {:>16} {:>16} {:>13} {:>12}",
        "user", "SOL wallet", "USDC wallet", "borrow power", "debt (initial)", "health factor", "max borrow"
    );
    for (name, user) in users {
        let sol_wallet = f.env.token_balance(&user.token_accounts[SOL]).await;
        let usdc_wallet = f.env.token_balance(&user.token_accounts[USDC]).await;
        let initial = f.client_health(user, HealthKind::Initial).await;
        let maintenance = f.client_health(user, HealthKind::Maintenance).await;
        let max = f.max_borrow(user, USDC).await;
        println!(
            "{:<10} {:>14} {:>14} {:>16} {:>16} {:>13} {:>12}",
            name,
            tokens(sol_wallet, 9),
            tokens(usdc_wallet, 6),
            usd(initial.weighted_collateral),
            usd(initial.weighted_debt),
            health_factor(&maintenance),
            tokens(max, 6),
        );
    }
    for asset in [SOL, USDC] {
        let keys = f.keys(asset);
        let reserve = f.env.reserve(&keys.reserve).await;
        // Interest accrued to now, as the next instruction touching the reserve will see it.
        let now = f.env.now().await;
        let accounting = reserve.accrued(now).expect("accrual");
        let vault = f.env.token_balance(&keys.vault).await;
        let decimals = reserve.mint_decimals;
        println!(
            "  reserve {:<5} vault {:>14}  available {:>14}  debt {:>14}  utilisation {:>6.2}%  share value {:.9}",
            f.assets[asset].symbol,
            tokens(vault, decimals),
            tokens(accounting.available_liquidity, decimals),
            tokens(
                accounting.total_debt(ballast_math::Rounding::Up).unwrap().to_u64(ballast_math::Rounding::Up).unwrap(),
                decimals
            ),
            accounting.utilization().unwrap().0 as f64 / 1e16,
            accounting.supply_share_value().unwrap().0 as f64 / 1e18,
        );
    }
}

#[tokio::main]
async fn main() {
    println!(
        "Ballast demo: the program runs natively inside solana-program-test's bank, with the real SPL Token program."
    );
    println!("(Lines like \"Instruction: Deposit\" are the program's own msg! logs, printed by the native build.)");
    let sol = AssetSpec::new("SOL", 9, 100.0);
    let usdc = AssetSpec { oracle: OracleFormat::Legacy, ..AssetSpec::new("USDC", 6, 1.0) };
    let mut f = Fixture::new(&[sol, usdc]).await;
    println!("Market {} with SOL ($100, Pyth pull PriceUpdateV2) and USDC ($1, legacy Pyth price account).", f.market);
    println!("Both: LTV 75%, liquidation threshold 80%, confidence 0.1%; borrow/withdraw value collateral at price - conf, debt at price + conf.");

    let lender = f.new_user(&[0, 10_000_000_000]).await;
    let borrower = f.new_user(&[10_000_000_000, 0]).await;
    f.deposit(&lender, USDC, 10_000_000_000).await.expect("lender deposit");
    f.deposit(&borrower, SOL, 10_000_000_000).await.expect("borrower deposit");
    report(
        &mut f,
        "lender deposits 10,000 USDC; borrower deposits 10 SOL",
        &[("lender", &lender), ("borrower", &borrower)],
    )
    .await;

    let max = f.max_borrow(&borrower, USDC).await;
    f.borrow(&borrower, USDC, max).await.expect("borrow to the limit");
    report(
        &mut f,
        &format!("borrower borrows its limit, {} USDC (computed by the client with ballast-math)", tokens(max, 6)),
        &[("borrower", &borrower)],
    )
    .await;

    let health = f.health_pairs(&[SOL, USDC]);
    let over = ix::borrow(borrower.key(), &f.keys(USDC), borrower.token_accounts[USDC], 1, &health);
    match f.env.send(&[over], &[&borrower.keypair]).await {
        Ok(_) => panic!("over-borrow by one unit was accepted"),
        Err(failure) => println!(
            "\n== over-borrow by 0.000001 USDC: rejected with {} (error {})",
            failure.error_name().unwrap_or_else(|| format!("{:?}", failure.error)),
            failure.custom_code().unwrap_or_default()
        ),
    }

    f.env.advance_time(30 * 86_400).await;
    f.refresh_prices().await;
    report(&mut f, "30 days later (interest accrued; prices re-published)", &[("borrower", &borrower)]).await;

    // SOL crashes 15%: the position is below its liquidation threshold.
    f.set_price(SOL, 85.0).await;
    f.refresh_prices().await;
    let report_health = f.program_health(&borrower, false).await;
    println!(
        "\n== SOL falls from $100 to $85: the program's get_health says health factor {:.4}, liquidatable = {}",
        report_health.health_factor as f64 / 1e18,
        report_health.liquidatable
    );
    // The reference liquidator bot (bots/liquidator) runs one scan-and-liquidate pass through its
    // in-process transport: the same decision code as against JSON-RPC.
    let liquidator = f.new_user(&[0, 10_000_000_000]).await;
    let token_accounts = (0..f.assets.len()).map(|a| (f.keys(a).mint, liquidator.token_accounts[a])).collect();
    let config =
        ballast_liquidator::Config { market: f.market, min_profit_usd: 0.01, token_accounts, ..Default::default() };
    let mut chain =
        ballast_liquidator::banks::BanksChain::new(f.env.banks_client().expect("the demo runs on the in-process bank"));
    chain.watch([lender.obligation, borrower.obligation]);
    let bot = ballast_liquidator::run_once(&mut chain, &config, &liquidator.keypair).await.expect("bot pass");
    println!(
        "== the liquidator bot scans {} obligations, finds {} unhealthy, lands {} liquidation(s): repays {} USDC, receives {} SOL",
        bot.obligations,
        bot.unhealthy,
        bot.landed,
        tokens(10_000_000_000 - f.env.token_balance(&liquidator.token_accounts[USDC]).await, 6),
        tokens(f.env.token_balance(&liquidator.token_accounts[SOL]).await, 9),
    );
    assert_eq!(bot.landed, 1, "the bot liquidated the borrower");
    report(&mut f, "after the liquidation", &[("borrower", &borrower), ("liquidator", &liquidator)]).await;

    // Deep in the red (health factor below 0.95) the bot may repay the whole debt; whatever is
    // left, the borrower repays.
    if f.env.obligation(&borrower.obligation).await.has_debt() {
        f.env.mint_to(&f.keys(USDC).mint, &borrower.token_accounts[USDC], 100_000_000).await;
        f.repay(&borrower, &borrower.obligation, USDC, u64::MAX).await.expect("repay all");
        report(&mut f, "borrower repays the rest (u64::MAX = all)", &[("borrower", &borrower)]).await;
    } else {
        println!("\n== the bot repaid the whole debt: nothing left for the borrower to repay");
    }

    f.withdraw(&borrower, SOL, u64::MAX, true).await.expect("withdraw all");
    f.withdraw(&lender, USDC, u64::MAX, true).await.expect("lender withdraws all");
    report(&mut f, "borrower and lender withdraw everything", &[("lender", &lender), ("borrower", &borrower)]).await;
    println!("\nDemo complete.");
}
