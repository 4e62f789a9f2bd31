pub use super::{Obligation, Position};
pub use ballast_engine::MAX_POSITIONS;
pub use ballast_interface::ids::OBLIGATION_SEED;
