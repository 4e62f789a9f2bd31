//! Ballast's interface as a type crate (marginfi's type crate is the model): what a program, a
//! client, a test runner or the dApp's wasm needs to read and write Ballast's accounts and
//! instructions byte for byte, with neither the agave runtime nor Anchor:
//!
//! - [`layout`]: the account layouts and instruction parameters, declared once by macros. The
//!   program instantiates them as its Anchor accounts; [`raw`] instantiates them as plain `Pod`
//!   and borsh types with keys as `[u8; 32]`. Both have the same bytes (tests pin it).
//! - [`ids`]: program ids, Anchor discriminators and PDA seeds.
//! - [`ix`]: instruction builders (account order and data), generic over the key type.
//! - [`pyth`]: both Pyth account formats: the program's parsers and the fixture writers.
#![no_std]

extern crate alloc;

pub mod ids;
pub mod ix;
pub mod layout;
pub mod pyth;
pub mod raw;

pub use ballast_engine as engine;
pub use ballast_math as math;
pub use borsh;
pub use bytemuck;

/// A `u128` Wad stored as 16 little-endian bytes: alignment 1, so the zero-copy layout is the
/// same natively and on sBPF (where `u128` is 8-aligned, not 16).
pub type WadBytes = [u8; 16];

pub fn wad_from_bytes(bytes: &WadBytes) -> math::Wad {
    math::Wad(u128::from_le_bytes(*bytes))
}

pub fn wad_to_bytes(wad: math::Wad) -> WadBytes {
    wad.0.to_le_bytes()
}
