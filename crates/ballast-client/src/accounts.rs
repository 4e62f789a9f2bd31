//! Decoding of Ballast accounts from raw data (as fetched over RPC or from a test bank).

use anchor_lang::{AccountDeserialize, Discriminator};
use ballast::state::{Market, Obligation, Reserve};

#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Data shorter than the account type or with another type's discriminator.
    WrongAccountType,
}

fn zero_copy<T: bytemuck::Pod + Discriminator>(data: &[u8]) -> Result<T, DecodeError> {
    let discriminator: &[u8; 8] = T::DISCRIMINATOR.try_into().map_err(|_| DecodeError::WrongAccountType)?;
    ballast_interface::raw::zero_copy_account(data, discriminator).map_err(|_| DecodeError::WrongAccountType)
}

pub fn decode_reserve(data: &[u8]) -> Result<Reserve, DecodeError> {
    zero_copy(data)
}

pub fn decode_obligation(data: &[u8]) -> Result<Obligation, DecodeError> {
    zero_copy(data)
}

pub fn decode_market(data: &[u8]) -> Result<Market, DecodeError> {
    Market::try_deserialize(&mut &data[..]).map_err(|_| DecodeError::WrongAccountType)
}
