pub mod market;
pub mod obligation;
pub mod reserve;

pub use market::*;
pub use obligation::*;
pub use reserve::*;

pub use ballast_interface::{wad_from_bytes, wad_to_bytes, WadBytes};

use anchor_lang::prelude::*;

// The zero-copy accounts and the types inside them, declared once in `ballast-interface`; here
// as Anchor accounts so the IDL describes them.
ballast_interface::declare_zero_copy_layouts!(
    account: [#[account(zero_copy)]],
    nested: [#[zero_copy]]
);

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

    /// The Anchor accounts and the interface's raw types have the same bytes.
    #[test]
    fn raw_layouts_are_the_anchor_layouts() {
        use ballast_interface::raw;
        assert_eq!(size_of::<raw::Obligation>(), size_of::<Obligation>());
        assert_eq!(size_of::<raw::Reserve>(), size_of::<Reserve>());
        assert_eq!(offset_of!(raw::Reserve, socialized_loss), offset_of!(Reserve, socialized_loss));
        assert_eq!(offset_of!(raw::Reserve, controls), offset_of!(Reserve, controls));
        assert_eq!(offset_of!(raw::Obligation, position_count), offset_of!(Obligation, position_count));
        let mut reserve: Reserve = bytemuck::Zeroable::zeroed();
        reserve.market = Pubkey::new_unique();
        reserve.liquidity.borrow_index = [3; 16];
        reserve.status = 2;
        let raw: raw::Reserve = bytemuck::cast(reserve);
        assert_eq!(raw.market, reserve.market.to_bytes());
        assert_eq!(raw.liquidity.borrow_index, [3; 16]);
        assert_eq!(raw.status, 2);
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
