//! What a fuzzing run did: the operation mix and the checks made, per seed and summed.

macro_rules! stats {
    ($($(#[$doc:meta])* $field:ident,)*) => {
        #[derive(Default, Debug, Clone, Copy)]
        pub(super) struct Stats {
            $($(#[$doc])* pub(super) $field: u64,)*
        }

        impl Stats {
            pub(super) fn add(&mut self, other: &Stats) {
                $(self.$field += other.$field;)*
            }

            /// One line, `name value` pairs in declaration order.
            pub(super) fn line(&self) -> String {
                let mut out = String::new();
                $(out.push_str(&format!("{} {}, ", stringify!($field), self.$field));)*
                out.trim_end_matches(", ").to_string()
            }
        }
    };
}

stats! {
    operations,
    succeeded,
    rejected,
    liquidations,
    /// Liquidations paid in supply shares (`receive_shares`) and of looped positions.
    share_payouts,
    looped_liquidations,
    /// Deficits written off inside a liquidation.
    liquidation_write_offs,
    socializations,
    /// `mark_liquidatable` calls that landed.
    auction_marks,
    /// `set_collateral` calls and flash loans that landed.
    collateral_toggles,
    flash_loans,
    /// The world: price moves (crashes to 40% and recoveries among them), time jumps, donations.
    price_moves,
    crashes,
    recoveries,
    time_jumps,
    donations,
    /// The authority: config changes (a threshold tightened over the ramp or loosened), market
    /// pauses (and their ends), reserve status changes; landed ones.
    config_changes,
    pauses,
    status_changes,
    /// Liquidatable obligations for which a permissionless instruction was shown to exist.
    liveness_checks,
    invariant_checks,
    differential_checks,
}
