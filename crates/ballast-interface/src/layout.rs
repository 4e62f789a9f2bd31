//! The account layouts and instruction parameters, each declared once.
//!
//! The program needs them as Anchor types (`#[account(zero_copy)]`, `#[zero_copy]`, borsh
//! `#[account]`) so that its IDL describes them; everything else needs them without Anchor. So
//! the declarations are macros: the caller passes the attributes and has a `Pubkey` type in
//! scope (Anchor's in the program; `[u8; 32]` in [`crate::raw`]). Wads are `[u8; 16]` written
//! out, array lengths are literals checked against the engine's constants: the IDL generator
//! reads them as written. The impls, which are the same for every instantiation, come with them.

mod market;
mod params;

/// Declares `Position`, `Obligation`, `OracleConfig`, `RiskControlsStore`, `RiskConfigStore`,
/// `CurvePointStore`, `InterestCurveStore`, `ReserveLiquidity` and `Reserve`, with their impls.
/// `account` is applied to the two accounts, `nested` to the types inside them.
#[macro_export]
macro_rules! declare_zero_copy_layouts {
    (account: [$(#[$account:meta])*], nested: [$(#[$nested:meta])*]) => {
        const _: () = assert!($crate::engine::MAX_POSITIONS == 16 && $crate::math::MAX_CURVE_POINTS == 11);

        /// One reserve's collateral and debt inside an obligation.
        $(#[$nested])*
        #[derive(Debug, Default, PartialEq, Eq)]
        pub struct Position {
            pub reserve: Pubkey,
            /// Supply shares of the reserve held as collateral.
            pub supply_shares: u64,
            /// Debt shares (a Wad); debt in base units is `debt_shares * borrow_index`.
            pub debt_shares: [u8; 16],
        }

        impl Position {
            pub fn debt_shares(&self) -> $crate::math::Wad {
                $crate::wad_from_bytes(&self.debt_shares)
            }

            pub fn set_debt_shares(&mut self, shares: $crate::math::Wad) {
                self.debt_shares = $crate::wad_to_bytes(shares);
            }
        }

        impl $crate::engine::PositionSlot for Position {
            type Key = Pubkey;

            fn open(reserve: Pubkey) -> Self {
                Position { reserve, ..Default::default() }
            }
            fn vacant() -> Self {
                Position::default()
            }
            fn reserve(&self) -> &Pubkey {
                &self.reserve
            }
            fn supply_shares(&self) -> u64 {
                self.supply_shares
            }
            fn set_supply_shares(&mut self, shares: u64) {
                self.supply_shares = shares;
            }
            fn debt_shares(&self) -> $crate::math::Wad {
                Position::debt_shares(self)
            }
            fn set_debt_shares(&mut self, shares: $crate::math::Wad) {
                Position::set_debt_shares(self, shares)
            }
        }

        /// A user's positions in one market. Fixed size and zero-copy; `market` is at byte offset 8 and
        /// `owner` at 40, so bots can find every obligation of a market with one memcmp filter.
        /// Positions occupy slots `0..position_count` by the engine's slot rules ([`Positions`]); health
        /// accounts are passed in that order.
        $(#[$account])*
        #[derive(Debug)]
        pub struct Obligation {
            pub market: Pubkey,
            pub owner: Pubkey,
            pub positions: [Position; 16],
            pub position_count: u8,
            pub bump: u8,
            /// `ballast_engine::MarginMode` as a byte: 0 classic weights, 1 scenario margin.
            pub margin_mode: u8,
            /// Little-endian u16, bit `i`: the deposit in slot `i` is not collateral (it earns
            /// interest, counts for no health, cannot be seized).
            pub non_collateral_mask: [u8; 2],
            /// The owner's number for this obligation in the market (0: `init_obligation`'s; 1 to
            /// 255: `init_sub_obligation`'s, whose PDA seeds end with it).
            pub obligation_id: u8,
            pub padding: [u8; 2],
            /// When the obligation was first seen liquidatable: the Dutch auction's start (0: not
            /// since it was last shown healthy).
            pub liquidatable_since_ts: i64,
            pub reserved: [u8; 120],
        }

        impl Obligation {
            /// Account size: Anchor's 8-byte discriminator, then the layout.
            pub const SPACE: usize = 8 + core::mem::size_of::<Obligation>();
            /// Byte offset of `market` in the account data (after the 8-byte discriminator).
            pub const MARKET_OFFSET: usize = 8;
            pub const OWNER_OFFSET: usize = 40;
        }

        impl $crate::engine::Positions for Obligation {
            type Slot = Position;

            fn slots(&self) -> &[Position] {
                &self.positions
            }
            fn slots_mut(&mut self) -> &mut [Position] {
                &mut self.positions
            }
            fn position_count(&self) -> usize {
                self.position_count as usize
            }
            fn set_position_count(&mut self, count: usize) {
                self.position_count = count as u8;
            }
            fn margin_mode(&self) -> $crate::engine::MarginMode {
                $crate::engine::MarginMode::from_u8(self.margin_mode).unwrap_or_default()
            }
            fn set_margin_mode(&mut self, mode: $crate::engine::MarginMode) -> $crate::engine::EngineResult<()> {
                self.margin_mode = mode as u8;
                Ok(())
            }
            fn liquidatable_since_ts(&self) -> i64 {
                self.liquidatable_since_ts
            }
            fn set_liquidatable_since_ts(&mut self, unix: i64) {
                self.liquidatable_since_ts = unix;
            }
            fn non_collateral_mask(&self) -> u16 {
                u16::from_le_bytes(self.non_collateral_mask)
            }
            fn set_non_collateral_mask(&mut self, mask: u16) -> $crate::engine::EngineResult<()> {
                self.non_collateral_mask = mask.to_le_bytes();
                Ok(())
            }
        }

        /// The oracle a reserve is pinned to.
        $(#[$nested])*
        #[derive(Debug, Default)]
        pub struct OracleConfig {
            /// The one price account this reserve reads.
            pub oracle_account: Pubkey,
            /// Pyth feed id the account must carry (pull format); the price account key (legacy).
            pub feed_id: [u8; 32],
            pub max_age_secs: u64,
            /// Rejected above this confidence, in bps of the price.
            pub max_confidence_bps: u16,
            /// `OracleKind` as a byte.
            pub kind: u8,
            pub padding: [u8; 5],
        }

        impl OracleConfig {
            pub fn limits(&self) -> $crate::math::PriceLimits {
                $crate::math::PriceLimits { max_age_secs: self.max_age_secs, max_confidence_bps: self.max_confidence_bps }
            }
        }

        /// Stored form of `ballast_math::RiskControls`.
        $(#[$nested])*
        #[derive(Debug, Default)]
        pub struct RiskControlsStore {
            pub collateral_value_cap_usd: u64,
            pub utilization_ceiling_bps: u16,
            pub haircut_start_bps: u16,
            pub haircut_end_bps: u16,
            pub max_haircut_bps: u16,
            pub max_ema_deviation_bps: u16,
            pub padding: [u8; 6],
        }

        impl From<&RiskControlsStore> for $crate::math::RiskControls {
            fn from(s: &RiskControlsStore) -> $crate::math::RiskControls {
                $crate::math::RiskControls {
                    collateral_value_cap_usd: s.collateral_value_cap_usd,
                    utilization_ceiling_bps: s.utilization_ceiling_bps,
                    haircut_start_bps: s.haircut_start_bps,
                    haircut_end_bps: s.haircut_end_bps,
                    max_haircut_bps: s.max_haircut_bps,
                    max_ema_deviation_bps: s.max_ema_deviation_bps,
                }
            }
        }

        impl From<&$crate::math::RiskControls> for RiskControlsStore {
            fn from(c: &$crate::math::RiskControls) -> RiskControlsStore {
                RiskControlsStore {
                    collateral_value_cap_usd: c.collateral_value_cap_usd,
                    utilization_ceiling_bps: c.utilization_ceiling_bps,
                    haircut_start_bps: c.haircut_start_bps,
                    haircut_end_bps: c.haircut_end_bps,
                    max_haircut_bps: c.max_haircut_bps,
                    max_ema_deviation_bps: c.max_ema_deviation_bps,
                    padding: [0; 6],
                }
            }
        }

        /// Stored form of `ballast_math::RiskConfig`.
        $(#[$nested])*
        #[derive(Debug, Default)]
        pub struct RiskConfigStore {
            pub supply_cap: u64,
            pub borrow_cap: u64,
            pub ltv_bps: u16,
            pub liquidation_threshold_bps: u16,
            pub borrow_factor_bps: u16,
            pub min_liquidation_bonus_bps: u16,
            pub max_liquidation_bonus_bps: u16,
            pub protocol_liquidation_fee_bps: u16,
            pub protocol_take_rate_bps: u16,
            pub insurance_take_rate_bps: u16,
        }

        impl From<&RiskConfigStore> for $crate::math::RiskConfig {
            fn from(s: &RiskConfigStore) -> $crate::math::RiskConfig {
                $crate::math::RiskConfig {
                    ltv_bps: s.ltv_bps,
                    liquidation_threshold_bps: s.liquidation_threshold_bps,
                    borrow_factor_bps: s.borrow_factor_bps,
                    min_liquidation_bonus_bps: s.min_liquidation_bonus_bps,
                    max_liquidation_bonus_bps: s.max_liquidation_bonus_bps,
                    protocol_liquidation_fee_bps: s.protocol_liquidation_fee_bps,
                    protocol_take_rate_bps: s.protocol_take_rate_bps,
                    insurance_take_rate_bps: s.insurance_take_rate_bps,
                    supply_cap: s.supply_cap,
                    borrow_cap: s.borrow_cap,
                }
            }
        }

        impl From<&$crate::math::RiskConfig> for RiskConfigStore {
            fn from(c: &$crate::math::RiskConfig) -> RiskConfigStore {
                RiskConfigStore {
                    supply_cap: c.supply_cap,
                    borrow_cap: c.borrow_cap,
                    ltv_bps: c.ltv_bps,
                    liquidation_threshold_bps: c.liquidation_threshold_bps,
                    borrow_factor_bps: c.borrow_factor_bps,
                    min_liquidation_bonus_bps: c.min_liquidation_bonus_bps,
                    max_liquidation_bonus_bps: c.max_liquidation_bonus_bps,
                    protocol_liquidation_fee_bps: c.protocol_liquidation_fee_bps,
                    protocol_take_rate_bps: c.protocol_take_rate_bps,
                    insurance_take_rate_bps: c.insurance_take_rate_bps,
                }
            }
        }

        $(#[$nested])*
        #[derive(Debug, Default)]
        pub struct CurvePointStore {
            pub borrow_rate_bps: u32,
            pub utilization_bps: u16,
            pub padding: [u8; 2],
        }

        /// Stored form of `ballast_math::InterestCurve`.
        $(#[$nested])*
        #[derive(Debug, Default)]
        pub struct InterestCurveStore {
            pub points: [CurvePointStore; 11],
            pub point_count: u8,
            pub padding: [u8; 7],
        }

        impl From<&InterestCurveStore> for $crate::math::InterestCurve {
            fn from(s: &InterestCurveStore) -> $crate::math::InterestCurve {
                let mut curve = $crate::math::InterestCurve { point_count: s.point_count, ..Default::default() };
                for (point, stored) in curve.points.iter_mut().zip(s.points.iter()) {
                    *point = $crate::math::CurvePoint {
                        utilization_bps: stored.utilization_bps,
                        borrow_rate_bps: stored.borrow_rate_bps,
                    };
                }
                curve
            }
        }

        impl From<&$crate::math::InterestCurve> for InterestCurveStore {
            fn from(c: &$crate::math::InterestCurve) -> InterestCurveStore {
                let mut stored = InterestCurveStore { point_count: c.point_count, ..Default::default() };
                for (slot, point) in stored.points.iter_mut().zip(c.points.iter()) {
                    *slot = CurvePointStore {
                        borrow_rate_bps: point.borrow_rate_bps,
                        utilization_bps: point.utilization_bps,
                        padding: [0; 2],
                    };
                }
                stored
            }
        }

        /// Stored form of `ballast_math::ReserveAccounting`.
        $(#[$nested])*
        #[derive(Debug, Default)]
        pub struct ReserveLiquidity {
            pub available_liquidity: u64,
            pub total_supply_shares: u64,
            pub last_update_ts: i64,
            pub total_debt_shares: [u8; 16],
            pub borrow_index: [u8; 16],
            pub protocol_fees: [u8; 16],
            pub insurance_fees: [u8; 16],
        }

        /// One asset of a market: its vault, oracle, risk parameters, interest curve and accounting.
        /// Zero-copy with a fixed layout; `market` sits at byte offset 8 for memcmp filters.
        $(#[$account])*
        #[derive(Debug)]
        pub struct Reserve {
            pub market: Pubkey,
            pub mint: Pubkey,
            /// Token account holding the reserve's liquidity; owned by the vault authority PDA.
            pub vault: Pubkey,
            /// SPL Token or Token-2022: whichever owns the mint.
            pub token_program: Pubkey,
            pub oracle: OracleConfig,
            pub risk: RiskConfigStore,
            pub curve: InterestCurveStore,
            pub liquidity: ReserveLiquidity,
            /// Supply shares minted by the creation deposit: counted in the total, owned by nobody.
            pub locked_supply_shares: u64,
            pub mint_decimals: u8,
            pub bump: u8,
            pub vault_bump: u8,
            pub vault_authority_bump: u8,
            /// `ReserveStatus` as a byte.
            pub status: u8,
            pub padding: [u8; 3],
            pub controls: RiskControlsStore,
            /// Debt written off by `socialize_loss` beyond what insurance covered (base units, Wad): the
            /// only way the supply share value may fall (invariant 3).
            pub socialized_loss: [u8; 16],
            /// A tightening of `risk` in progress: what valuation reads moves to it over time.
            pub risk_ramp: RiskRampStore,
            /// The newest oracle publish time an instruction writing this reserve used; older
            /// prices are refused.
            pub last_price_publish_time: i64,
            /// This reserve's price shock in each of the market's stress scenarios (bps), and the
            /// ramp a change moves along (`ballast_math::scenario::ScenarioShocks`).
            pub scenario_shocks_bps: [i16; 8],
            pub scenario_shocks_from_bps: [i16; 8],
            pub scenario_shocks_start_ts: i64,
            pub scenario_shocks_ramp_secs: u64,
            /// Liquidation pacing: whole USD of this collateral liquidations may seize for tokens
            /// within the market's pacing window before its close factor steps down (0: never
            /// paced), and the recent seizures (`ballast_math::window::DecayingTotal`).
            pub liquidation_depth_budget_usd: u64,
            pub seized_window_usd: [u8; 16],
            pub seized_window_ts: i64,
            /// The spot price (USD per whole token, Wad) recorded with `last_price_publish_time`:
            /// what a partial repay values the debt it leaves at (minimum debt).
            pub last_spot_price: [u8; 16],
            /// Outflow limit (`ballast_math::window::OutflowLimit`): net borrows plus withdrawals
            /// within `outflow_window_secs` may not pass `outflow_cap` base units (0: no limit), and
            /// the window's net outflow so far.
            pub outflow_cap: u64,
            pub outflow_window_secs: u64,
            pub outflow_window_amount: [u8; 16],
            pub outflow_window_ts: i64,
            /// Base units of insurance the authority can never withdraw.
            pub insurance_floor: u64,
            /// Flash loans: the fee (bps of the amount), whether the reserve lends them (0: no,
            /// so a reserve created before flash loans existed lends none until configured), and
            /// the amount of the loan open in the current transaction (0: none).
            pub flash_loan_fee_bps: u16,
            pub flash_loans_enabled: u8,
            pub flash_padding: [u8; 5],
            pub flash_loan_amount: u64,
            pub reserved: [u8; 24],
        }

        /// Stored form of `ballast_math::RiskRamp`.
        $(#[$nested])*
        #[derive(Debug, Default)]
        pub struct RiskRampStore {
            pub from_liquidation_threshold_bps: u16,
            pub from_borrow_factor_bps: u16,
            pub padding: [u8; 4],
            pub start_ts: i64,
            pub duration_secs: u64,
        }

        impl From<&RiskRampStore> for $crate::math::RiskRamp {
            fn from(s: &RiskRampStore) -> $crate::math::RiskRamp {
                $crate::math::RiskRamp {
                    from_liquidation_threshold_bps: s.from_liquidation_threshold_bps,
                    from_borrow_factor_bps: s.from_borrow_factor_bps,
                    start_ts: s.start_ts,
                    duration_secs: s.duration_secs,
                }
            }
        }

        impl From<&$crate::math::RiskRamp> for RiskRampStore {
            fn from(r: &$crate::math::RiskRamp) -> RiskRampStore {
                RiskRampStore {
                    from_liquidation_threshold_bps: r.from_liquidation_threshold_bps,
                    from_borrow_factor_bps: r.from_borrow_factor_bps,
                    padding: [0; 4],
                    start_ts: r.start_ts,
                    duration_secs: r.duration_secs,
                }
            }
        }

        impl Reserve {
            /// Account size: Anchor's 8-byte discriminator, then the layout.
            pub const SPACE: usize = 8 + core::mem::size_of::<Reserve>();

            /// Stores the outflow limit and the treasury settings (the inverse of
            /// `ReserveState::outflow`'s limit and `ReserveState::treasury`).
            pub fn set_limits(
                &mut self,
                outflow: &$crate::math::window::OutflowLimit,
                treasury: &$crate::math::treasury::TreasuryConfig,
            ) {
                self.outflow_cap = outflow.cap;
                self.outflow_window_secs = outflow.window_secs;
                self.insurance_floor = treasury.insurance_floor;
                let enabled = treasury.flash_loans_enabled();
                self.flash_loans_enabled = enabled as u8;
                self.flash_loan_fee_bps = if enabled { treasury.flash_loan_fee_bps } else { 0 };
            }

            /// Stores `shocks` (the inverse of `ReserveState::scenario_shocks`).
            pub fn set_scenario_shocks(&mut self, shocks: &$crate::math::scenario::ScenarioShocks) {
                self.scenario_shocks_bps = shocks.shocks_bps;
                self.scenario_shocks_from_bps = shocks.from_bps;
                self.scenario_shocks_start_ts = shocks.start_ts;
                self.scenario_shocks_ramp_secs = shocks.duration_secs;
            }
        }

        impl $crate::engine::ReserveState for Reserve {
            fn accounting(&self) -> $crate::math::ReserveAccounting {
                let l = &self.liquidity;
                $crate::math::ReserveAccounting {
                    available_liquidity: l.available_liquidity,
                    total_debt_shares: $crate::wad_from_bytes(&l.total_debt_shares),
                    borrow_index: $crate::wad_from_bytes(&l.borrow_index),
                    total_supply_shares: l.total_supply_shares,
                    protocol_fees: $crate::wad_from_bytes(&l.protocol_fees),
                    insurance_fees: $crate::wad_from_bytes(&l.insurance_fees),
                    last_update_ts: l.last_update_ts,
                }
            }

            fn set_accounting(&mut self, a: &$crate::math::ReserveAccounting) {
                self.liquidity = ReserveLiquidity {
                    available_liquidity: a.available_liquidity,
                    total_supply_shares: a.total_supply_shares,
                    last_update_ts: a.last_update_ts,
                    total_debt_shares: $crate::wad_to_bytes(a.total_debt_shares),
                    borrow_index: $crate::wad_to_bytes(a.borrow_index),
                    protocol_fees: $crate::wad_to_bytes(a.protocol_fees),
                    insurance_fees: $crate::wad_to_bytes(a.insurance_fees),
                };
            }

            fn interest_curve(&self) -> $crate::math::InterestCurve {
                $crate::math::InterestCurve::from(&self.curve)
            }

            fn risk_config(&self) -> $crate::math::RiskConfig {
                $crate::math::RiskConfig::from(&self.risk)
            }

            fn risk_ramp(&self) -> $crate::math::RiskRamp {
                $crate::math::RiskRamp::from(&self.risk_ramp)
            }

            fn scenario_shocks(&self) -> $crate::math::scenario::ScenarioShocks {
                $crate::math::scenario::ScenarioShocks {
                    shocks_bps: self.scenario_shocks_bps,
                    from_bps: self.scenario_shocks_from_bps,
                    start_ts: self.scenario_shocks_start_ts,
                    duration_secs: self.scenario_shocks_ramp_secs,
                }
            }

            fn risk_controls(&self) -> $crate::math::RiskControls {
                $crate::math::RiskControls::from(&self.controls)
            }

            fn price_limits(&self) -> $crate::math::PriceLimits {
                self.oracle.limits()
            }

            fn mint_decimals(&self) -> u8 {
                self.mint_decimals
            }

            fn status(&self) -> $crate::engine::ReserveStatus {
                $crate::engine::ReserveStatus::from_u8(self.status).unwrap_or($crate::engine::ReserveStatus::Paused)
            }

            fn socialized_loss(&self) -> $crate::math::Wad {
                $crate::wad_from_bytes(&self.socialized_loss)
            }

            fn set_socialized_loss(&mut self, loss: $crate::math::Wad) {
                self.socialized_loss = $crate::wad_to_bytes(loss);
            }

            fn seizure_pacing(&self) -> $crate::math::liquidation::SeizurePacing {
                $crate::math::liquidation::SeizurePacing {
                    depth_budget_usd: self.liquidation_depth_budget_usd,
                    window: $crate::math::window::DecayingTotal {
                        amount: $crate::wad_from_bytes(&self.seized_window_usd),
                        updated_ts: self.seized_window_ts,
                    },
                }
            }

            fn set_seizure_window(&mut self, window: &$crate::math::window::DecayingTotal) {
                self.seized_window_usd = $crate::wad_to_bytes(window.amount);
                self.seized_window_ts = window.updated_ts;
            }

            fn outflow(&self) -> $crate::engine::reserve::ReserveOutflow {
                $crate::engine::reserve::ReserveOutflow {
                    limit: $crate::math::window::OutflowLimit {
                        cap: self.outflow_cap,
                        window_secs: self.outflow_window_secs,
                    },
                    window: $crate::math::window::DecayingTotal {
                        amount: $crate::wad_from_bytes(&self.outflow_window_amount),
                        updated_ts: self.outflow_window_ts,
                    },
                }
            }

            fn set_outflow_window(&mut self, window: &$crate::math::window::DecayingTotal) {
                self.outflow_window_amount = $crate::wad_to_bytes(window.amount);
                self.outflow_window_ts = window.updated_ts;
            }

            fn treasury(&self) -> $crate::math::treasury::TreasuryConfig {
                $crate::math::treasury::TreasuryConfig {
                    insurance_floor: self.insurance_floor,
                    flash_loan_fee_bps: if self.flash_loans_enabled == 0 {
                        $crate::math::treasury::FLASH_LOANS_DISABLED
                    } else {
                        self.flash_loan_fee_bps
                    },
                }
            }

            fn flash_loan_amount(&self) -> u64 {
                self.flash_loan_amount
            }

            fn set_flash_loan_amount(&mut self, amount: u64) {
                self.flash_loan_amount = amount;
            }

            fn last_spot_price(&self) -> $crate::math::Wad {
                $crate::wad_from_bytes(&self.last_spot_price)
            }

            fn set_last_spot_price(&mut self, price: $crate::math::Wad) {
                self.last_spot_price = $crate::wad_to_bytes(price);
            }

            fn last_price_publish_time(&self) -> i64 {
                self.last_price_publish_time
            }

            fn set_last_price_publish_time(&mut self, publish_time: i64) {
                self.last_price_publish_time = publish_time;
            }
        }
    };
}
