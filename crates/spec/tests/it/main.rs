//! Integration tests of `renkei-spec`, one binary (it links once).

mod fixtures;
mod generator;
mod roundtrip;
mod rules;
mod split;
