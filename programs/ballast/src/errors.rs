//! Every way an instruction can fail, by name. A failed instruction changes no state.

use anchor_lang::prelude::*;
use ballast_engine::Error as EngineError;
use ballast_math::MathError;

/// Declares Anchor's error enum from the engine's one table (`ballast_engine::ballast_error_table`),
/// with the list of its variants (`BallastError::from_code`) and the variant-for-variant map from
/// the engine's errors.
macro_rules! ballast_errors {
    ($($(#[$doc:meta])* $name:ident => $msg:literal,)*) => {
        #[error_code]
        pub enum BallastError {
            $($(#[$doc])* #[msg($msg)] $name,)*
        }

        impl BallastError {
            pub const ALL: &'static [BallastError] = &[$(BallastError::$name,)*];
        }

        impl From<EngineError> for BallastError {
            fn from(error: EngineError) -> Self {
                match error {
                    $(EngineError::$name => BallastError::$name,)*
                }
            }
        }
    };
}

ballast_engine::ballast_error_table!(ballast_errors);

impl BallastError {
    /// Anchor's code for this error (custom program error number).
    pub fn code(self) -> u32 {
        u32::from(self)
    }

    /// The error with Anchor code `code`, if it is one of Ballast's.
    pub fn from_code(code: u32) -> Option<BallastError> {
        BallastError::ALL.iter().copied().find(|e| e.code() == code)
    }
}

impl From<MathError> for BallastError {
    fn from(error: MathError) -> Self {
        EngineError::from(error).into()
    }
}

/// What a handler's engine call fails with: an engine error, or an account check of the
/// program's own (Anchor's errors included) made while reading health accounts.
pub struct HandlerError(pub anchor_lang::error::Error);

impl From<EngineError> for HandlerError {
    fn from(error: EngineError) -> Self {
        HandlerError(BallastError::from(error).into())
    }
}

impl From<anchor_lang::error::Error> for HandlerError {
    fn from(error: anchor_lang::error::Error) -> Self {
        HandlerError(error)
    }
}

impl From<HandlerError> for anchor_lang::error::Error {
    fn from(error: HandlerError) -> Self {
        error.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One list: every engine error is the program error of the same name and code.
    #[test]
    fn program_errors_are_the_engine_list() {
        assert_eq!(BallastError::ALL.len(), EngineError::ALL.len());
        for (program, engine) in BallastError::ALL.iter().zip(EngineError::ALL) {
            assert_eq!(BallastError::from(*engine).code(), program.code());
            assert_eq!(program.code(), engine.code());
            assert_eq!(program.name(), engine.name());
        }
    }
}
