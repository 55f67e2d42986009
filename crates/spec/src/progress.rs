//! Progress of long work, reported through a trait so that the library never prints;
//! the binary draws it (with indicatif), a server or a test ignores it.

pub trait Progress {
    /// `total` steps of `what` begin.
    fn start(&self, total: u64, what: &str);
    fn advance(&self, steps: u64);
    fn finish(&self);
}

/// Progress that goes nowhere.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: u64, _: &str) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}
