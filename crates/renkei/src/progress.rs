//! Progress bars for long work, drawn with indicatif on standard error.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar for `total` steps, hidden when standard error is not a terminal (CI logs, pipes).
pub fn bar(total: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    bar
}

/// A bar that library work reports to through `renkei_spec::progress::Progress`.
pub struct Bar(pub ProgressBar);

impl Bar {
    pub fn new(what: &str) -> Self {
        Self(bar(0, what))
    }
}

impl renkei_spec::progress::Progress for Bar {
    fn start(&self, total: u64, what: &str) {
        self.0.reset();
        self.0.set_length(total);
        self.0.set_message(what.to_owned());
    }
    fn advance(&self, steps: u64) {
        self.0.inc(steps);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
