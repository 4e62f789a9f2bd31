//! Instruction parameters and the `get_health` answer, declared once in `ballast-interface`.

use anchor_lang::prelude::*;

/// Declares `CurvePointParam`, one point of the interest curve: `(utilization_bps,
/// annual_borrow_rate_bps)`. Through a macro because IDL generation reads the crate's source,
/// `cfg` or not, and would resolve a plain `type` alias to the tuple it cannot describe.
macro_rules! curve_point_tuple {
    () => {
        pub type CurvePointParam = (u16, u32);
    };
}
#[cfg(not(feature = "idl-build"))]
curve_point_tuple!();

/// The IDL cannot describe a tuple, so IDL generation (`idl-build`, never a program build) sees
/// the same two fields as a struct: borsh encodes both identically (a `u16`, then a `u32`).
#[cfg(feature = "idl-build")]
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CurvePointParam {
    pub utilization_bps: u16,
    pub borrow_rate_bps: u32,
}

ballast_interface::declare_params!(
    derive: [#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, Default, PartialEq, Eq)]]
);
