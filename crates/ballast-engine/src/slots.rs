//! Position slots: an obligation's positions occupy slots `0..count` in the order they were
//! opened (health accounts are passed in that order); an emptied position closes and the later
//! ones move down, keeping their order; at most `capacity` positions.

use ballast_math::Wad;

use crate::market::MarginMode;
use crate::{EngineResult, Error};

/// Most reserves one obligation holds positions in (one bit each in a `u16` mask).
pub const MAX_POSITIONS: usize = 16;
const _: () = assert!(MAX_POSITIONS == u16::BITS as usize);

/// One reserve's collateral and debt inside an obligation, however it is stored.
pub trait PositionSlot: Copy {
    type Key: Copy + Eq;

    /// An empty position in `reserve`.
    fn open(reserve: Self::Key) -> Self;
    /// An unused slot.
    fn vacant() -> Self;
    /// The reserve, by reference: compared in place (a 32-byte key is not copied per slot).
    fn reserve(&self) -> &Self::Key;
    /// Supply shares of the reserve held as collateral.
    fn supply_shares(&self) -> u64;
    fn set_supply_shares(&mut self, shares: u64);
    /// Debt shares; debt in base units is `debt_shares * borrow_index`.
    fn debt_shares(&self) -> Wad;
    fn set_debt_shares(&mut self, shares: Wad);

    fn is_empty(&self) -> bool {
        self.supply_shares() == 0 && self.debt_shares().is_zero()
    }
}

/// An obligation's slots. Implementors give the storage; the slot rules are the provided methods.
pub trait Positions {
    type Slot: PositionSlot;

    /// Every slot, used or not (the capacity is its length).
    fn slots(&self) -> &[Self::Slot];
    fn slots_mut(&mut self) -> &mut [Self::Slot];
    /// Slots in use.
    fn position_count(&self) -> usize;
    fn set_position_count(&mut self, count: usize);
    /// How the obligation's health is margined (classic weights unless it chose otherwise).
    fn margin_mode(&self) -> MarginMode {
        MarginMode::Classic
    }
    /// Storage that cannot hold a mode rejects the change.
    fn set_margin_mode(&mut self, mode: MarginMode) -> EngineResult<()> {
        if mode == MarginMode::Classic {
            Ok(())
        } else {
            Err(Error::InvalidMarginMode)
        }
    }

    /// When the obligation was first seen liquidatable (the Dutch auction's start); 0: not seen
    /// since it was last shown healthy. Storage without the field never starts the clock.
    fn liquidatable_since_ts(&self) -> i64 {
        0
    }
    fn set_liquidatable_since_ts(&mut self, _unix: i64) {}

    /// Slots whose deposit is not collateral (bit `i`: slot `i`): it earns interest, counts for
    /// no health and can never be seized. Storage without the field holds collateral only.
    fn non_collateral_mask(&self) -> u16 {
        0
    }
    fn set_non_collateral_mask(&mut self, _mask: u16) -> EngineResult<()> {
        Err(Error::PositionNotFound)
    }

    fn active_positions(&self) -> &[Self::Slot] {
        &self.slots()[..self.position_count()]
    }

    /// The positions with which of them count as collateral: what health values.
    fn held(&self) -> Held<'_, Self::Slot> {
        Held { positions: self.active_positions(), non_collateral_mask: self.non_collateral_mask() }
    }

    /// Whether the deposit in `reserve` counts as collateral (`PositionNotFound` without one).
    fn is_collateral(&self, reserve: &<Self::Slot as PositionSlot>::Key) -> EngineResult<bool> {
        let index = self.position_index(reserve).ok_or(Error::PositionNotFound)?;
        Ok(self.held().is_collateral(index))
    }

    /// Makes the deposit in `reserve` count as collateral or not (the caller checks health).
    fn set_collateral(&mut self, reserve: &<Self::Slot as PositionSlot>::Key, collateral: bool) -> EngineResult<()> {
        let bit = 1u16 << self.position_index(reserve).ok_or(Error::PositionNotFound)?;
        let mask = self.non_collateral_mask();
        self.set_non_collateral_mask(if collateral { mask & !bit } else { mask | bit })
    }

    fn position_index(&self, reserve: &<Self::Slot as PositionSlot>::Key) -> Option<usize> {
        self.active_positions().iter().position(|p| p.reserve() == reserve)
    }

    fn position(&self, reserve: &<Self::Slot as PositionSlot>::Key) -> Option<&Self::Slot> {
        self.position_index(reserve).map(|index| &self.slots()[index])
    }

    /// The position in `reserve`, or `PositionNotFound`.
    fn position_mut(&mut self, reserve: &<Self::Slot as PositionSlot>::Key) -> EngineResult<&mut Self::Slot> {
        let index = self.position_index(reserve).ok_or(Error::PositionNotFound)?;
        Ok(&mut self.slots_mut()[index])
    }

    /// The position in `reserve`, opened in the next free slot if there is none (`ObligationFull`
    /// when every slot is used).
    fn position_or_open(&mut self, reserve: &<Self::Slot as PositionSlot>::Key) -> EngineResult<&mut Self::Slot> {
        let index = match self.position_index(reserve) {
            Some(index) => index,
            None => {
                let index = self.position_count();
                if index >= self.slots().len() {
                    return Err(Error::ObligationFull);
                }
                self.slots_mut()[index] = Self::Slot::open(*reserve);
                self.set_position_count(index + 1);
                // A new deposit is collateral (a mask bit past the count is never set, but a
                // storage that cannot hold the mask has nothing to clear).
                let mask = self.non_collateral_mask();
                if mask & (1 << index) != 0 {
                    self.set_non_collateral_mask(mask & !(1 << index))?;
                }
                index
            }
        };
        Ok(&mut self.slots_mut()[index])
    }

    /// Closes the position in `reserve` if it holds nothing, keeping the others in order.
    fn close_if_empty(&mut self, reserve: &<Self::Slot as PositionSlot>::Key) {
        if let Some(index) = self.position_index(reserve) {
            if self.slots()[index].is_empty() {
                let count = self.position_count();
                let slots = self.slots_mut();
                slots.copy_within(index + 1..count, index);
                slots[count - 1] = Self::Slot::vacant();
                self.set_position_count(count - 1);
                // The later slots' flags move down with them.
                let mask = self.non_collateral_mask();
                let below = mask & ((1u16 << index) - 1);
                let above = ((mask as u32 >> (index + 1)) << index) as u16;
                if mask != 0 {
                    let _ = self.set_non_collateral_mask(below | above);
                }
            }
        }
    }

    fn has_debt(&self) -> bool {
        self.active_positions().iter().any(|p| !p.debt_shares().is_zero())
    }

    fn has_collateral(&self) -> bool {
        self.active_positions().iter().any(|p| p.supply_shares() > 0)
    }
}

/// An obligation's positions as health reads them: which deposits count as collateral.
#[derive(Clone, Copy, Debug)]
pub struct Held<'a, S> {
    pub positions: &'a [S],
    /// Bit `i` set: position `i`'s deposit is not collateral.
    pub non_collateral_mask: u16,
}

impl<'a, S: PositionSlot> Held<'a, S> {
    /// Slot `index` (below [`MAX_POSITIONS`], 16: one bit each) holds collateral.
    pub fn is_collateral(&self, index: usize) -> bool {
        (self.non_collateral_mask >> (index & (MAX_POSITIONS - 1))) & 1 == 0
    }

    /// The supply shares of position `index` that count as collateral.
    pub fn collateral_shares(&self, index: usize) -> u64 {
        if self.is_collateral(index) {
            self.positions[index].supply_shares()
        } else {
            0
        }
    }
}

/// An owned position, keyed by whatever names a reserve to its user.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position<K> {
    pub reserve: K,
    pub supply_shares: u64,
    pub debt_shares: Wad,
}

impl<K: Copy + Eq + Default> PositionSlot for Position<K> {
    type Key = K;

    fn open(reserve: K) -> Self {
        Position { reserve, supply_shares: 0, debt_shares: Wad::ZERO }
    }
    fn vacant() -> Self {
        Position::default()
    }
    fn reserve(&self) -> &K {
        &self.reserve
    }
    fn supply_shares(&self) -> u64 {
        self.supply_shares
    }
    fn set_supply_shares(&mut self, shares: u64) {
        self.supply_shares = shares;
    }
    fn debt_shares(&self) -> Wad {
        self.debt_shares
    }
    fn set_debt_shares(&mut self, shares: Wad) {
        self.debt_shares = shares;
    }
}

/// Owned position slots with capacity `N` (the program's obligation holds [`MAX_POSITIONS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PositionSlots<K, const N: usize = MAX_POSITIONS> {
    positions: [Position<K>; N],
    count: u8,
    pub margin: MarginMode,
    pub liquidatable_since_ts: i64,
    pub non_collateral_mask: u16,
}

impl<K: Copy + Eq + Default, const N: usize> Default for PositionSlots<K, N> {
    fn default() -> Self {
        PositionSlots {
            positions: [Position::default(); N],
            count: 0,
            margin: MarginMode::Classic,
            liquidatable_since_ts: 0,
            non_collateral_mask: 0,
        }
    }
}

impl<K: Copy + Eq + Default, const N: usize> PositionSlots<K, N> {
    /// Slots holding `positions` in order (the first `N`).
    pub fn from_positions(positions: impl IntoIterator<Item = Position<K>>) -> Self {
        let mut slots = Self::default();
        for (slot, position) in slots.positions.iter_mut().zip(positions) {
            *slot = position;
            slots.count += 1;
        }
        slots
    }

    /// The same slots margined as `mode` says.
    pub fn with_margin(self, mode: MarginMode) -> Self {
        PositionSlots { margin: mode, ..self }
    }

    /// The same slots with the Dutch auction's clock started at `liquidatable_since_ts` (0: not
    /// running), as a decoded account holds it.
    pub fn with_auction_start(self, liquidatable_since_ts: i64) -> Self {
        PositionSlots { liquidatable_since_ts, ..self }
    }

    /// The same slots with the deposits `non_collateral_mask` names not counted as collateral.
    pub fn with_non_collateral(self, non_collateral_mask: u16) -> Self {
        PositionSlots { non_collateral_mask, ..self }
    }
}

impl<K: Copy + Eq + Default, const N: usize> Positions for PositionSlots<K, N> {
    type Slot = Position<K>;

    fn slots(&self) -> &[Position<K>] {
        &self.positions
    }
    fn slots_mut(&mut self) -> &mut [Position<K>] {
        &mut self.positions
    }
    fn position_count(&self) -> usize {
        self.count as usize
    }
    fn set_position_count(&mut self, count: usize) {
        self.count = count as u8;
    }
    fn margin_mode(&self) -> MarginMode {
        self.margin
    }
    fn set_margin_mode(&mut self, mode: MarginMode) -> EngineResult<()> {
        self.margin = mode;
        Ok(())
    }
    fn liquidatable_since_ts(&self) -> i64 {
        self.liquidatable_since_ts
    }
    fn set_liquidatable_since_ts(&mut self, unix: i64) {
        self.liquidatable_since_ts = unix;
    }
    fn non_collateral_mask(&self) -> u16 {
        self.non_collateral_mask
    }
    fn set_non_collateral_mask(&mut self, mask: u16) -> EngineResult<()> {
        self.non_collateral_mask = mask;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_open_in_order_close_when_empty_and_cap_at_capacity() {
        let mut slots = PositionSlots::<u8, 4>::default();
        for key in 0..4 {
            slots.position_or_open(&key).unwrap().supply_shares = 1;
        }
        assert_eq!(slots.position_or_open(&9).unwrap_err(), Error::ObligationFull);
        // An existing position opens no slot, even when full.
        slots.position_or_open(&2).unwrap().debt_shares = Wad::ONE;
        slots.position_mut(&1).unwrap().supply_shares = 0;
        slots.close_if_empty(&1);
        let keys: [u8; 3] = core::array::from_fn(|i| slots.active_positions()[i].reserve);
        assert_eq!((keys, slots.position_count()), ([0, 2, 3], 3));
        assert_eq!(slots.slots()[3], Position::default());
        // A position with debt stays open.
        slots.position_mut(&2).unwrap().supply_shares = 0;
        slots.close_if_empty(&2);
        assert_eq!(slots.position_index(&2), Some(1));
        assert!(slots.has_debt());
        assert_eq!(slots.position_mut(&7).unwrap_err(), Error::PositionNotFound);
    }

    #[test]
    fn collateral_flags_follow_their_positions_when_slots_close() {
        let mut slots = PositionSlots::<u8, 4>::default();
        for key in 0..4 {
            slots.position_or_open(&key).unwrap().supply_shares = 1;
        }
        slots.set_collateral(&1, false).unwrap();
        slots.set_collateral(&3, false).unwrap();
        assert_eq!(slots.non_collateral_mask, 0b1010);
        // Slot 0 closes: positions 1..3 move down and so do their flags.
        slots.position_mut(&0).unwrap().supply_shares = 0;
        slots.close_if_empty(&0);
        assert_eq!(
            (slots.non_collateral_mask, slots.is_collateral(&1), slots.is_collateral(&2)),
            (0b101, Ok(false), Ok(true))
        );
        assert_eq!(slots.held().collateral_shares(0), 0);
        assert_eq!(slots.held().collateral_shares(1), 1);
        // A new position is collateral; a flag is turned back on.
        slots.position_or_open(&9).unwrap();
        assert_eq!(slots.is_collateral(&9), Ok(true));
        slots.set_collateral(&3, true).unwrap();
        assert_eq!(slots.non_collateral_mask, 0b001);
        assert_eq!(slots.set_collateral(&7, false), Err(Error::PositionNotFound));
    }
}
