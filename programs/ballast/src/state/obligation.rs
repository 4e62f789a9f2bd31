use anchor_lang::prelude::*;
use ballast_math::Wad;

use super::{wad_from_bytes, wad_to_bytes, WadBytes};
use crate::errors::BallastError;

pub const OBLIGATION_SEED: &[u8] = b"obligation";
/// Most reserves one obligation can hold positions in.
pub const MAX_POSITIONS: usize = 16;

/// One reserve's collateral and debt inside an obligation.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub reserve: Pubkey,
    /// Supply shares of the reserve held as collateral.
    pub supply_shares: u64,
    /// Debt shares (a Wad); debt in base units is `debt_shares * borrow_index`.
    pub debt_shares: WadBytes,
}

impl Position {
    pub fn debt_shares(&self) -> Wad {
        wad_from_bytes(&self.debt_shares)
    }

    pub fn set_debt_shares(&mut self, shares: Wad) {
        self.debt_shares = wad_to_bytes(shares);
    }

    pub fn is_empty(&self) -> bool {
        self.supply_shares == 0 && self.debt_shares().is_zero()
    }
}

/// A user's positions in one market. Fixed size and zero-copy; `market` is at byte offset 8 and
/// `owner` at 40, so bots can find every obligation of a market with one memcmp filter.
/// Positions occupy slots `0..position_count` in the order they were opened; health accounts are
/// passed in that order.
#[account(zero_copy)]
#[derive(Debug)]
pub struct Obligation {
    pub market: Pubkey,
    pub owner: Pubkey,
    pub positions: [Position; MAX_POSITIONS],
    pub position_count: u8,
    pub bump: u8,
    pub padding: [u8; 6],
    pub reserved: [u8; 128],
}

impl Obligation {
    pub const SPACE: usize = 8 + core::mem::size_of::<Obligation>();
    /// Byte offset of `market` in the account data (after the 8-byte discriminator).
    pub const MARKET_OFFSET: usize = 8;
    pub const OWNER_OFFSET: usize = 40;

    pub fn active_positions(&self) -> &[Position] {
        &self.positions[..self.position_count as usize]
    }

    pub fn position_index(&self, reserve: &Pubkey) -> Option<usize> {
        self.active_positions().iter().position(|p| p.reserve == *reserve)
    }

    pub fn position_mut(&mut self, reserve: &Pubkey) -> Result<&mut Position> {
        let index = self.position_index(reserve).ok_or(BallastError::PositionNotFound)?;
        Ok(&mut self.positions[index])
    }

    /// The position in `reserve`, opened in the next free slot if there is none.
    pub fn position_or_open(&mut self, reserve: &Pubkey) -> Result<&mut Position> {
        let index = match self.position_index(reserve) {
            Some(index) => index,
            None => {
                let index = self.position_count as usize;
                require!(index < MAX_POSITIONS, BallastError::ObligationFull);
                self.positions[index] = Position { reserve: *reserve, ..Default::default() };
                self.position_count += 1;
                index
            }
        };
        Ok(&mut self.positions[index])
    }

    /// Closes the position in `reserve` if it holds nothing, keeping the others in order.
    pub fn close_if_empty(&mut self, reserve: &Pubkey) {
        if let Some(index) = self.position_index(reserve) {
            if self.positions[index].is_empty() {
                let count = self.position_count as usize;
                self.positions.copy_within(index + 1..count, index);
                self.positions[count - 1] = Position::default();
                self.position_count -= 1;
            }
        }
    }

    pub fn has_debt(&self) -> bool {
        self.active_positions().iter().any(|p| !p.debt_shares().is_zero())
    }
}
