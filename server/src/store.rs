//! `--data PATH`: the simulator's state in an SQLite file, so that a restarted identity-mock
//! finds every session, report, event and idempotency record as it was.
//!
//! The simulator hands each write's changes to [`SqliteStore`] before it answers
//! (`stripe_identity::engine::persist`), and they go in one transaction. The file is in WAL
//! mode with `synchronous=NORMAL`: when a commit returns, the transaction is in the WAL file,
//! in the operating system's hands, so it survives `kill -9` or any crash of the server
//! process. It does not survive an operating-system crash or a power cut: those may lose the
//! last commits (never the file's consistency), since the WAL is synced only at checkpoints.
//!
//! One server per file: the file is locked (SQLite's exclusive locking mode) from start to
//! stop, and a second server on it fails to start with a clear error. The lock goes with the
//! process, so a killed server leaves nothing to clean up.

use parking_lot::Mutex;
use rusqlite::{params, Connection, ErrorCode, TransactionBehavior};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use stripe_identity::engine::persist::{Changes, Kind, Row, Store, StoreError};
use stripe_identity::engine::{Clock, Simulator};

/// The file's layout, kept in `PRAGMA user_version`; a file of another version is refused.
/// 2 added `webhook_endpoints`; a file of layout 1 gets the table when opened.
const SCHEMA_VERSION: i64 = 2;

/// One table per kind, each `(key, pos, body)`: see `engine::persist::Row`.
fn table(kind: Kind) -> &'static str {
    match kind {
        Kind::Session => "sessions",
        Kind::Report => "reports",
        Kind::Event => "events",
        Kind::Idempotency => "idempotency",
        Kind::WebhookEndpoint => "webhook_endpoints",
    }
}

fn create_sql(kind: Kind) -> String {
    format!(
        "CREATE TABLE {} (key TEXT PRIMARY KEY NOT NULL, pos INTEGER NOT NULL, body TEXT NOT NULL) STRICT;",
        table(kind)
    )
}

fn put_sql(kind: Kind) -> &'static str {
    match kind {
        Kind::Session => "INSERT OR REPLACE INTO sessions (key, pos, body) VALUES (?1, ?2, ?3)",
        Kind::Report => "INSERT OR REPLACE INTO reports (key, pos, body) VALUES (?1, ?2, ?3)",
        Kind::Event => "INSERT OR REPLACE INTO events (key, pos, body) VALUES (?1, ?2, ?3)",
        Kind::Idempotency => "INSERT OR REPLACE INTO idempotency (key, pos, body) VALUES (?1, ?2, ?3)",
        Kind::WebhookEndpoint => {
            "INSERT OR REPLACE INTO webhook_endpoints (key, pos, body) VALUES (?1, ?2, ?3)"
        }
    }
}

fn delete_sql(kind: Kind) -> &'static str {
    match kind {
        Kind::Session => "DELETE FROM sessions WHERE key = ?1",
        Kind::Report => "DELETE FROM reports WHERE key = ?1",
        Kind::Event => "DELETE FROM events WHERE key = ?1",
        Kind::Idempotency => "DELETE FROM idempotency WHERE key = ?1",
        Kind::WebhookEndpoint => "DELETE FROM webhook_endpoints WHERE key = ?1",
    }
}

/// The simulator's state in an SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens the file at `path` (created if absent), takes its lock, and reads every row.
    pub fn open(path: &Path) -> Result<(SqliteStore, Vec<Row>), StoreError> {
        let fail = |e: rusqlite::Error| StoreError(describe(path, &e));
        let mut conn = Connection::open(path).map_err(fail)?;
        // A file in use answers at once rather than after a wait.
        conn.busy_timeout(Duration::ZERO).map_err(fail)?;
        // Exclusive before WAL, so the WAL index lives in the process, not in a shared file.
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE").map_err(fail)?;
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)).map_err(fail)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError(format!("{}: cannot use WAL mode (got {mode})", path.display())));
        }
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(fail)?;
        // A first write takes the exclusive lock, held until the server stops.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive).map_err(fail)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(fail)?;
        let tables: i64 =
            tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(fail)?;
        match version {
            0 if tables == 0 => {
                for kind in Kind::ALL {
                    tx.execute_batch(&create_sql(kind)).map_err(fail)?;
                }
                tx.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(fail)?;
            }
            1 => {
                tx.execute_batch(&create_sql(Kind::WebhookEndpoint)).map_err(fail)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(fail)?;
            }
            SCHEMA_VERSION => {}
            0 => {
                return Err(StoreError(format!(
                    "{}: holds another database, not identity-mock's",
                    path.display()
                )))
            }
            other => {
                return Err(StoreError(format!(
                    "{}: written by another version of identity-mock (layout {other}, this one reads {SCHEMA_VERSION})",
                    path.display()
                )))
            }
        }
        tx.commit().map_err(fail)?;
        let mut rows = Vec::new();
        for kind in Kind::ALL {
            let mut stmt = conn
                .prepare(&format!("SELECT key, pos, body FROM {} ORDER BY pos, rowid", table(kind)))
                .map_err(fail)?;
            let read = stmt
                .query_map([], |r| Ok(Row { kind, key: r.get(0)?, pos: r.get(1)?, body: r.get(2)? }))
                .map_err(fail)?;
            for row in read {
                rows.push(row.map_err(fail)?);
            }
        }
        Ok((SqliteStore { conn: Mutex::new(conn), path: path.to_path_buf() }, rows))
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Store for SqliteStore {
    fn commit(&self, changes: &Changes) -> Result<(), StoreError> {
        let fail = |e: rusqlite::Error| StoreError(describe(&self.path, &e));
        let mut conn = self.conn.lock();
        // Dropped without commit on any error: the transaction rolls back whole.
        let tx = conn.transaction().map_err(fail)?;
        for (kind, key) in &changes.delete {
            tx.prepare_cached(delete_sql(*kind)).map_err(fail)?.execute(params![key]).map_err(fail)?;
        }
        for row in &changes.put {
            tx.prepare_cached(put_sql(row.kind))
                .map_err(fail)?
                .execute(params![row.key, row.pos, row.body])
                .map_err(fail)?;
        }
        tx.commit().map_err(fail)
    }
}

/// An SQLite error in words, naming the file.
fn describe(path: &Path, e: &rusqlite::Error) -> String {
    let path = path.display();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            format!("{path} is in use by another process (another identity-mock on the same --data?)")
        }
        Some(ErrorCode::NotADatabase) => format!("{path} is not an SQLite database"),
        Some(ErrorCode::DiskFull) => format!("{path}: the disk is full"),
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied | ErrorCode::CannotOpen) => {
            format!("{path} cannot be opened for writing: {e}")
        }
        _ => format!("{path}: {e}"),
    }
}

/// A simulator on `clock` whose state lives in the file at `path`: restored from it now, and
/// every later write committed to it before it is answered. Event bounds are the simulator's
/// defaults.
pub fn open(path: &Path, clock: Arc<dyn Clock>) -> io::Result<Simulator> {
    let (store, rows) = SqliteStore::open(path).map_err(io::Error::other)?;
    Simulator::with_clock(clock).with_store(Arc::new(store), rows).map_err(io::Error::other)
}
