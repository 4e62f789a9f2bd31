use anchor_lang::prelude::*;
use ballast_engine::{PositionSlot, Positions};
use ballast_math::Wad;

use super::{wad_from_bytes, wad_to_bytes, WadBytes};

pub use ballast_engine::MAX_POSITIONS;

pub const OBLIGATION_SEED: &[u8] = b"obligation";

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
}

impl PositionSlot for Position {
    type Key = Pubkey;

    fn open(reserve: Pubkey) -> Self {
        Position { reserve, ..Default::default() }
    }
    fn vacant() -> Self {
        Position::default()
    }
    fn reserve(&self) -> &Pubkey {
        &self.reserve
    }
    fn supply_shares(&self) -> u64 {
        self.supply_shares
    }
    fn set_supply_shares(&mut self, shares: u64) {
        self.supply_shares = shares;
    }
    fn debt_shares(&self) -> Wad {
        Position::debt_shares(self)
    }
    fn set_debt_shares(&mut self, shares: Wad) {
        Position::set_debt_shares(self, shares)
    }
}

/// A user's positions in one market. Fixed size and zero-copy; `market` is at byte offset 8 and
/// `owner` at 40, so bots can find every obligation of a market with one memcmp filter.
/// Positions occupy slots `0..position_count` by the engine's slot rules ([`Positions`]); health
/// accounts are passed in that order.
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
}

impl Positions for Obligation {
    type Slot = Position;

    fn slots(&self) -> &[Position] {
        &self.positions
    }
    fn slots_mut(&mut self) -> &mut [Position] {
        &mut self.positions
    }
    fn position_count(&self) -> usize {
        self.position_count as usize
    }
    fn set_position_count(&mut self, count: usize) {
        self.position_count = count as u8;
    }
}
