pub use super::{
    CurvePointStore, InterestCurveStore, OracleConfig, Reserve, ReserveLiquidity, RiskConfigStore, RiskControlsStore,
    RiskRampStore,
};
pub use ballast_engine::ReserveStatus;
pub use ballast_interface::ids::{RESERVE_SEED, VAULT_AUTHORITY_SEED, VAULT_SEED};
pub use ballast_interface::pyth::OracleKind;
