//! Differential test for the stress simulator: the simulator's liquidation of a position equals
//! the program's liquidation on the runtime for the same state, to the base unit.

use anchor_lang::prelude::Pubkey;
use ballast_engine::Positions as _;
use ballast_sim::liquidate::{liquidate, ObligationState, Position, RepayRequest, SimReserve};
use ballast_tests::Fixture;

use crate::*;

/// The simulator's view of the fixture's on-chain state.
async fn sim_state(f: &mut Fixture, obligation: &Pubkey) -> (Vec<SimReserve>, ObligationState) {
    let mut reserves = Vec::new();
    for (_, priced) in f.priced_reserves().await {
        let r = &priced.reserve;
        reserves.push(SimReserve { reserve: ballast_engine::OwnedReserve::copy_of(r), oracle: priced.price });
    }
    let on_chain = f.env.obligation(obligation).await;
    let state = ObligationState::from_positions(on_chain.active_positions().iter().map(|p| {
        let reserve = f.assets.iter().position(|a| a.keys.reserve == p.reserve).unwrap() as u8;
        Position { reserve, supply_shares: p.supply_shares, debt_shares: p.debt_shares() }
    }));
    (reserves, state)
}

#[tokio::test]
async fn simulator_liquidation_equals_the_programs() {
    // Several sizes, including a full liquidation deep in the red and one capped by collateral.
    for (price, repay) in [(85.0, 100 * ONE_USDC), (85.0, 300 * ONE_USDC), (72.0, u64::MAX), (50.0, u64::MAX)] {
        let (mut f, _lender, borrower) = funded().await;
        f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
        f.env.advance_time(7 * 86_400).await;
        f.refresh_prices().await;
        f.set_price(SOL, price).await;
        let liquidator = f.new_user(&[0, 10_000 * ONE_USDC]).await;

        let (mut reserves, mut state) = sim_state(&mut f, &borrower.obligation).await;
        let now = f.env.now().await;
        let market = ballast_client::accounts::decode_market(&f.env.account(&f.market).await.unwrap().data).unwrap();
        let sim = liquidate(
            &mut reserves,
            &mut state,
            &market.liquidation_config(),
            USDC,
            SOL,
            RepayRequest::Amount(repay),
            now,
        );

        let usdc_before = f.env.token_balance(&liquidator.token_accounts[USDC]).await;
        let chain = f.liquidate(&liquidator, &borrower, USDC, SOL, repay, 0).await;
        match (sim, chain) {
            (Ok(outcome), Ok(_)) => {
                let paid = usdc_before - f.env.token_balance(&liquidator.token_accounts[USDC]).await;
                let received = f.env.token_balance(&liquidator.token_accounts[SOL]).await;
                assert_eq!(
                    (paid, received),
                    (outcome.plan.repay_amount, outcome.plan.liquidator_amount),
                    "price {price}, repay {repay}"
                );
                // The reserves and the obligation end in the same state (the program closes
                // emptied positions; the simulator leaves them empty in place).
                let (reserves_after, state_after) = sim_state(&mut f, &borrower.obligation).await;
                let held = |s: &ObligationState| -> Vec<Position> {
                    s.active_positions()
                        .iter()
                        .copied()
                        .filter(|p| p.supply_shares > 0 || !p.debt_shares.is_zero())
                        .collect()
                };
                assert_eq!(held(&state_after), held(&state), "price {price}: obligation");
                for asset in [SOL, USDC] {
                    assert_eq!(
                        reserves_after[asset].accounting, reserves[asset].accounting,
                        "price {price}: reserve {asset}"
                    );
                }
            }
            (Err(e), Err(failure)) => {
                panic!("both rejected at price {price}: sim {e:?}, chain {:?}", failure.error_name())
            }
            (sim, chain) => {
                panic!("disagree at price {price}: sim {sim:?}, chain {:?}", chain.map_err(|e| e.error_name()))
            }
        }
    }
}
