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
