//! The forms as PDFs, read back with poppler's tools.

mod forms;
