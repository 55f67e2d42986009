//! The SQL both back ends share, by area. A statement is written once, with PostgreSQL's
//! `$N` placeholders, wherever the two dialects agree; SQLite runs the same text with
//! `?N` ([`sqlite_text`]). What differs — types in migrations, upserts that return rows,
//! casts, locks, LISTEN/NOTIFY — stays in `sqlite/` and `postgres/`.

pub(super) mod accounts;
pub(super) mod columns;
pub(super) mod infobase;
pub(super) mod offices;
pub(super) mod parcels;
pub(super) mod statistics;

/// A shared statement as SQLite reads it: `$N` becomes `?N`, SQLite's numbered parameter
/// (its `$NAME` parameters would be numbered by first appearance instead).
pub(super) fn sqlite_text(sql: &str) -> String {
    let mut text = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            text.push('?');
        } else {
            text.push(c);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_reads_numbered_placeholders() {
        assert_eq!(
            sqlite_text("UPDATE t SET a = $2 WHERE b = $1 AND c = '$x'"),
            "UPDATE t SET a = ?2 WHERE b = ?1 AND c = '$x'"
        );
    }
}
