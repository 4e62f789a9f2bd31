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

/// The account data of a zero-copy account: discriminator, then the layout.
pub fn zero_copy_account_data<T: bytemuck::Pod>(value: &T, discriminator: &[u8; 8]) -> Vec<u8> {
    let mut data = Vec::with_capacity(8 + core::mem::size_of::<T>());
    data.extend_from_slice(discriminator);
    data.extend_from_slice(bytemuck::bytes_of(value));
    data
}

/// Borsh-decodes a value from the start of `bytes`; trailing bytes (account space beyond the
/// encoding) are allowed, as Anchor allows them.
fn from_slice_prefix<T: borsh::BorshDeserialize>(mut bytes: &[u8]) -> Result<T, DecodeError> {
    T::deserialize(&mut bytes).map_err(|_| DecodeError::InvalidData)
}
