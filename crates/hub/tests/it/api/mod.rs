//! The relay's API over real TLS, on the store `RENKEI_TEST_STORE` names (SQLite unless it
//! says `postgres`): `.ci/run` runs this module a second time on PostgreSQL.

mod flow;
mod infobase;
mod refusals;
mod shared;
