//! The fuzzer's authority operations: a reserve's liquidation threshold tightened (it ramps in
//! over the market's risk ramp) or loosened back, the market paused (or its pause ended), a
//! reserve's status changed. Each must land or be refused with nothing changed; every check
//! after the step (liveness included) runs with them in force.

use ballast_client::instructions as ix;
use ballast_rng::Rng;
use solana_signer::Signer;

use super::World;

impl World {
    pub(super) async fn authority(&mut self, asset: usize, rng: &mut Rng, context: &str) {
        let authority = self.f.authority.insecure_clone();
        let keys = self.f.keys(asset);
        let mut params = None;
        let (i, landed): (_, fn(&mut super::Stats)) = match rng.below(3) {
            0 => {
                let lt = if rng.chance(50) { 7_600 } else { 8_000 };
                let p = ballast::ReserveConfigParams {
                    liquidation_threshold_bps: lt,
                    ..self.f.assets[asset].params.clone()
                };
                params = Some(p.clone());
                (ix::update_reserve_config(authority.pubkey(), &keys, p), |s| s.config_changes += 1)
            }
            1 => {
                let secs = if rng.chance(50) { 0 } else { 1 + rng.below(3_600) };
                (ix::pause_market(authority.pubkey(), self.f.market, secs), |s| s.pauses += 1)
            }
            _ => {
                let status = [0u8, 0, 1, 2][rng.below(4) as usize];
                (ix::set_reserve_status(authority.pubkey(), &keys, status), |s| s.status_changes += 1)
            }
        };
        let w = self.watched();
        let mut w = w;
        w.push(self.f.market);
        let before = self.f.env.snapshot(&w).await;
        match self.f.env.send(std::slice::from_ref(&i), &[&authority]).await {
            Ok(_) => {
                self.stats.succeeded += 1;
                landed(&mut self.stats);
                if let Some(p) = params {
                    self.f.assets[asset].params = p;
                }
            }
            Err(_) => {
                self.stats.rejected += 1;
                let after = self.f.env.snapshot(&w).await;
                assert_eq!(before, after, "{context}: invariant 8 (a refused authority action changed state)");
            }
        }
    }

    /// Ends any pause and makes every reserve active again, as an authority winding a market
    /// down would, so that invariant 7 is judged on the users' own powers.
    pub(super) async fn release_guards(&mut self) {
        let authority = self.f.authority.insecure_clone();
        let mut instructions = vec![ix::pause_market(authority.pubkey(), self.f.market, 0)];
        for asset in 0..self.f.assets.len() {
            instructions.push(ix::set_reserve_status(authority.pubkey(), &self.f.keys(asset), 0));
        }
        self.f.env.send_ok(&instructions, &[&authority]).await;
    }
}
