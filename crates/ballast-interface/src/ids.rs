//! Program ids, Anchor discriminators and PDA seeds. Anchor derives the discriminators as
//! `sha256("<namespace>:<name>")[..8]`; the program's tests check every one against Anchor's.

/// The Ballast program (`AxKxQ7pR8RKQDTo5BycZbrhA4qz2eDT5Y4gpNLBbW9A`).
pub const PROGRAM_ID: [u8; 32] = [
    2, 140, 201, 23, 21, 2, 192, 21, 177, 170, 220, 217, 147, 71, 89, 23, 194, 183, 122, 229, 63, 207, 108, 77, 192,
    255, 143, 166, 138, 250, 55, 125,
];
/// The Pyth receiver program that owns `PriceUpdateV2` accounts
/// (`rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ`).
pub const PYTH_RECEIVER_PROGRAM_ID: [u8; 32] = [
    12, 183, 250, 187, 82, 247, 166, 72, 187, 91, 49, 125, 154, 1, 139, 144, 87, 203, 2, 71, 116, 250, 254, 1, 230,
    196, 223, 152, 204, 56, 88, 129,
];
/// The Pyth oracle program that owns legacy price accounts on Solana mainnet
/// (`FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2uFH`).
pub const PYTH_LEGACY_PROGRAM_ID: [u8; 32] = [
    220, 229, 235, 225, 228, 156, 59, 159, 17, 76, 181, 84, 76, 80, 169, 158, 192, 214, 146, 214, 63, 86, 121, 90, 224,
    41, 172, 131, 217, 235, 73, 132,
];
/// The Pyth push oracle program (`pythWSnswVUd12oZpeFP8e9CVaEqJg25g1Vtc2biRsT`): a push feed is
/// its PDA, a `PriceUpdateV2` that names itself as write authority and only moves forward.
pub const PYTH_PUSH_ORACLE_ID: [u8; 32] = [
    12, 74, 160, 18, 142, 149, 211, 225, 98, 42, 165, 1, 197, 133, 169, 235, 7, 179, 115, 84, 193, 8, 234, 11, 121, 27,
    69, 109, 199, 238, 163, 54,
];
/// The push-oracle shard a reserve's feed must live on: shard 0 holds the feeds Pyth sponsors.
pub const PUSH_FEED_SHARD_ID: u16 = 0;
/// The system program (`11111111111111111111111111111111`).
pub const SYSTEM_PROGRAM_ID: [u8; 32] = [0; 32];

pub const OBLIGATION_SEED: &[u8] = b"obligation";
pub const RESERVE_SEED: &[u8] = b"reserve";
pub const VAULT_SEED: &[u8] = b"vault";
pub const VAULT_AUTHORITY_SEED: &[u8] = b"vault-authority";

/// Seeds of a market's reserve for `mint`.
pub fn reserve_seeds<'a>(market: &'a [u8; 32], mint: &'a [u8; 32]) -> [&'a [u8]; 3] {
    [RESERVE_SEED, market, mint]
}

/// Seeds of a reserve's token vault.
pub fn vault_seeds(reserve: &[u8; 32]) -> [&[u8]; 2] {
    [VAULT_SEED, reserve]
}

/// Seeds of the PDA that owns a reserve's vault.
pub fn vault_authority_seeds(reserve: &[u8; 32]) -> [&[u8]; 2] {
    [VAULT_AUTHORITY_SEED, reserve]
}

/// Seeds of `owner`'s obligation in `market` (number 0).
pub fn obligation_seeds<'a>(market: &'a [u8; 32], owner: &'a [u8; 32]) -> [&'a [u8]; 3] {
    [OBLIGATION_SEED, market, owner]
}

/// Seeds of `owner`'s further obligation number `id` (1 to 255) in `market`; `id` is the
/// one-byte slice `&[id]`.
pub fn sub_obligation_seeds<'a>(market: &'a [u8; 32], owner: &'a [u8; 32], id: &'a [u8; 1]) -> [&'a [u8]; 4] {
    [OBLIGATION_SEED, market, owner, id]
}

/// Seeds of the Pyth push feed for `feed_id` on `shard_id_le` (a little-endian u16), under
/// [`PYTH_PUSH_ORACLE_ID`].
pub fn push_feed_seeds<'a>(shard_id_le: &'a [u8; 2], feed_id: &'a [u8; 32]) -> [&'a [u8]; 2] {
    [shard_id_le, feed_id]
}

/// Account discriminators: `sha256("account:<Name>")[..8]`.
pub mod account_discriminator {
    pub const MARKET: [u8; 8] = [219, 190, 213, 55, 0, 227, 198, 154];
    pub const RESERVE: [u8; 8] = [43, 242, 204, 202, 26, 247, 59, 127];
    pub const OBLIGATION: [u8; 8] = [168, 206, 141, 106, 88, 76, 172, 167];
    /// Pyth's `PriceUpdateV2` (an Anchor account of the receiver program).
    pub const PRICE_UPDATE_V2: [u8; 8] = [34, 241, 35, 99, 157, 126, 244, 205];
}

/// Instruction discriminators: `sha256("global:<name>")[..8]`.
pub mod instruction_discriminator {
    pub const INIT_MARKET: [u8; 8] = [33, 253, 15, 116, 89, 25, 127, 236];
    pub const UPDATE_MARKET_CONFIG: [u8; 8] = [91, 87, 149, 101, 110, 116, 16, 120];
    pub const INIT_RESERVE: [u8; 8] = [138, 245, 71, 225, 153, 4, 3, 43];
    pub const UPDATE_RESERVE_CONFIG: [u8; 8] = [61, 148, 100, 70, 143, 107, 17, 13];
    pub const SET_RESERVE_STATUS: [u8; 8] = [26, 42, 235, 134, 227, 202, 75, 234];
    pub const PAUSE_MARKET: [u8; 8] = [216, 238, 4, 164, 65, 11, 162, 91];
    pub const PROPOSE_AUTHORITY: [u8; 8] = [20, 148, 236, 198, 76, 119, 99, 142];
    pub const ACCEPT_AUTHORITY: [u8; 8] = [107, 86, 198, 91, 33, 12, 107, 160];
    pub const INIT_OBLIGATION: [u8; 8] = [251, 10, 231, 76, 27, 11, 159, 96];
    pub const CLOSE_OBLIGATION: [u8; 8] = [178, 182, 18, 237, 158, 158, 51, 124];
    pub const DEPOSIT: [u8; 8] = [242, 35, 198, 137, 82, 225, 242, 182];
    pub const WITHDRAW: [u8; 8] = [183, 18, 70, 156, 148, 109, 161, 34];
    pub const BORROW: [u8; 8] = [228, 253, 131, 202, 207, 116, 89, 18];
    pub const REPAY: [u8; 8] = [234, 103, 67, 82, 208, 234, 219, 166];
    pub const LIQUIDATE: [u8; 8] = [223, 179, 226, 125, 48, 46, 39, 74];
    pub const SOCIALIZE_LOSS: [u8; 8] = [245, 75, 91, 0, 236, 97, 19, 3];
    pub const GET_HEALTH: [u8; 8] = [210, 195, 231, 219, 9, 146, 183, 83];
    pub const SET_MARGIN_MODE: [u8; 8] = [5, 101, 91, 213, 197, 84, 109, 78];
    pub const MARK_LIQUIDATABLE: [u8; 8] = [214, 191, 84, 52, 246, 210, 126, 82];
    pub const FLASH_BORROW: [u8; 8] = [166, 221, 220, 25, 61, 73, 127, 240];
    pub const FLASH_REPAY: [u8; 8] = [182, 143, 19, 23, 39, 221, 184, 78];
    pub const WITHDRAW_PROTOCOL_FEES: [u8; 8] = [11, 68, 165, 98, 18, 208, 134, 73];
    pub const WITHDRAW_INSURANCE: [u8; 8] = [201, 133, 145, 118, 235, 89, 90, 189];
    pub const SET_COLLATERAL: [u8; 8] = [78, 238, 107, 150, 31, 244, 158, 27];
    pub const INIT_SUB_OBLIGATION: [u8; 8] = [167, 134, 92, 227, 251, 28, 67, 106];
}

/// The Instructions sysvar (`Sysvar1nstructions1111111111111111111111111`), which flash loans
/// read to find their repay.
pub const INSTRUCTIONS_SYSVAR_ID: [u8; 32] = [
    6, 167, 213, 23, 24, 123, 209, 102, 53, 218, 212, 4, 85, 253, 194, 192, 193, 36, 198, 143, 33, 86, 117, 165, 219,
    186, 203, 95, 8, 0, 0, 0,
];

/// Position of the reserve in `flash_borrow`'s and `flash_repay`'s account lists: what the
/// borrow's check of the transaction compares.
pub const FLASH_RESERVE_ACCOUNT_INDEX: usize = 2;
