//! The `renkei` command as a user runs it: the binary in child processes, a relay and its
//! offices on loopback, and what they print and keep.

mod common;

mod architecture;
mod cli;
mod demo;
mod log_check;
mod office_faults;
mod office_pc;
mod office_send;
mod relay_cli;
mod relay_crash;
