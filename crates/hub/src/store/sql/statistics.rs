//! Statements of the statistics area both back ends run as written here (placeholders
//! `$N`; SQLite reads them as `?N`, see `super::sqlite_text`).

pub(crate) const ADD_REGISTRY_ENTRY: &str = "INSERT INTO registry (number, name, kind, prefecture, municipality, \
     municipality_name) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (number) DO \
     UPDATE SET name = $2, kind = $3, prefecture = $4, municipality = $5, \
     municipality_name = $6";
