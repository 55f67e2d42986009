//! The office's own tests that need no relay: which document each record is a version of.
//! The office against a relay is tested beside the relay (`renkei-hub`'s `api` tests).

mod versions;
