//! Invariant 9: an obligation with the maximum number of positions can be liquidated in one
//! transaction. With 16 positions the liquidation names 46 accounts, more than a legacy
//! transaction can carry in 1,232 bytes, so it is sent as a v0 transaction with an address
//! lookup table (the real lookup-table program), and its wire size is checked.

use anchor_lang::prelude::Pubkey;
use ballast::state::MAX_POSITIONS;
use ballast_tests::{AssetSpec, Fixture};

const DEBT: usize = MAX_POSITIONS - 1;

#[tokio::test]
async fn obligation_with_sixteen_positions_is_liquidated_in_one_transaction() {
    // 15 collateral tokens at $1 and one debt token at $1, all 6 decimals.
    let specs: Vec<AssetSpec> = (0..MAX_POSITIONS).map(|_| AssetSpec::new("TOKEN", 6, 1.0)).collect();
    let mut f = Fixture::new(&specs).await;
    let one = 1_000_000u64;
    let mut balances = vec![100 * one; MAX_POSITIONS];
    balances[DEBT] = 0;
    let user = f.new_user(&balances).await;
    let mut lender_balances = vec![0; MAX_POSITIONS];
    lender_balances[DEBT] = 5_000 * one;
    let lender = f.new_user(&lender_balances).await;
    f.deposit(&lender, DEBT, 5_000 * one).await.unwrap();
    for asset in 0..DEBT {
        f.deposit(&user, asset, 100 * one).await.unwrap();
    }
    // $1,500 of collateral: borrow power 1,500 x 0.999 x 0.75 = $1,123.88.
    f.borrow(&user, DEBT, 1_100 * one).await.unwrap();
    assert_eq!(f.env.obligation(&user.obligation).await.position_count as usize, MAX_POSITIONS);

    // Every collateral falls 10%: 1,350 x 0.8 = 1,080 < 1,100.
    for asset in 0..DEBT {
        f.set_price(asset, 0.9).await;
    }
    let mut liquidator_balances = vec![0; MAX_POSITIONS];
    liquidator_balances[DEBT] = 2_000 * one;
    let liquidator = f.new_user(&liquidator_balances).await;
    let plan = f.best_liquidation(&user, DEBT, 0).await.expect("liquidatable");
    let ix = f.liquidate_ix(&liquidator, &user, DEBT, 0, plan.repay_amount, plan.liquidator_amount).await;
    // 14 accounts, the optional liquidator obligation (here "none": the program id), 2 per position.
    assert_eq!(ix.accounts.len(), 15 + 2 * MAX_POSITIONS);

    // Everything but the signers goes into the lookup table.
    let signers = [solana_signer::Signer::pubkey(&f.env.payer()), liquidator.key()];
    let mut table_keys: Vec<Pubkey> = Vec::new();
    for meta in &ix.accounts {
        if !signers.contains(&meta.pubkey) && !table_keys.contains(&meta.pubkey) {
            table_keys.push(meta.pubkey);
        }
    }
    table_keys.push(ballast::ID);
    let table = f.env.create_lookup_table(&table_keys).await;
    f.refresh_prices().await;
    let size = f
        .env
        .send_v0(&[ix], &[&liquidator.keypair], &table)
        .await
        .unwrap_or_else(|e| panic!("{:?}\n{}", e.error, e.logs.join("\n")));
    println!("16-position liquidation: one v0 transaction of {size} bytes");
    assert_eq!(f.env.token_balance(&liquidator.token_accounts[0]).await, plan.liquidator_amount);
    let report = f.program_health(&user, false).await;
    assert!(report.weighted_debt < 1_100 * ballast_math::WAD, "debt was repaid");
}
