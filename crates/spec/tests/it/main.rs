//! Integration tests of `renkei-spec`, one binary (it links once).

mod convert;
mod fixtures;
mod generator;
mod json;
mod readings;
mod roundtrip;
mod rules;
mod split;
