//! Ballast stress simulator (in progress).
