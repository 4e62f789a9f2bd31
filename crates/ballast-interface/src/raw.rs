//! The layouts of [`crate::layout`] as plain types: `Pod` accounts and borsh parameters, with
//! keys as `[u8; 32]`. Decode an account with [`zero_copy_account`] or [`market_account`].

use alloc::vec::Vec;

use crate::ids::account_discriminator;

/// A public key as raw bytes.
pub type Pubkey = [u8; 32];

/// One interest-curve point: `(utilization_bps, annual_borrow_rate_bps)`.
pub type CurvePointParam = (u16, u32);

crate::declare_zero_copy_layouts!(
    account: [#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)] #[repr(C)]],
    nested: [#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)] #[repr(C)]]
);

crate::declare_market_layout!(
    account: [#[derive(Clone, Debug, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]]
);

crate::declare_params!(
    derive: [#[derive(Clone, Debug, Default, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]]
);

/// Why account bytes do not decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Shorter than the layout.
    TooShort,
    /// The first 8 bytes are not this account type's discriminator.
    WrongDiscriminator,
    /// The bytes after the discriminator are not a valid borsh encoding.
    InvalidData,
}

/// A zero-copy account (`Obligation` or `Reserve`) read from its account data: checks the
/// discriminator, then copies the layout out (account data need not be aligned).
pub fn zero_copy_account<T: bytemuck::Pod>(data: &[u8], discriminator: &[u8; 8]) -> Result<T, DecodeError> {
    let size = core::mem::size_of::<T>();
    if data.len() < 8 + size {
        return Err(DecodeError::TooShort);
    }
    if data[..8] != discriminator[..] {
        return Err(DecodeError::WrongDiscriminator);
    }
    Ok(bytemuck::pod_read_unaligned(&data[8..8 + size]))
}

pub fn obligation_account(data: &[u8]) -> Result<Obligation, DecodeError> {
    zero_copy_account(data, &account_discriminator::OBLIGATION)
}

pub fn reserve_account(data: &[u8]) -> Result<Reserve, DecodeError> {
    zero_copy_account(data, &account_discriminator::RESERVE)
}

/// The borsh `Market` account read from its account data.
pub fn market_account(data: &[u8]) -> Result<Market, DecodeError> {
    if data.len() < 8 {
        return Err(DecodeError::TooShort);
    }
    if data[..8] != account_discriminator::MARKET {
        return Err(DecodeError::WrongDiscriminator);
    }
    from_slice_prefix(&data[8..])
}

/// Borsh-decodes a value from the start of `bytes`; trailing bytes (account space beyond the
/// encoding) are allowed, as Anchor allows them.
fn from_slice_prefix<T: borsh::BorshDeserialize>(mut bytes: &[u8]) -> Result<T, DecodeError> {
    T::deserialize(&mut bytes).map_err(|_| DecodeError::InvalidData)
}

/// A value of one declaration as the other (the program's parameters from [`ReserveConfigParams`]
/// or back): both encode the same borsh bytes by construction.
pub fn same_encoding<A: borsh::BorshSerialize, B: borsh::BorshDeserialize>(value: &A) -> B {
    let bytes = borsh::to_vec(value).expect("borsh into a Vec cannot fail");
    borsh::from_slice(&bytes).expect("the two declarations encode alike")
}

/// The configuration of test markets: the integration suite's fixture and the compute-unit
/// runner use the same numbers.
pub mod test_market {
    use super::{MarketConfigParams, ReserveConfigParams};
    use alloc::vec;

    /// LTV 75%, liquidation threshold 80%, borrow factor 100%, bonus 2-10%, curve 0% -> 0%,
    /// 80% -> 8%, 100% -> 100% APR, fees 10% + 5% insurance, price max age 60 s, max confidence
    /// 2%, circuit breaker at a 10% spot-EMA gap, no caps, no ceiling, no haircut, no outflow
    /// limit, no insurance floor, flash loans at 9 bps; a pull oracle
    /// with a zero feed id (set it).
    pub fn reserve_params() -> ReserveConfigParams {
        ReserveConfigParams {
            ltv_bps: 7_500,
            liquidation_threshold_bps: 8_000,
            borrow_factor_bps: 10_000,
            min_liquidation_bonus_bps: 200,
            max_liquidation_bonus_bps: 1_000,
            protocol_liquidation_fee_bps: 1_000,
            protocol_take_rate_bps: 1_000,
            insurance_take_rate_bps: 500,
            supply_cap: u64::MAX,
            borrow_cap: u64::MAX,
            curve: vec![(0, 0), (8_000, 800), (10_000, 10_000)],
            oracle_kind: 1,
            feed_id: [0; 32],
            max_price_age_secs: 60,
            max_confidence_bps: 200,
            collateral_value_cap_usd: u64::MAX,
            utilization_ceiling_bps: 10_000,
            haircut_start_bps: 0,
            haircut_end_bps: 1,
            max_haircut_bps: 0,
            max_ema_deviation_bps: 1_000,
            scenario_shocks_bps: [0; 8],
            liquidation_depth_budget_usd: 0,
            outflow_cap: 0,
            outflow_window_secs: 0,
            insurance_floor: 0,
            flash_loan_fee_bps: 9,
        }
    }

    /// Close factor 50%, whole debt below health factor 0.95 or when under $2 would remain,
    /// target health factor 1.10, bonus reaching its max 10% below 1.0, pauses of at most a day,
    /// risk tightenings over a day; no Dutch auction, no pacing, no minimum debt, fees to the
    /// authority.
    pub fn market_params() -> MarketConfigParams {
        MarketConfigParams {
            close_factor_bps: 5_000,
            full_liquidation_health_factor_bps: 9_500,
            target_health_factor_bps: 11_000,
            bonus_ramp_bps: 1_000,
            dust_value_usd: 2 * ballast_math::WAD,
            max_pause_secs: 86_400,
            risk_ramp_secs: 86_400,
            scenario_count: 0,
            scenario_initial_buffer_bps: 10_000,
            scenario_maintenance_buffer_bps: 10_000,
            scenario_maintenance_fraction_bps: 10_000,
            auction_secs: 0,
            paced_close_factor_bps: 0,
            pacing_window_secs: 0,
            min_debt_usd: 0,
            fee_receiver: [0; 32],
        }
    }
}
