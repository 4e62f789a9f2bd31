//! The program's health accounts as the engine's [`AccountRetriever`]: the caller passes one
//! `(reserve, oracle)` pair per position, in position order, as remaining accounts. Each pair must
//! be exactly the position's reserve and that reserve's pinned oracle: a missing, extra,
//! reordered or substituted account fails with a named error. Reserves read here are not
//! written: the engine accrues their interest in memory for the valuation only.

use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use ballast_engine::AccountRetriever;
use ballast_math::OraclePrice;

use crate::errors::{BallastError, HandlerError};
use crate::oracle::read_price;
use crate::state::Reserve;

pub use ballast_engine::HealthKind;

/// The remaining accounts of an instruction that values an obligation, in `market`.
pub struct HealthAccounts<'info> {
    pub accounts: &'info [AccountInfo<'info>],
    pub market: Pubkey,
}

impl<'info> AccountRetriever<Pubkey> for HealthAccounts<'info> {
    type Reserve = Reserve;
    type ReserveRef<'a>
        = std::cell::Ref<'info, Reserve>
    where
        Self: 'a;
    type Error = HandlerError;

    fn check_position_count(&self, count: usize) -> std::result::Result<(), HandlerError> {
        if self.accounts.len() != count * 2 {
            return Err(error!(BallastError::HealthAccountCountMismatch).into());
        }
        Ok(())
    }

    fn check_reserve(&self, index: usize, reserve: &Pubkey) -> std::result::Result<(), HandlerError> {
        Ok(check_key(&self.accounts[2 * index], reserve)?)
    }

    fn reserve(
        &self,
        index: usize,
        reserve: &Pubkey,
    ) -> std::result::Result<(std::cell::Ref<'info, Reserve>, OraclePrice), HandlerError> {
        let info = &self.accounts[2 * index];
        check_key(info, reserve)?;
        let loaded = load_reserve(info, &self.market)?;
        let price = read_price(&self.accounts[2 * index + 1], &loaded.oracle)?;
        Ok((loaded, price))
    }

    fn price(&self, index: usize, _key: &Pubkey, reserve: &Reserve) -> std::result::Result<OraclePrice, HandlerError> {
        Ok(read_price(&self.accounts[2 * index + 1], &reserve.oracle)?)
    }
}

fn check_key(info: &AccountInfo, reserve: &Pubkey) -> Result<()> {
    require_keys_eq!(info.key(), *reserve, BallastError::HealthReserveMismatch);
    Ok(())
}

/// A reserve passed as a health account, read in place: its owner and discriminator are checked
/// once, with Anchor's errors (`AccountLoader::try_from` and `load` check the discriminator twice),
/// and it must belong to `market`.
fn load_reserve<'a>(info: &'a AccountInfo, market: &Pubkey) -> Result<std::cell::Ref<'a, Reserve>> {
    require_keys_eq!(*info.owner, crate::ID, ErrorCode::AccountOwnedByWrongProgram);
    let data = info.try_borrow_data()?;
    require!(
        data.len() >= Reserve::SPACE && data[..8] == *Reserve::DISCRIMINATOR,
        ErrorCode::AccountDiscriminatorMismatch
    );
    let reserve: std::cell::Ref<'a, Reserve> =
        std::cell::Ref::map(data, |data| bytemuck::from_bytes(&data[8..Reserve::SPACE]));
    require_keys_eq!(reserve.market, *market, BallastError::MarketMismatch);
    Ok(reserve)
}
