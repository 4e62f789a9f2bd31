//! The deployment file: what `bootstrap` created, for the web dApp (`app/`), `set-price`,
//! `fund` and `ballast-sim snapshot --deployment`. Keys are camelCase and exactly these:
//!
//! ```json
//! {"cluster":"localnet","rpcUrl":"http://127.0.0.1:8899","programId":"...","market":"...",
//!  "authority":"...","quoteCurrency":"USD","reserves":[{"symbol":"SOL","mint":"...","decimals":9,
//!  "reserve":"...","vault":"...","oracle":"...","oracleKind":"pull","tokenProgram":"..."}]}
//! ```

use std::path::Path;
use std::str::FromStr;

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Context, Result};
use ballast_client::instructions::ReserveKeys;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Deployment {
    pub cluster: String,
    pub rpc_url: String,
    pub program_id: String,
    pub market: String,
    pub authority: String,
    pub quote_currency: String,
    pub reserves: Vec<DeployedReserve>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeployedReserve {
    pub symbol: String,
    pub mint: String,
    pub decimals: u8,
    pub reserve: String,
    pub vault: String,
    pub oracle: String,
    /// "pull" (PriceUpdateV2) or "legacy".
    pub oracle_kind: String,
    pub token_program: String,
}

fn key(field: &str, value: &str) -> Result<Pubkey> {
    Pubkey::from_str(value).map_err(|e| anyhow!("{field} {value:?}: {e}"))
}

impl Deployment {
    pub fn load(path: &Path) -> Result<Deployment> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    /// Writes the file (pretty JSON), creating its directory.
    pub fn save(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let text = serde_json::to_string_pretty(self)? + "\n";
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
    }

    pub fn market_key(&self) -> Result<Pubkey> {
        key("market", &self.market)
    }

    /// The reserve named `symbol` (case-insensitive).
    pub fn reserve(&self, symbol: &str) -> Result<&DeployedReserve> {
        self.reserves.iter().find(|r| r.symbol.eq_ignore_ascii_case(symbol)).ok_or_else(|| {
            let known: Vec<&str> = self.reserves.iter().map(|r| r.symbol.as_str()).collect();
            anyhow!("no reserve {symbol:?} in the deployment (it has {})", known.join(", "))
        })
    }
}

impl DeployedReserve {
    pub fn keys(&self, market: &Pubkey) -> Result<ReserveKeys> {
        Ok(ReserveKeys {
            market: *market,
            reserve: key("reserve", &self.reserve)?,
            mint: key("mint", &self.mint)?,
            vault: key("vault", &self.vault)?,
            oracle: key("oracle", &self.oracle)?,
            token_program: key("tokenProgram", &self.token_program)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_exactly_the_apps() {
        let d = Deployment {
            cluster: "localnet".into(),
            rpc_url: "http://127.0.0.1:8899".into(),
            program_id: "p".into(),
            market: "m".into(),
            authority: "a".into(),
            quote_currency: "USD".into(),
            reserves: vec![DeployedReserve {
                symbol: "SOL".into(),
                mint: "mi".into(),
                decimals: 9,
                reserve: "r".into(),
                vault: "v".into(),
                oracle: "o".into(),
                oracle_kind: "pull".into(),
                token_program: "t".into(),
            }],
        };
        let json = serde_json::to_value(&d).unwrap();
        let mut top: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        top.sort();
        assert_eq!(top, ["authority", "cluster", "market", "programId", "quoteCurrency", "reserves", "rpcUrl"]);
        let mut reserve: Vec<&str> = json["reserves"][0].as_object().unwrap().keys().map(String::as_str).collect();
        reserve.sort();
        assert_eq!(reserve, ["decimals", "mint", "oracle", "oracleKind", "reserve", "symbol", "tokenProgram", "vault"]);
        assert_eq!(serde_json::from_value::<Deployment>(json).unwrap(), d);
    }
}
