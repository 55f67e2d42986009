//! The relay's tests: its store on both back ends, its pages, and its API over real TLS
//! with offices that enrol, seal and send the way an office does.

mod api;
mod infobase;
mod portal;
mod store;
