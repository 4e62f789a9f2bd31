use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use ballast_math::scenario::ScenarioShocks;
use ballast_math::treasury::TreasuryConfig;
use ballast_math::window::OutflowLimit;
use ballast_math::{CurvePoint, InterestCurve, PriceLimits, ReserveAccounting, RiskConfig, RiskControls};

use crate::errors::BallastError;
use crate::oracle::{read_price, require_push_feed};
use crate::params::{CurvePointParam, ReserveConfigParams};
use crate::state::{
    InterestCurveStore, Market, OracleConfig, OracleKind, Reserve, RiskConfigStore, RiskControlsStore, RESERVE_SEED,
    VAULT_AUTHORITY_SEED, VAULT_SEED,
};
use crate::token::{require_supported_mint, transfer_to_vault};
use ballast_engine::ReserveState;

#[cfg(not(feature = "idl-build"))]
fn curve_point(&(utilization_bps, borrow_rate_bps): &CurvePointParam) -> CurvePoint {
    CurvePoint { utilization_bps, borrow_rate_bps }
}

#[cfg(feature = "idl-build")]
fn curve_point(p: &CurvePointParam) -> CurvePoint {
    CurvePoint { utilization_bps: p.utilization_bps, borrow_rate_bps: p.borrow_rate_bps }
}

impl ReserveConfigParams {
    pub fn risk_config(&self) -> RiskConfig {
        RiskConfig {
            ltv_bps: self.ltv_bps,
            liquidation_threshold_bps: self.liquidation_threshold_bps,
            borrow_factor_bps: self.borrow_factor_bps,
            min_liquidation_bonus_bps: self.min_liquidation_bonus_bps,
            max_liquidation_bonus_bps: self.max_liquidation_bonus_bps,
            protocol_liquidation_fee_bps: self.protocol_liquidation_fee_bps,
            protocol_take_rate_bps: self.protocol_take_rate_bps,
            insurance_take_rate_bps: self.insurance_take_rate_bps,
            supply_cap: self.supply_cap,
            borrow_cap: self.borrow_cap,
        }
    }

    pub fn risk_controls(&self) -> RiskControls {
        RiskControls {
            collateral_value_cap_usd: self.collateral_value_cap_usd,
            utilization_ceiling_bps: self.utilization_ceiling_bps,
            haircut_start_bps: self.haircut_start_bps,
            haircut_end_bps: self.haircut_end_bps,
            max_haircut_bps: self.max_haircut_bps,
            max_ema_deviation_bps: self.max_ema_deviation_bps,
        }
    }

    pub fn price_limits(&self) -> PriceLimits {
        PriceLimits { max_age_secs: self.max_price_age_secs, max_confidence_bps: self.max_confidence_bps }
    }

    /// Validates every parameter and the oracle account, then writes them to `reserve`. Scenario
    /// shocks must fit the market's scenario count; a change moves to them over `shock_ramp_secs`
    /// from what is in force at `now_unix`.
    pub fn apply(
        &self,
        reserve: &mut Reserve,
        oracle: &AccountInfo,
        market: &Market,
        shock_ramp_secs: u64,
        now_unix: i64,
    ) -> Result<()> {
        ScenarioShocks::validate(&self.scenario_shocks_bps, market.scenario_count).map_err(BallastError::from)?;
        let risk = self.risk_config();
        risk.validate().map_err(BallastError::from)?;
        let controls = self.risk_controls();
        controls.validate().map_err(BallastError::from)?;
        let points: Vec<CurvePoint> = self.curve.iter().map(curve_point).collect();
        let curve = InterestCurve::from_points(&points).map_err(BallastError::from)?;
        self.price_limits().validate().map_err(BallastError::from)?;
        let outflow = OutflowLimit { cap: self.outflow_cap, window_secs: self.outflow_window_secs };
        outflow.validate().map_err(BallastError::from)?;
        let treasury =
            TreasuryConfig { insurance_floor: self.insurance_floor, flash_loan_fee_bps: self.flash_loan_fee_bps };
        treasury.validate().map_err(BallastError::from)?;
        let kind = OracleKind::from_u8(self.oracle_kind).ok_or(BallastError::OracleKindUnsupported)?;
        let oracle_config = OracleConfig {
            oracle_account: oracle.key(),
            feed_id: match kind {
                OracleKind::PythPull => self.feed_id,
                OracleKind::PythLegacy => oracle.key().to_bytes(),
            },
            max_age_secs: self.max_price_age_secs,
            max_confidence_bps: self.max_confidence_bps,
            kind: kind as u8,
            padding: [0; 5],
        };
        // The account must be a price of the right format, owner and feed now, and a pull price
        // the push feed of that feed; freshness is checked at use.
        read_price(oracle, &oracle_config)?;
        if kind == OracleKind::PythPull {
            require_push_feed(oracle.key, &self.feed_id)?;
        }
        reserve.risk = RiskConfigStore::from(&risk);
        reserve.controls = RiskControlsStore::from(&controls);
        reserve.curve = InterestCurveStore::from(&curve);
        reserve.oracle = oracle_config;
        reserve.liquidation_depth_budget_usd = self.liquidation_depth_budget_usd;
        reserve.set_limits(&outflow, &treasury);
        let shocks = reserve.scenario_shocks().changed_to(self.scenario_shocks_bps, now_unix, shock_ramp_secs);
        reserve.set_scenario_shocks(&shocks);
        Ok(())
    }
}

#[derive(Accounts)]
pub struct InitReserve<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(mut, has_one = authority @ BallastError::Unauthorized)]
    pub market: Account<'info, Market>,
    #[account(
        init,
        payer = authority,
        space = Reserve::SPACE,
        seeds = [RESERVE_SEED, market.key().as_ref(), mint.key().as_ref()],
        bump
    )]
    pub reserve: AccountLoader<'info, Reserve>,
    /// Checked before the vault is created: Token-2022 extensions must be on the allow-list.
    #[account(
        mint::token_program = token_program,
        constraint = require_supported_mint(&mint).is_ok() @ BallastError::MintExtensionNotAllowed
    )]
    pub mint: InterfaceAccount<'info, Mint>,
    /// CHECK: PDA that owns the vault and signs transfers out of it; holds no data.
    #[account(seeds = [VAULT_AUTHORITY_SEED, reserve.key().as_ref()], bump)]
    pub vault_authority: UncheckedAccount<'info>,
    #[account(
        init,
        payer = authority,
        seeds = [VAULT_SEED, reserve.key().as_ref()],
        bump,
        token::mint = mint,
        token::authority = vault_authority,
        token::token_program = token_program
    )]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    /// CHECK: validated by `ReserveConfigParams::apply`, which reads a price from it.
    pub oracle: UncheckedAccount<'info>,
    /// The authority's tokens for the creation deposit.
    #[account(mut, token::mint = mint, token::token_program = token_program)]
    pub seed_source: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

/// Creates a reserve with a creation deposit whose shares belong to nobody and can never be
/// withdrawn, so the share price can never be inflated by a first depositor.
pub fn handler(ctx: Context<InitReserve>, params: ReserveConfigParams, initial_deposit: u64) -> Result<()> {
    require!(initial_deposit > 0, BallastError::InitialDepositRequired);
    require!(ctx.accounts.mint.decimals <= 18, BallastError::UnsupportedDecimals);
    let now_unix = Clock::get()?.unix_timestamp;
    {
        let mut reserve = ctx.accounts.reserve.load_init()?;
        params.apply(&mut reserve, &ctx.accounts.oracle, &ctx.accounts.market, 0, now_unix)?;
        let mut accounting = ReserveAccounting::new(now_unix);
        let seed_shares = accounting.deposit(initial_deposit, params.supply_cap).map_err(BallastError::from)?;
        reserve.set_accounting(&accounting);
        reserve.locked_supply_shares = seed_shares;
        reserve.market = ctx.accounts.market.key();
        reserve.mint = ctx.accounts.mint.key();
        reserve.vault = ctx.accounts.vault.key();
        reserve.token_program = ctx.accounts.token_program.key();
        reserve.mint_decimals = ctx.accounts.mint.decimals;
        reserve.bump = ctx.bumps.reserve;
        reserve.vault_bump = ctx.bumps.vault;
        reserve.vault_authority_bump = ctx.bumps.vault_authority;
    }
    ctx.accounts.market.reserve_count =
        ctx.accounts.market.reserve_count.checked_add(1).ok_or(BallastError::MathOverflow)?;
    let accounts = &*ctx.accounts;
    transfer_to_vault(
        &accounts.token_program,
        &accounts.seed_source,
        &accounts.vault,
        &accounts.mint,
        accounts.mint.decimals,
        &accounts.authority,
        initial_deposit,
    )
}
