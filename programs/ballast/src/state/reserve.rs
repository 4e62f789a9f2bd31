use anchor_lang::prelude::*;
use ballast_math::{
    CurvePoint, InterestCurve, PriceLimits, ReserveAccounting, RiskConfig, RiskControls, Wad, MAX_CURVE_POINTS,
};

use super::{wad_from_bytes, wad_to_bytes, WadBytes};

pub use ballast_engine::ReserveStatus;

pub const RESERVE_SEED: &[u8] = b"reserve";
pub const VAULT_SEED: &[u8] = b"vault";
pub const VAULT_AUTHORITY_SEED: &[u8] = b"vault-authority";

/// Which Pyth format a reserve reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum OracleKind {
    /// `PriceUpdateV2` owned by the Pyth receiver program (pull oracle). New markets use this.
    PythPull = 1,
    /// The legacy Pyth v2 price account (push oracle).
    PythLegacy = 2,
}

impl OracleKind {
    pub fn from_u8(value: u8) -> Option<OracleKind> {
        match value {
            1 => Some(OracleKind::PythPull),
            2 => Some(OracleKind::PythLegacy),
            _ => None,
        }
    }
}

/// The oracle a reserve is pinned to.
#[zero_copy]
#[derive(Debug, Default)]
pub struct OracleConfig {
    /// The one price account this reserve reads.
    pub oracle_account: Pubkey,
    /// Pyth feed id the account must carry (pull format); the price account key (legacy).
    pub feed_id: [u8; 32],
    pub max_age_secs: u64,
    /// Rejected above this confidence, in bps of the price.
    pub max_confidence_bps: u16,
    /// `OracleKind` as a byte.
    pub kind: u8,
    pub padding: [u8; 5],
}

impl OracleConfig {
    pub fn limits(&self) -> PriceLimits {
        PriceLimits { max_age_secs: self.max_age_secs, max_confidence_bps: self.max_confidence_bps }
    }
}

/// Stored form of `ballast_math::RiskControls`.
#[zero_copy]
#[derive(Debug, Default)]
pub struct RiskControlsStore {
    pub collateral_value_cap_usd: u64,
    pub utilization_ceiling_bps: u16,
    pub haircut_start_bps: u16,
    pub haircut_end_bps: u16,
    pub max_haircut_bps: u16,
    pub max_ema_deviation_bps: u16,
    pub padding: [u8; 6],
}

impl From<&RiskControlsStore> for RiskControls {
    fn from(s: &RiskControlsStore) -> RiskControls {
        RiskControls {
            collateral_value_cap_usd: s.collateral_value_cap_usd,
            utilization_ceiling_bps: s.utilization_ceiling_bps,
            haircut_start_bps: s.haircut_start_bps,
            haircut_end_bps: s.haircut_end_bps,
            max_haircut_bps: s.max_haircut_bps,
            max_ema_deviation_bps: s.max_ema_deviation_bps,
        }
    }
}

impl From<&RiskControls> for RiskControlsStore {
    fn from(c: &RiskControls) -> RiskControlsStore {
        RiskControlsStore {
            collateral_value_cap_usd: c.collateral_value_cap_usd,
            utilization_ceiling_bps: c.utilization_ceiling_bps,
            haircut_start_bps: c.haircut_start_bps,
            haircut_end_bps: c.haircut_end_bps,
            max_haircut_bps: c.max_haircut_bps,
            max_ema_deviation_bps: c.max_ema_deviation_bps,
            padding: [0; 6],
        }
    }
}

/// Stored form of `ballast_math::RiskConfig`.
#[zero_copy]
#[derive(Debug, Default)]
pub struct RiskConfigStore {
    pub supply_cap: u64,
    pub borrow_cap: u64,
    pub ltv_bps: u16,
    pub liquidation_threshold_bps: u16,
    pub borrow_factor_bps: u16,
    pub min_liquidation_bonus_bps: u16,
    pub max_liquidation_bonus_bps: u16,
    pub protocol_liquidation_fee_bps: u16,
    pub protocol_take_rate_bps: u16,
    pub insurance_take_rate_bps: u16,
}

impl From<&RiskConfigStore> for RiskConfig {
    fn from(s: &RiskConfigStore) -> RiskConfig {
        RiskConfig {
            ltv_bps: s.ltv_bps,
            liquidation_threshold_bps: s.liquidation_threshold_bps,
            borrow_factor_bps: s.borrow_factor_bps,
            min_liquidation_bonus_bps: s.min_liquidation_bonus_bps,
            max_liquidation_bonus_bps: s.max_liquidation_bonus_bps,
            protocol_liquidation_fee_bps: s.protocol_liquidation_fee_bps,
            protocol_take_rate_bps: s.protocol_take_rate_bps,
            insurance_take_rate_bps: s.insurance_take_rate_bps,
            supply_cap: s.supply_cap,
            borrow_cap: s.borrow_cap,
        }
    }
}

impl From<&RiskConfig> for RiskConfigStore {
    fn from(c: &RiskConfig) -> RiskConfigStore {
        RiskConfigStore {
            supply_cap: c.supply_cap,
            borrow_cap: c.borrow_cap,
            ltv_bps: c.ltv_bps,
            liquidation_threshold_bps: c.liquidation_threshold_bps,
            borrow_factor_bps: c.borrow_factor_bps,
            min_liquidation_bonus_bps: c.min_liquidation_bonus_bps,
            max_liquidation_bonus_bps: c.max_liquidation_bonus_bps,
            protocol_liquidation_fee_bps: c.protocol_liquidation_fee_bps,
            protocol_take_rate_bps: c.protocol_take_rate_bps,
            insurance_take_rate_bps: c.insurance_take_rate_bps,
        }
    }
}

#[zero_copy]
#[derive(Debug, Default)]
pub struct CurvePointStore {
    pub borrow_rate_bps: u32,
    pub utilization_bps: u16,
    pub padding: [u8; 2],
}

/// Stored form of `ballast_math::InterestCurve`.
#[zero_copy]
#[derive(Debug, Default)]
pub struct InterestCurveStore {
    pub points: [CurvePointStore; MAX_CURVE_POINTS],
    pub point_count: u8,
    pub padding: [u8; 7],
}

impl From<&InterestCurveStore> for InterestCurve {
    fn from(s: &InterestCurveStore) -> InterestCurve {
        let mut curve = InterestCurve { point_count: s.point_count, ..Default::default() };
        for (point, stored) in curve.points.iter_mut().zip(s.points.iter()) {
            *point = CurvePoint { utilization_bps: stored.utilization_bps, borrow_rate_bps: stored.borrow_rate_bps };
        }
        curve
    }
}

impl From<&InterestCurve> for InterestCurveStore {
    fn from(c: &InterestCurve) -> InterestCurveStore {
        let mut stored = InterestCurveStore { point_count: c.point_count, ..Default::default() };
        for (slot, point) in stored.points.iter_mut().zip(c.points.iter()) {
            *slot = CurvePointStore {
                borrow_rate_bps: point.borrow_rate_bps,
                utilization_bps: point.utilization_bps,
                padding: [0; 2],
            };
        }
        stored
    }
}

/// Stored form of `ballast_math::ReserveAccounting`.
#[zero_copy]
#[derive(Debug, Default)]
pub struct ReserveLiquidity {
    pub available_liquidity: u64,
    pub total_supply_shares: u64,
    pub last_update_ts: i64,
    pub total_debt_shares: WadBytes,
    pub borrow_index: WadBytes,
    pub protocol_fees: WadBytes,
    pub insurance_fees: WadBytes,
}

/// One asset of a market: its vault, oracle, risk parameters, interest curve and accounting.
/// Zero-copy with a fixed layout; `market` sits at byte offset 8 for memcmp filters.
#[account(zero_copy)]
#[derive(Debug)]
pub struct Reserve {
    pub market: Pubkey,
    pub mint: Pubkey,
    /// Token account holding the reserve's liquidity; owned by the vault authority PDA.
    pub vault: Pubkey,
    /// SPL Token or Token-2022: whichever owns the mint.
    pub token_program: Pubkey,
    pub oracle: OracleConfig,
    pub risk: RiskConfigStore,
    pub curve: InterestCurveStore,
    pub liquidity: ReserveLiquidity,
    /// Supply shares minted by the creation deposit: counted in the total, owned by nobody.
    pub locked_supply_shares: u64,
    pub mint_decimals: u8,
    pub bump: u8,
    pub vault_bump: u8,
    pub vault_authority_bump: u8,
    /// `ReserveStatus` as a byte.
    pub status: u8,
    pub padding: [u8; 3],
    pub controls: RiskControlsStore,
    /// Debt written off by `socialize_loss` beyond what insurance covered (base units, Wad): the
    /// only way the supply share value may fall (invariant 3).
    pub socialized_loss: WadBytes,
    pub reserved: [u8; 216],
}

impl Reserve {
    pub const SPACE: usize = 8 + core::mem::size_of::<Reserve>();
}

impl ballast_engine::ReserveState for Reserve {
    fn accounting(&self) -> ReserveAccounting {
        let l = &self.liquidity;
        ReserveAccounting {
            available_liquidity: l.available_liquidity,
            total_debt_shares: wad_from_bytes(&l.total_debt_shares),
            borrow_index: wad_from_bytes(&l.borrow_index),
            total_supply_shares: l.total_supply_shares,
            protocol_fees: wad_from_bytes(&l.protocol_fees),
            insurance_fees: wad_from_bytes(&l.insurance_fees),
            last_update_ts: l.last_update_ts,
        }
    }

    fn set_accounting(&mut self, a: &ReserveAccounting) {
        self.liquidity = ReserveLiquidity {
            available_liquidity: a.available_liquidity,
            total_supply_shares: a.total_supply_shares,
            last_update_ts: a.last_update_ts,
            total_debt_shares: wad_to_bytes(a.total_debt_shares),
            borrow_index: wad_to_bytes(a.borrow_index),
            protocol_fees: wad_to_bytes(a.protocol_fees),
            insurance_fees: wad_to_bytes(a.insurance_fees),
        };
    }

    fn interest_curve(&self) -> InterestCurve {
        InterestCurve::from(&self.curve)
    }

    fn risk_config(&self) -> RiskConfig {
        RiskConfig::from(&self.risk)
    }

    fn risk_controls(&self) -> RiskControls {
        RiskControls::from(&self.controls)
    }

    fn price_limits(&self) -> PriceLimits {
        self.oracle.limits()
    }

    fn mint_decimals(&self) -> u8 {
        self.mint_decimals
    }

    fn status(&self) -> ReserveStatus {
        ReserveStatus::from_u8(self.status).unwrap_or(ReserveStatus::Paused)
    }

    fn socialized_loss(&self) -> Wad {
        wad_from_bytes(&self.socialized_loss)
    }

    fn set_socialized_loss(&mut self, loss: Wad) {
        self.socialized_loss = wad_to_bytes(loss);
    }
}
