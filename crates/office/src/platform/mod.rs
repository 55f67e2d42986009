//! What differs between the systems an office PC runs, kept in one place: where the data
//! folder is, how the private key is kept to its user, and how a file another program
//! still holds is waited for.

mod data_dir;
pub mod held;
mod moving;
mod private_file;
#[cfg(windows)]
mod windows_acl;

pub use data_dir::{DATA_DIR_VARIABLE, default_data_dir};
pub use moving::move_file;
pub use private_file::{is_private, keep_private, write_private};
