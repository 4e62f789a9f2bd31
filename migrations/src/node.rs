//! What the bootstrap needs from a node beyond `ballast_client::chain::Chain`: lamports for an
//! account, writing an account (a local node's cheat method; Pyth prices, where no Pyth program
//! posts them), and rent. Implemented here for the JSON-RPC transport (`RpcChain`); the
//! integration suite implements it over solana-program-test, so the same bootstrap code runs on
//! both.

use anchor_lang::prelude::Pubkey;
use ballast_client::chain::{Chain, TransportError};
use ballast_client::rpc::RpcChain;
use solana_account::Account;
use solana_rpc_client_api::request::RpcRequest;

#[allow(async_fn_in_trait)]
pub trait LocalNode: Chain {
    /// Credits `lamports` to `to` (JSON-RPC `requestAirdrop`, confirmed).
    async fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), TransportError>;
    /// Writes an account outright (local nodes only).
    async fn set_account(&mut self, key: &Pubkey, account: Account) -> Result<(), TransportError>;
    /// `getMinimumBalanceForRentExemption`.
    async fn minimum_balance(&mut self, len: usize) -> Result<u64, TransportError>;
}

fn transport(error: impl std::fmt::Display) -> TransportError {
    TransportError::Io(error.to_string())
}

/// The JSON-RPC parameters of the local validator's `surfnet_setAccount` (surfpool):
/// `[pubkeyBase58, {"lamports", "data" (hex), "owner" (base58), "executable"}]`.
pub fn set_account_params(key: &Pubkey, account: &Account) -> serde_json::Value {
    let data_hex: String = account.data.iter().map(|b| format!("{b:02x}")).collect();
    serde_json::json!([
        key.to_string(),
        {
            "lamports": account.lamports,
            "data": data_hex,
            "owner": account.owner.to_string(),
            "executable": account.executable,
        }
    ])
}

/// The one place the local validator's cheat method is called: `surfnet_setAccount`.
pub async fn rpc_set_account(chain: &RpcChain, key: &Pubkey, account: &Account) -> Result<(), TransportError> {
    let request = RpcRequest::Custom { method: "surfnet_setAccount" };
    chain.client().send::<serde_json::Value>(request, set_account_params(key, account)).await.map_err(transport)?;
    Ok(())
}

impl LocalNode for RpcChain {
    /// `requestAirdrop`, then waits until the signature is confirmed or the balance has grown by
    /// `lamports` (a local node may credit at once without recording a signature status).
    async fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), TransportError> {
        let before = self.client().get_balance(to).await.map_err(transport)?;
        let signature = self.client().request_airdrop(to, lamports).await.map_err(transport)?;
        let started = std::time::Instant::now();
        while started.elapsed() < std::time::Duration::from_secs(60) {
            let statuses = self.client().get_signature_statuses(&[signature]).await.map_err(transport)?.value;
            if let Some(Some(status)) = statuses.first() {
                if let Some(error) = &status.err {
                    return Err(TransportError::Io(format!("airdrop {signature} failed: {error:?}")));
                }
                if status.satisfies_commitment(self.commitment()) {
                    return Ok(());
                }
            }
            if self.client().get_balance(to).await.map_err(transport)? >= before.saturating_add(lamports) {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
        Err(TransportError::Unconfirmed(signature))
    }

    async fn set_account(&mut self, key: &Pubkey, account: Account) -> Result<(), TransportError> {
        rpc_set_account(self, key, &account).await
    }

    async fn minimum_balance(&mut self, len: usize) -> Result<u64, TransportError> {
        self.client().get_minimum_balance_for_rent_exemption(len).await.map_err(transport)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_account_params_are_the_nodes_format() {
        let key = Pubkey::new_from_array([1; 32]);
        let owner = Pubkey::new_from_array([2; 32]);
        let account = Account { lamports: 5, data: vec![1, 2, 3], owner, executable: false, rent_epoch: 0 };
        let params = set_account_params(&key, &account);
        assert_eq!(params[0], key.to_string());
        assert_eq!(params[1]["lamports"], 5);
        assert_eq!(params[1]["data"], "010203");
        assert_eq!(params[1]["owner"], owner.to_string());
        assert_eq!(params[1]["executable"], false);
    }
}
