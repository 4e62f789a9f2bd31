//! Several obligations per wallet in a market: each further one at its own PDA (numbered 1 to
//! 255), each with its own positions and health, listed by the client, closed when empty.

use ballast::errors::BallastError;
use ballast_client::chain::AccountFilter;
use ballast_client::instructions as ix;
use ballast_client::pda;
use ballast_engine::Positions as _;

use crate::*;

/// A borrower opens obligations 1 and 2 beside number 0: collateral in one never backs another's
/// debt (a borrow against an empty obligation is refused while number 0 holds 10 SOL), a
/// liquidation of one leaves the others alone, the client lists all three in order, number 0 is
/// refused to `init_sub_obligation`, and an emptied one closes.
#[tokio::test]
async fn a_wallet_keeps_separate_obligations_with_separate_health() {
    let (mut f, _lender, borrower) = funded().await;
    let owner = borrower.key();
    let signers = [&borrower.keypair];
    for id in [1u8, 2] {
        f.env.send_ok(&[ix::init_sub_obligation(owner, f.market, id)], &signers).await;
    }
    let (first, second) =
        (pda::obligation_with_id(&f.market, &owner, 1), pda::obligation_with_id(&f.market, &owner, 2));
    assert_eq!(f.env.obligation(&first).await.obligation_id, 1);
    // Number 0 is init_obligation's: refused by name even at the PDA its seeds would give.
    let mut zero = ix::init_sub_obligation(owner, f.market, 0);
    let seeds: [&[u8]; 4] = [ballast::state::OBLIGATION_SEED, f.market.as_ref(), owner.as_ref(), &[0]];
    zero.accounts[2].pubkey = anchor_lang::prelude::Pubkey::find_program_address(&seeds, &ballast::ID).0;
    let watched = [borrower.obligation, zero.accounts[2].pubkey];
    f.env.assert_ballast_error(&[zero], &signers, BallastError::InvalidObligationId, &watched).await;

    // Obligation 1 holds nothing: number 0's SOL does not back it.
    let keys = f.keys(USDC);
    let unbacked =
        ix::borrow_from(owner, &keys, first, borrower.token_accounts[USDC], ONE_USDC, &f.health_pairs(&[USDC]));
    f.env.assert_ballast_error(&[unbacked], &signers, BallastError::InitialHealthNegative, &[first]).await;

    // Obligation 1: 2 SOL and 140 USDC of debt; obligation 0 keeps 10 SOL and no debt.
    f.env.mint_to(&f.keys(SOL).mint, &borrower.token_accounts[SOL], 2 * ONE_SOL).await;
    let sol = f.keys(SOL);
    f.env.send_ok(&[ix::deposit_to(owner, &sol, first, borrower.token_accounts[SOL], 2 * ONE_SOL)], &signers).await;
    let health = f.health_pairs(&[SOL, USDC]);
    let borrow = ix::borrow_from(owner, &keys, first, borrower.token_accounts[USDC], 140 * ONE_USDC, &health);
    f.env.send_ok(&[borrow], &signers).await;
    f.set_price(SOL, 80.0).await;
    let liquidator = f.new_user(&[0, 1_000 * ONE_USDC]).await;
    let zero_before = f.env.account(&borrower.obligation).await;
    let liquidate = ix::liquidate(
        liquidator.key(),
        first,
        &keys,
        liquidator.token_accounts[USDC],
        &sol,
        liquidator.token_accounts[SOL],
        70 * ONE_USDC,
        0,
        &health,
    );
    f.env.send_ok(&[liquidate], &[&liquidator.keypair]).await;
    assert_eq!(f.env.account(&borrower.obligation).await, zero_before, "obligation 0 is untouched");

    // The client's filters (market, owner) find the owner's three obligations and no other; the
    // client lists them in number order.
    let filters = ballast_client::chain::owner_obligation_filters(&f.market, &owner);
    let found: Vec<anchor_lang::prelude::Pubkey> = match ballast_tests::node::NodeClient::from_env() {
        Some(node) => {
            let filters: Vec<serde_json::Value> = filters
                .iter()
                .map(|filter| match filter {
                    AccountFilter::DataSize(size) => serde_json::json!({ "dataSize": size }),
                    AccountFilter::Memcmp { offset, bytes } => serde_json::json!({
                        "memcmp": { "offset": offset, "bytes": bs58::encode(bytes).into_string(), "encoding": "base58" }
                    }),
                })
                .collect();
            let params = serde_json::json!([ballast::ID.to_string(), { "encoding": "base64", "filters": filters }]);
            let result = node.call("getProgramAccounts", params);
            let listed = result.as_array().expect("an array of accounts");
            listed.iter().map(|a| a["pubkey"].as_str().unwrap().parse().unwrap()).collect()
        }
        None => {
            let mut chain = ballast_client::banks::BanksChain::new(f.env.banks_client().unwrap());
            chain.watch([liquidator.obligation, second, borrower.obligation, first]);
            let listed = ballast_client::chain::owner_obligations(&mut chain, &f.market, &owner).await.unwrap();
            let ids: Vec<u8> = listed.iter().map(|(_, o)| o.obligation_id).collect();
            assert_eq!(ids, [0, 1, 2], "in number order");
            listed.into_iter().map(|(key, _)| key).collect()
        }
    };
    let mut found = found;
    found.sort();
    let mut expected = vec![borrower.obligation, first, second];
    expected.sort();
    assert_eq!(found, expected, "the liquidator's obligation is not the owner's");

    // Obligation 2 never held anything: it closes; obligation 1 still holds a position: it does not.
    let close_first = ix::close_obligation_at(owner, first);
    f.env.assert_ballast_error(&[close_first], &signers, BallastError::ObligationNotEmpty, &[first]).await;
    f.env.send_ok(&[ix::close_obligation_at(owner, second)], &signers).await;
    assert!(f.env.account(&second).await.is_none());
    assert!(f.env.obligation(&first).await.has_collateral());
}
