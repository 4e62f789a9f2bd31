//! The program's `oracle::price_from_account_data`, byte for byte, for oracle accounts fetched
//! over RPC: the same checks in the same order, each failing with the program's error name.
//!
//! - Pull (`PriceUpdateV2`, borsh after Anchor's 8-byte discriminator): write authority,
//!   verification level (`Partial { num_signatures }` or `Full`), price message, posted slot.
//! - Legacy (Pyth v2 price account): the fixed offsets of `programs/ballast/src/oracle.rs`.

use ballast_math::OraclePrice;

use ballast_engine::Error;

pub const PYTH_RECEIVER_PROGRAM_ID: &str = "rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ";
pub const PYTH_LEGACY_PROGRAM_ID: &str = "FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2uFH";
/// Anchor's account discriminator of `PriceUpdateV2`: `sha256("account:PriceUpdateV2")[..8]`.
pub const PRICE_UPDATE_V2_DISCRIMINATOR: [u8; 8] = [34, 241, 35, 99, 157, 126, 244, 205];

fn read<const N: usize>(data: &[u8], offset: usize) -> Option<[u8; N]> {
    data.get(offset..offset + N)?.try_into().ok()
}

/// `parse_legacy_price`.
pub fn parse_legacy_price(data: &[u8]) -> Result<OraclePrice, Error> {
    const ACCOUNT_SIZE: usize = 3312;
    let u32_at = |o| read::<4>(data, o).map(u32::from_le_bytes);
    let i64_at = |o| read::<8>(data, o).map(i64::from_le_bytes).unwrap_or_default();
    if data.len() < ACCOUNT_SIZE
        || u32_at(0) != Some(0xa1b2c3d4)
        || u32_at(4) != Some(2)
        || u32_at(8) != Some(3)
        || u32_at(16) != Some(1)
    {
        return Err(Error::OracleInvalidData);
    }
    if u32_at(224) != Some(1) {
        return Err(Error::OracleNotTrading);
    }
    let ema_conf = i64_at(72);
    Ok(OraclePrice {
        price: i64_at(208),
        conf: read::<8>(data, 216).map(u64::from_le_bytes).unwrap_or_default(),
        ema_price: i64_at(48),
        ema_conf: u64::try_from(ema_conf).map_err(|_| Error::OracleInvalidData)?,
        exponent: read::<4>(data, 20).map(i32::from_le_bytes).unwrap_or_default(),
        publish_time: i64_at(96),
    })
}

/// `parse_pull_price`: Anchor's `try_deserialize` (discriminator, then borsh), then the
/// verification level and the feed id.
pub fn parse_pull_price(data: &[u8], feed_id: &[u8; 32]) -> Result<OraclePrice, Error> {
    let invalid = Error::OracleInvalidData;
    if data.len() < 8 || data[..8] != PRICE_UPDATE_V2_DISCRIMINATOR {
        return Err(invalid);
    }
    let mut at = 8 + 32; // discriminator, write authority
    let full = match data.get(at) {
        Some(0) => {
            at += 2; // Partial { num_signatures: u8 }
            false
        }
        Some(1) => {
            at += 1;
            true
        }
        _ => return Err(invalid),
    };
    let message_feed: [u8; 32] = read(data, at).ok_or(invalid)?;
    let i64_at = |o: usize| read::<8>(data, o).map(i64::from_le_bytes).ok_or(invalid);
    let u64_at = |o: usize| read::<8>(data, o).map(u64::from_le_bytes).ok_or(invalid);
    let price = i64_at(at + 32)?;
    let conf = u64_at(at + 40)?;
    let exponent = read::<4>(data, at + 48).map(i32::from_le_bytes).ok_or(invalid)?;
    let publish_time = i64_at(at + 52)?;
    let _prev_publish_time = i64_at(at + 60)?;
    let ema_price = i64_at(at + 68)?;
    let ema_conf = u64_at(at + 76)?;
    let _posted_slot = u64_at(at + 84)?;
    if !full {
        return Err(Error::OracleNotFullyVerified);
    }
    if message_feed != *feed_id {
        return Err(Error::OracleWrongFeed);
    }
    Ok(OraclePrice { price, conf, ema_price, ema_conf, exponent, publish_time })
}

/// `price_from_account_data`: the account must be the reserve's pinned oracle, owned by the Pyth
/// program of its format.
pub fn price_from_account_data(
    key: &str,
    owner: &str,
    data: &[u8],
    oracle_account: &str,
    kind: u8,
    feed_id: &[u8; 32],
) -> Result<OraclePrice, Error> {
    if key != oracle_account {
        return Err(Error::OracleAccountMismatch);
    }
    let expected_owner = match kind {
        1 => PYTH_RECEIVER_PROGRAM_ID,
        2 => PYTH_LEGACY_PROGRAM_ID,
        _ => return Err(Error::OracleKindUnsupported),
    };
    if owner != expected_owner {
        return Err(Error::OracleWrongOwner);
    }
    match kind {
        1 => parse_pull_price(data, feed_id),
        _ => parse_legacy_price(data),
    }
}
