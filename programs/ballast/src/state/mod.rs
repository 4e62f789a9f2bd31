pub mod market;
pub mod obligation;
pub mod reserve;

pub use market::*;
pub use obligation::*;
pub use reserve::*;

use ballast_math::Wad;

/// A `u128` Wad stored as 16 little-endian bytes: alignment 1, so the zero-copy layout is the
/// same natively and on sBPF (where `u128` is 8-aligned, not 16).
pub type WadBytes = [u8; 16];

pub fn wad_from_bytes(bytes: &WadBytes) -> Wad {
    Wad(u128::from_le_bytes(*bytes))
}

pub fn wad_to_bytes(wad: Wad) -> WadBytes {
    wad.0.to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::Pubkey;
    use ballast_engine::Positions;
    use core::mem::{offset_of, size_of};

    /// Layouts are part of the interface (bots filter on offsets): changing them must be deliberate.
    #[test]
    fn account_layouts_are_fixed() {
        assert_eq!(Obligation::SPACE, 1_104);
        assert_eq!(Reserve::SPACE, 704);
        assert_eq!(Market::SPACE, 250);
        assert_eq!(size_of::<Position>(), 56);
        assert_eq!(8 + offset_of!(Obligation, market), Obligation::MARKET_OFFSET);
        assert_eq!(8 + offset_of!(Obligation, owner), Obligation::OWNER_OFFSET);
        assert_eq!(8 + offset_of!(Reserve, market), 8);
    }

    fn empty_obligation() -> Obligation {
        bytemuck::Zeroable::zeroed()
    }

    #[test]
    fn positions_open_in_order_close_compactly_and_cap_at_sixteen() {
        let mut obligation = empty_obligation();
        let reserves: Vec<Pubkey> = (0..17).map(|_| Pubkey::new_unique()).collect();
        for reserve in &reserves[..MAX_POSITIONS] {
            obligation.position_or_open(reserve).unwrap().supply_shares = 1;
        }
        assert!(obligation.position_or_open(&reserves[16]).is_err());
        // An existing position is found, not reopened.
        obligation.position_or_open(&reserves[3]).unwrap().supply_shares += 1;
        assert_eq!(obligation.position_count as usize, MAX_POSITIONS);
        // Closing keeps the others in their order.
        obligation.position_mut(&reserves[5]).unwrap().supply_shares = 0;
        obligation.close_if_empty(&reserves[5]);
        let keys: Vec<Pubkey> = obligation.active_positions().iter().map(|p| p.reserve).collect();
        let expected: Vec<Pubkey> = reserves[..MAX_POSITIONS].iter().copied().filter(|r| *r != reserves[5]).collect();
        assert_eq!(keys, expected);
        assert_eq!(obligation.positions[MAX_POSITIONS - 1], Position::default());
        // A position with debt does not close.
        obligation.position_mut(&reserves[0]).unwrap().supply_shares = 0;
        obligation.position_mut(&reserves[0]).unwrap().set_debt_shares(ballast_math::Wad(1));
        obligation.close_if_empty(&reserves[0]);
        assert_eq!(obligation.active_positions()[0].reserve, reserves[0]);
        assert!(obligation.has_debt());
    }
}
