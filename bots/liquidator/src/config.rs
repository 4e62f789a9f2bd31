//! Configuration: a TOML file (see `liquidator.example.toml`), overridden by CLI flags.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anchor_lang::prelude::Pubkey;
use serde::{Deserialize, Deserializer};

/// Everything the bot needs. Field docs are the TOML keys.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// JSON-RPC endpoint.
    pub rpc_url: String,
    /// `processed`, `confirmed` or `finalized`.
    pub commitment: String,
    /// Solana CLI keypair file (JSON array of 64 bytes) of the liquidator wallet.
    pub keypair_path: PathBuf,
    /// The market to watch.
    #[serde(deserialize_with = "pubkey")]
    pub market: Pubkey,
    /// Least profit (USD, at oracle spot prices) worth a transaction.
    pub min_profit_usd: f64,
    /// Priority fee, micro-lamports per compute unit (`SetComputeUnitPrice`).
    pub priority_fee_micro_lamports: u64,
    /// `SetComputeUnitLimit` for each liquidation transaction.
    pub compute_unit_limit: u32,
    /// Seconds between scans.
    pub scan_interval_secs: f64,
    /// Evaluate and log, send nothing.
    pub dry_run: bool,
    /// Where `/metrics` is served (Prometheus text format); empty disables it.
    pub metrics_listen: String,
    /// `text` or `json` logs.
    pub log_format: String,
    /// `min_collateral_out` = planned collateral x (1 - slippage).
    pub slippage_bps: u16,
    /// A partial liquidation asks for this much less than the largest accepted repay, so that
    /// interest accrued between the scan and execution cannot push it over the target health
    /// factor. Full repays (close factor 100%) are not reduced.
    pub repay_margin_bps: u16,
    /// Attempts per RPC request / transaction on transport errors, with exponential backoff.
    pub max_attempts: u32,
    /// First backoff delay, doubled on each retry.
    pub retry_base_delay_ms: u64,
    /// How long to wait for a sent transaction to confirm.
    pub confirm_timeout_secs: u64,
    /// The liquidator's token account per mint (`mint = account`). Mints not listed use the
    /// wallet's associated token account under the reserve's token program. The bot never
    /// creates token accounts: the operator funds the repay mints and creates the accounts.
    #[serde(deserialize_with = "pubkey_map")]
    pub token_accounts: BTreeMap<Pubkey, Pubkey>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            rpc_url: "http://127.0.0.1:8899".into(),
            commitment: "confirmed".into(),
            keypair_path: PathBuf::from("~/.config/solana/id.json"),
            market: Pubkey::default(),
            min_profit_usd: 1.0,
            priority_fee_micro_lamports: 10_000,
            compute_unit_limit: 400_000,
            scan_interval_secs: 5.0,
            dry_run: false,
            metrics_listen: "127.0.0.1:9464".into(),
            log_format: "text".into(),
            slippage_bps: 50,
            repay_margin_bps: 5,
            max_attempts: 5,
            retry_base_delay_ms: 200,
            confirm_timeout_secs: 60,
            token_accounts: BTreeMap::new(),
        }
    }
}

fn pubkey<'de, D: Deserializer<'de>>(d: D) -> Result<Pubkey, D::Error> {
    let s = String::deserialize(d)?;
    Pubkey::from_str(&s).map_err(|e| serde::de::Error::custom(format!("bad pubkey {s:?}: {e}")))
}

fn pubkey_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<Pubkey, Pubkey>, D::Error> {
    let raw = BTreeMap::<String, String>::deserialize(d)?;
    raw.into_iter()
        .map(|(k, v)| {
            let parse =
                |s: &str| Pubkey::from_str(s).map_err(|e| serde::de::Error::custom(format!("bad pubkey {s:?}: {e}")));
            Ok((parse(&k)?, parse(&v)?))
        })
        .collect()
}

impl Config {
    pub fn from_toml(text: &str) -> anyhow::Result<Config> {
        Ok(toml::from_str(text)?)
    }

    pub fn load(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
        Config::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(self.market != Pubkey::default(), "market is not set");
        anyhow::ensure!(self.min_profit_usd.is_finite() && self.min_profit_usd >= 0.0, "min_profit_usd must be >= 0");
        anyhow::ensure!(self.scan_interval_secs > 0.0, "scan_interval_secs must be > 0");
        anyhow::ensure!(self.slippage_bps < 10_000 && self.repay_margin_bps < 10_000, "bps values must be < 10,000");
        anyhow::ensure!(self.max_attempts >= 1, "max_attempts must be >= 1");
        anyhow::ensure!(matches!(self.log_format.as_str(), "text" | "json"), "log_format is text or json");
        anyhow::ensure!(matches!(self.commitment.as_str(), "processed" | "confirmed" | "finalized"), "bad commitment");
        Ok(())
    }

    /// `keypair_path` with a leading `~/` expanded.
    pub fn keypair_path_expanded(&self) -> PathBuf {
        match (self.keypair_path.strip_prefix("~"), std::env::var_os("HOME")) {
            (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
            _ => self.keypair_path.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_parses_and_validates() {
        let text = include_str!("../liquidator.example.toml");
        let config = Config::from_toml(text).expect("example parses");
        config.validate().expect("example validates");
        assert_eq!(config.token_accounts.len(), 1);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(Config::from_toml("markte = \"x\"").is_err());
    }
}
