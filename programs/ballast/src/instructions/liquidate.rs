use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;
use ballast_engine::operations::{self, LiquidateOutcome, LiquidationReserves, Payout};

use crate::errors::BallastError;
use crate::events::{LiquidateEvent, SocializeLossEvent};
use crate::health::HealthAccounts;
use crate::runtime::emit_event;
use crate::state::{Market, Obligation, Reserve, VAULT_AUTHORITY_SEED};
use crate::token::{transfer_from_vault, transfer_to_vault};

/// The token accounts and mints are unchecked accounts, pinned instead: each vault and mint by
/// key to its reserve, the collateral vault authority by its seeds. The liquidator's own
/// accounts (`repay_source`, `collateral_destination`) are checked by the token program, which
/// refuses a transfer whose accounts do not hold the mint given. Deserializing six token accounts
/// (and Anchor's duplicate check over them) cost about 9k CU of a liquidation (account validation
/// went from 18.1k to 9.2k), the instruction that must land during a cascade.
#[derive(Accounts)]
pub struct Liquidate<'info> {
    pub liquidator: Signer<'info>,
    pub market: Account<'info, Market>,
    #[account(mut, has_one = market @ BallastError::MarketMismatch)]
    pub obligation: AccountLoader<'info, Obligation>,

    #[account(
        mut,
        has_one = market @ BallastError::MarketMismatch,
        constraint = repay_reserve.load()?.mint == repay_mint.key() @ BallastError::MintMismatch,
        constraint = repay_reserve.load()?.vault == repay_vault.key() @ BallastError::VaultMismatch,
        constraint = repay_reserve.load()?.token_program == repay_token_program.key() @ BallastError::TokenProgramMismatch
    )]
    pub repay_reserve: AccountLoader<'info, Reserve>,
    /// CHECK: the repay reserve's mint (key pinned above).
    pub repay_mint: UncheckedAccount<'info>,
    /// CHECK: the repay reserve's vault (key pinned above).
    #[account(mut)]
    pub repay_vault: UncheckedAccount<'info>,
    /// The liquidator's tokens of the debt being repaid.
    /// CHECK: a token account of the repay mint, owned by the liquidator (the token program checks both).
    #[account(mut)]
    pub repay_source: UncheckedAccount<'info>,

    #[account(
        mut,
        has_one = market @ BallastError::MarketMismatch,
        constraint = collateral_reserve.load()?.mint == collateral_mint.key() @ BallastError::MintMismatch,
        constraint = collateral_reserve.load()?.vault == collateral_vault.key() @ BallastError::VaultMismatch,
        constraint = collateral_reserve.load()?.token_program == collateral_token_program.key() @ BallastError::TokenProgramMismatch
    )]
    /// May be `repay_reserve` itself: a looped position (collateral and debt in one reserve) is
    /// liquidated like any other.
    pub collateral_reserve: AccountLoader<'info, Reserve>,
    /// CHECK: the collateral reserve's mint (key pinned above).
    pub collateral_mint: UncheckedAccount<'info>,
    /// CHECK: the collateral reserve's vault (key pinned above).
    #[account(mut)]
    pub collateral_vault: UncheckedAccount<'info>,
    /// CHECK: the collateral vault's owner PDA; verified by its seeds and stored bump.
    #[account(
        seeds = [VAULT_AUTHORITY_SEED, collateral_reserve.key().as_ref()],
        bump = collateral_reserve.load()?.vault_authority_bump
    )]
    pub collateral_vault_authority: UncheckedAccount<'info>,
    /// Where the liquidator receives the seized collateral.
    /// CHECK: a token account of the collateral mint (the token program checks it).
    #[account(mut)]
    pub collateral_destination: UncheckedAccount<'info>,

    pub repay_token_program: Interface<'info, TokenInterface>,
    pub collateral_token_program: Interface<'info, TokenInterface>,
    /// The liquidator's own obligation in this market, credited with the seized collateral as
    /// supply shares when `receive_shares` (then no token leaves the collateral vault).
    #[account(mut, has_one = market @ BallastError::MarketMismatch)]
    pub liquidator_obligation: Option<AccountLoader<'info, Obligation>>,
}

/// Permissionless: repay up to `repay_amount` of the obligation's debt in `repay_reserve` and
/// receive its collateral in `collateral_reserve` plus a bonus, if its maintenance health (spot
/// prices, fresh within max age; confidence and EMA never block) is below zero.
///
/// Health accounts: one `(reserve, oracle)` pair per position, as before the liquidation.
pub fn handler<'info>(
    ctx: Context<'info, Liquidate<'info>>,
    repay_amount: u64,
    min_collateral_out: u64,
    receive_shares: bool,
) -> Result<()> {
    crate::cu_checkpoint!("liquidate: accounts validated");
    let now_unix = Clock::get()?.unix_timestamp;
    let (repay_key, collateral_key) = (ctx.accounts.repay_reserve.key(), ctx.accounts.collateral_reserve.key());
    let health_accounts = HealthAccounts { accounts: ctx.remaining_accounts, market: ctx.accounts.market.key() };
    let mut liquidator_obligation = match (&ctx.accounts.liquidator_obligation, receive_shares) {
        (Some(loader), true) => {
            let obligation = loader.load_mut()?;
            require_keys_eq!(obligation.owner, ctx.accounts.liquidator.key(), BallastError::ObligationOwnerMismatch);
            Some(obligation)
        }
        (None, true) => return err!(BallastError::LiquidatorObligationRequired),
        (_, false) => None,
    };

    let LiquidateOutcome { plan, before, after, debt, collateral, liquidator_shares, deficit } = {
        let mut obligation = ctx.accounts.obligation.load_mut()?;
        let liquidator_is_owner = obligation.owner == ctx.accounts.liquidator.key();
        let payout = match liquidator_obligation.as_deref_mut() {
            Some(receiver) => Payout::SupplyShares(receiver),
            None => Payout::Tokens,
        };
        let mut repay_reserve = ctx.accounts.repay_reserve.load_mut()?;
        let mut collateral_reserve =
            if repay_key == collateral_key { None } else { Some(ctx.accounts.collateral_reserve.load_mut()?) };
        let reserves = match collateral_reserve.as_deref_mut() {
            Some(collateral) => {
                LiquidationReserves::Pair { repay_key, repay: &mut *repay_reserve, collateral_key, collateral }
            }
            None => LiquidationReserves::Same { key: repay_key, reserve: &mut *repay_reserve },
        };
        operations::liquidate(
            &ctx.accounts.market.state(),
            liquidator_is_owner,
            &mut *obligation,
            reserves,
            payout,
            &health_accounts,
            repay_amount,
            min_collateral_out,
            now_unix,
        )?
    };
    drop(liquidator_obligation.take());
    crate::cu_checkpoint!("liquidate: operation");

    let accounts = &*ctx.accounts;
    transfer_to_vault(
        &accounts.repay_token_program,
        &accounts.repay_source,
        &accounts.repay_vault,
        &accounts.repay_mint,
        debt.decimals,
        &accounts.liquidator,
        plan.repay_amount,
    )?;
    if !receive_shares {
        let vault_authority_bump = accounts.collateral_reserve.load()?.vault_authority_bump;
        transfer_from_vault(
            &accounts.collateral_token_program,
            &accounts.collateral_vault,
            &accounts.collateral_destination,
            &accounts.collateral_mint,
            collateral.decimals,
            &accounts.collateral_vault_authority,
            &collateral_key,
            vault_authority_bump,
            plan.liquidator_amount,
        )?;
    }
    crate::cu_checkpoint!("liquidate: collateral transferred");
    emit_event(LiquidateEvent {
        obligation: accounts.obligation.key(),
        liquidator: accounts.liquidator.key(),
        repay_reserve: repay_key,
        collateral_reserve: collateral_key,
        repay_amount: plan.repay_amount,
        collateral_to_liquidator: plan.liquidator_amount,
        collateral_shares_to_liquidator: liquidator_shares,
        collateral_to_protocol: plan.protocol_amount.0,
        bonus_bps: plan.bonus_bps,
        debt_price: debt.price.0,
        collateral_price: collateral.price.0,
        weighted_collateral_before: before.weighted_collateral.0,
        weighted_debt_before: before.weighted_debt.0,
        weighted_collateral_after: after.weighted_collateral.0,
        weighted_debt_after: after.weighted_debt.0,
    });
    if let Some(written_off) = deficit {
        emit_event(SocializeLossEvent::new(accounts.obligation.key(), repay_key, &written_off));
    }
    Ok(())
}
