//! The event store: SQLite (a file, embedded) or Postgres (a URL), through one library, sqlx's
//! `Any` driver, with runtime queries and portable SQL (`$n` parameters, which SQLite takes too;
//! `BIGINT` and `TEXT` columns only; `ON CONFLICT DO NOTHING`).
//!
//! Two tables. `ballast_transactions` holds every transaction the indexer has processed
//! (succeeded or failed, with or without events), numbered by `seq` in processing order; the
//! newest is the resume point. `ballast_events` holds one row per event, keyed by
//! (signature, event index), with `id = seq * 65536 + index` as the order and the page cursor.
//! A transaction and its events are written in one database transaction, and a second write of
//! the same signature changes nothing, so a restart anywhere neither loses nor duplicates.

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::Value;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

use crate::decode::DecodedEvent;

/// Events per transaction the cursor has room for.
const EVENTS_PER_TX: i64 = 65_536;

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS ballast_transactions (
        signature TEXT PRIMARY KEY,
        seq BIGINT NOT NULL,
        slot BIGINT NOT NULL,
        block_time BIGINT,
        failed BIGINT NOT NULL,
        event_count BIGINT NOT NULL
    )",
    "CREATE INDEX IF NOT EXISTS ballast_transactions_seq ON ballast_transactions (seq)",
    "CREATE TABLE IF NOT EXISTS ballast_events (
        signature TEXT NOT NULL,
        event_index BIGINT NOT NULL,
        id BIGINT NOT NULL,
        slot BIGINT NOT NULL,
        block_time BIGINT,
        name TEXT NOT NULL,
        obligation TEXT,
        reserve TEXT,
        reserve2 TEXT,
        data TEXT NOT NULL,
        PRIMARY KEY (signature, event_index)
    )",
    "CREATE INDEX IF NOT EXISTS ballast_events_id ON ballast_events (id)",
    "CREATE INDEX IF NOT EXISTS ballast_events_obligation ON ballast_events (obligation, id)",
    "CREATE INDEX IF NOT EXISTS ballast_events_reserve ON ballast_events (reserve, id)",
    "CREATE INDEX IF NOT EXISTS ballast_events_reserve2 ON ballast_events (reserve2, id)",
];

/// A processed transaction, ready to store.
#[derive(Debug, Clone)]
pub struct TxRecord {
    pub signature: String,
    pub slot: u64,
    pub block_time: Option<i64>,
    /// Failed transactions are recorded (so they are not fetched again) with no events.
    pub failed: bool,
    pub events: Vec<DecodedEvent>,
}

/// A stored event, as the API serves it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredEvent {
    /// The order and the page cursor (`before=`).
    pub id: i64,
    pub signature: String,
    pub event_index: i64,
    pub slot: u64,
    pub block_time: Option<i64>,
    pub name: String,
    pub obligation: Option<String>,
    pub reserves: Vec<String>,
    pub data: Value,
}

/// Which events to list.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub obligation: Option<String>,
    pub reserve: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub backend: &'static str,
    pub last_signature: Option<String>,
    pub last_slot: Option<u64>,
    pub transactions: i64,
    pub events: i64,
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: &'static str,
}

/// The sqlx URL of `--database`: a `postgres://` / `postgresql://` URL as given, a `sqlite:` URL,
/// or a bare file path (SQLite, created when missing).
pub fn database_url(database: &str) -> String {
    if database.starts_with("postgres://") || database.starts_with("postgresql://") {
        return database.to_string();
    }
    let url = if database.starts_with("sqlite:") { database.to_string() } else { format!("sqlite://{database}") };
    if url.contains('?') {
        url
    } else {
        format!("{url}?mode=rwc")
    }
}

fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn event_from_row(row: &AnyRow) -> Result<StoredEvent> {
    let reserves: Vec<String> =
        [row.try_get::<Option<String>, _>("reserve")?, row.try_get::<Option<String>, _>("reserve2")?]
            .into_iter()
            .flatten()
            .collect();
    let data: String = row.try_get("data")?;
    Ok(StoredEvent {
        id: row.try_get("id")?,
        signature: row.try_get("signature")?,
        event_index: row.try_get("event_index")?,
        slot: u64::try_from(row.try_get::<i64, _>("slot")?).unwrap_or(0),
        block_time: row.try_get("block_time")?,
        name: row.try_get("name")?,
        obligation: row.try_get("obligation")?,
        reserves,
        data: serde_json::from_str(&data).context("stored event JSON")?,
    })
}

const EVENT_COLUMNS: &str = "id, signature, event_index, slot, block_time, name, obligation, reserve, reserve2, data";

impl Store {
    /// Connects to `database` (see [`database_url`]) and creates the tables when missing.
    pub async fn connect(database: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let url = database_url(database);
        let backend = if url.starts_with("sqlite:") { "sqlite" } else { "postgres" };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == "sqlite" { 4 } else { 8 })
            .connect(&url)
            .await
            .with_context(|| format!("connecting to the {backend} database"))?;
        let store = Store { pool, backend };
        store.migrate().await?;
        Ok(store)
    }

    pub fn backend(&self) -> &'static str {
        self.backend
    }

    async fn migrate(&self) -> Result<()> {
        if self.backend == "sqlite" {
            // Readers (the API) do not block the writer.
            sqlx::query("PRAGMA journal_mode=WAL").fetch_all(&self.pool).await?;
        }
        for statement in SCHEMA {
            sqlx::query(statement).execute(&self.pool).await.with_context(|| format!("migration: {statement}"))?;
        }
        Ok(())
    }

    /// Drops both tables and creates them again, empty (tests sharing one Postgres database).
    pub async fn reset(&self) -> Result<()> {
        for table in ["ballast_events", "ballast_transactions"] {
            sqlx::query(&format!("DROP TABLE IF EXISTS {table}")).execute(&self.pool).await?;
        }
        self.migrate().await
    }

    /// Stores a transaction and its events; `false` (and nothing written) when its signature is
    /// already stored.
    pub async fn record(&self, tx: &TxRecord) -> Result<bool> {
        let mut db = self.pool.begin().await?;
        let seq: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 AS next_seq FROM ballast_transactions")
            .fetch_one(&mut *db)
            .await?
            .try_get("next_seq")?;
        let inserted = sqlx::query(
            "INSERT INTO ballast_transactions (signature, seq, slot, block_time, failed, event_count)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (signature) DO NOTHING",
        )
        .bind(tx.signature.clone())
        .bind(seq)
        .bind(to_i64(tx.slot))
        .bind(tx.block_time)
        .bind(i64::from(tx.failed))
        .bind(tx.events.len() as i64)
        .execute(&mut *db)
        .await?
        .rows_affected();
        if inserted == 0 {
            db.rollback().await?;
            return Ok(false);
        }
        for (index, event) in tx.events.iter().enumerate() {
            let index = index as i64;
            sqlx::query(
                "INSERT INTO ballast_events
                   (signature, event_index, id, slot, block_time, name, obligation, reserve, reserve2, data)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (signature, event_index) DO NOTHING",
            )
            .bind(tx.signature.clone())
            .bind(index)
            .bind(seq * EVENTS_PER_TX + index)
            .bind(to_i64(tx.slot))
            .bind(tx.block_time)
            .bind(event.name.to_string())
            .bind(event.obligation.map(|k| k.to_string()))
            .bind(event.reserves.first().map(|k| k.to_string()))
            .bind(event.reserves.get(1).map(|k| k.to_string()))
            .bind(event.data.to_string())
            .execute(&mut *db)
            .await?;
        }
        db.commit().await?;
        Ok(true)
    }

    pub async fn has_transaction(&self, signature: &str) -> Result<bool> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM ballast_transactions WHERE signature = $1")
            .bind(signature.to_string())
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// The newest processed transaction's signature: backfill pages back to it.
    pub async fn resume_point(&self) -> Result<Option<String>> {
        let row = sqlx::query("SELECT signature FROM ballast_transactions ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("signature")).transpose()?)
    }

    /// Events matching `filter`, newest first, at most `limit`, older than the cursor `before`.
    pub async fn events(&self, filter: &EventFilter, limit: i64, before: Option<i64>) -> Result<Vec<StoredEvent>> {
        let mut conditions = vec!["id < $1".to_string()];
        let mut texts = Vec::new();
        if let Some(obligation) = &filter.obligation {
            texts.push(obligation.clone());
            conditions.push(format!("obligation = ${}", texts.len() + 1));
        }
        if let Some(reserve) = &filter.reserve {
            texts.push(reserve.clone());
            let n = texts.len() + 1;
            conditions.push(format!("(reserve = ${n} OR reserve2 = ${n})"));
        }
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM ballast_events WHERE {} ORDER BY id DESC LIMIT ${}",
            conditions.join(" AND "),
            texts.len() + 2
        );
        let mut query = sqlx::query(&sql).bind(before.unwrap_or(i64::MAX));
        for text in texts {
            query = query.bind(text);
        }
        let rows = query.bind(limit.max(0)).fetch_all(&self.pool).await?;
        rows.iter().map(event_from_row).collect()
    }

    /// Every event of `obligation`, oldest first.
    pub async fn obligation_history(&self, obligation: &str) -> Result<Vec<StoredEvent>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM ballast_events WHERE obligation = $1 ORDER BY id ASC");
        let rows = sqlx::query(&sql).bind(obligation.to_string()).fetch_all(&self.pool).await?;
        rows.iter().map(event_from_row).collect()
    }

    /// The events of one transaction, in order.
    pub async fn events_of(&self, signature: &str) -> Result<Vec<StoredEvent>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM ballast_events WHERE signature = $1 ORDER BY id ASC");
        let rows = sqlx::query(&sql).bind(signature.to_string()).fetch_all(&self.pool).await?;
        rows.iter().map(event_from_row).collect()
    }

    pub async fn status(&self) -> Result<Status> {
        let last = sqlx::query("SELECT signature, slot FROM ballast_transactions ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        let count = |table: &str| format!("SELECT COUNT(*) AS n FROM {table}");
        let transactions: i64 =
            sqlx::query(&count("ballast_transactions")).fetch_one(&self.pool).await?.try_get("n")?;
        let events: i64 = sqlx::query(&count("ballast_events")).fetch_one(&self.pool).await?.try_get("n")?;
        let (last_signature, last_slot) = match last {
            Some(row) => (Some(row.try_get("signature")?), u64::try_from(row.try_get::<i64, _>("slot")?).ok()),
            None => (None, None),
        };
        Ok(Status { backend: self.backend, last_signature, last_slot, transactions, events })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::Pubkey;
    use serde_json::json;

    fn event(name: &'static str, obligation: u8, reserves: &[u8], amount: u64) -> DecodedEvent {
        DecodedEvent {
            name,
            obligation: (obligation > 0).then(|| Pubkey::new_from_array([obligation; 32])),
            reserves: reserves.iter().map(|r| Pubkey::new_from_array([*r; 32])).collect(),
            data: json!({"amount": amount, "wide": u128::MAX.to_string()}),
        }
    }

    fn tx(signature: &str, slot: u64, events: Vec<DecodedEvent>) -> TxRecord {
        TxRecord {
            signature: signature.into(),
            slot,
            block_time: Some(1_700_000_000 + slot as i64),
            failed: false,
            events,
        }
    }

    fn pk(n: u8) -> String {
        Pubkey::new_from_array([n; 32]).to_string()
    }

    #[test]
    fn database_urls() {
        assert_eq!(database_url("ballast-index.db"), "sqlite://ballast-index.db?mode=rwc");
        assert_eq!(database_url("/tmp/a.db"), "sqlite:///tmp/a.db?mode=rwc");
        assert_eq!(database_url("sqlite://x.db"), "sqlite://x.db?mode=rwc");
        assert_eq!(database_url("sqlite://x.db?mode=ro"), "sqlite://x.db?mode=ro");
        assert_eq!(database_url("postgres://u@h:5/db"), "postgres://u@h:5/db");
    }

    /// The store's contract on one backend: `database` must be empty or disposable.
    async fn exercise(database: &str, backend: &str) {
        let store = Store::connect(database).await.unwrap();
        store.reset().await.unwrap();
        assert_eq!(store.backend(), backend);
        assert_eq!(store.resume_point().await.unwrap(), None);

        assert!(store.record(&tx("sigA", 10, vec![event("DepositEvent", 1, &[5], 100)])).await.unwrap());
        let two = vec![event("BorrowEvent", 1, &[6], 40), event("LiquidateEvent", 2, &[6, 5], 7)];
        assert!(store.record(&tx("sigB", 11, two.clone())).await.unwrap());
        // The same signature again (a live notice after a backfill, a restart): stored once.
        assert!(!store.record(&tx("sigB", 11, two)).await.unwrap());
        assert!(!store.record(&tx("sigA", 10, vec![])).await.unwrap());
        let failed = TxRecord { failed: true, ..tx("sigF", 12, vec![]) };
        assert!(store.record(&failed).await.unwrap());
        assert!(store.record(&tx("sigC", 13, vec![event("FlashBorrowEvent", 0, &[5], 3)])).await.unwrap());

        let status = store.status().await.unwrap();
        assert_eq!((status.transactions, status.events), (4, 4));
        assert_eq!((status.last_signature.as_deref(), status.last_slot), (Some("sigC"), Some(13)));
        assert_eq!(store.resume_point().await.unwrap().as_deref(), Some("sigC"));
        assert!(store.has_transaction("sigF").await.unwrap() && !store.has_transaction("sigZ").await.unwrap());

        // Newest first, paged by cursor.
        let all = store.events(&EventFilter::default(), 100, None).await.unwrap();
        let order: Vec<(&str, i64)> = all.iter().map(|e| (e.signature.as_str(), e.event_index)).collect();
        assert_eq!(order, [("sigC", 0), ("sigB", 1), ("sigB", 0), ("sigA", 0)]);
        assert_eq!(all[3].data, json!({"amount": 100, "wide": u128::MAX.to_string()}));
        assert_eq!((all[3].slot, all[3].block_time), (10, Some(1_700_000_010)));
        let page1 = store.events(&EventFilter::default(), 2, None).await.unwrap();
        let page2 = store.events(&EventFilter::default(), 2, Some(page1[1].id)).await.unwrap();
        let page3 = store.events(&EventFilter::default(), 2, Some(page2[1].id)).await.unwrap();
        assert_eq!([page1, page2].concat(), all);
        assert!(page3.is_empty());

        // By obligation and by reserve (either of a liquidation's two).
        let one = EventFilter { obligation: Some(pk(1)), ..EventFilter::default() };
        let names: Vec<String> = store.events(&one, 10, None).await.unwrap().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["BorrowEvent", "DepositEvent"]);
        let five = EventFilter { reserve: Some(pk(5)), ..EventFilter::default() };
        let names: Vec<String> = store.events(&five, 10, None).await.unwrap().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["FlashBorrowEvent", "LiquidateEvent", "DepositEvent"]);
        let both = EventFilter { obligation: Some(pk(2)), reserve: Some(pk(5)) };
        assert_eq!(store.events(&both, 10, None).await.unwrap()[0].reserves, vec![pk(6), pk(5)]);
        let history = store.obligation_history(&pk(1)).await.unwrap();
        assert_eq!(history.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["DepositEvent", "BorrowEvent"]);
        assert_eq!(store.events_of("sigB").await.unwrap().len(), 2);

        // A second connection to the same file (a restart) sees everything and resumes there.
        drop(store);
        let again = Store::connect(database).await.unwrap();
        assert_eq!(again.resume_point().await.unwrap().as_deref(), Some("sigC"));
        assert_eq!(again.status().await.unwrap().events, 4);
        again.reset().await.unwrap();
        assert_eq!(again.status().await.unwrap().transactions, 0);
    }

    #[tokio::test]
    async fn sqlite_store_is_idempotent_ordered_paged_and_resumable() {
        let dir = tempfile::tempdir().unwrap();
        exercise(dir.path().join("index.db").to_str().unwrap(), "sqlite").await;
    }

    /// The same on Postgres when `BALLAST_TEST_POSTGRES_URL` names a disposable database
    /// (`scripts/test-indexer` provides one).
    #[tokio::test]
    #[ignore = "needs Postgres (BALLAST_TEST_POSTGRES_URL); bash scripts/test-indexer runs it"]
    async fn postgres_store_is_idempotent_ordered_paged_and_resumable() {
        let url =
            std::env::var("BALLAST_TEST_POSTGRES_URL").expect("BALLAST_TEST_POSTGRES_URL names a Postgres database");
        exercise(&url, "postgres").await;
    }
}
