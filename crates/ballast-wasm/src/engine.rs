//! The program's operations on in-memory copies of the accounts: decoded reserves and
//! obligations implement the engine's traits (`ballast-engine`), and every preview is the
//! engine's own operation, so a preview fails exactly where the program would, with the
//! program's error name, and values an obligation exactly as the chain does.

use ballast_engine::operations::{self, LiquidationReserves};
use ballast_engine::{
    AccountRetriever, HealthKind, HealthReading, Loaded, Margin, MarketState, OwnedReserve, PositionSlots, Positions,
    ReserveState,
};
use ballast_math::liquidation::LiquidationPlan;
use ballast_math::{Health, MathError, OraclePrice, ReserveAccounting};

use crate::input::{DecodedReserve, MarketAccountIn, ObligationAccountIn};

pub use ballast_engine::MAX_POSITIONS;

/// The program's errors (`ballast_engine::Error`), plus what a preview can hit outside the
/// program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    Program(ballast_engine::Error),
    /// The signer's token account holds less than the transfer (SPL Token error 1,
    /// `InsufficientFunds`).
    TokenInsufficientFunds,
    /// The input names a reserve the caller did not supply.
    UnknownReserve,
}

impl Error {
    pub fn name(self) -> String {
        match self {
            Error::Program(e) => e.name().to_string(),
            other => format!("{other:?}"),
        }
    }
}

impl From<ballast_engine::Error> for Error {
    fn from(error: ballast_engine::Error) -> Self {
        Error::Program(error)
    }
}

impl From<MathError> for Error {
    fn from(error: MathError) -> Self {
        Error::Program(error.into())
    }
}

/// A reserve with its oracle's price (or the error reading it gave).
#[derive(Clone, Debug)]
pub struct ReserveWithPrice {
    pub state: DecodedReserve,
    pub price: Result<OraclePrice, Error>,
}

impl ReserveWithPrice {
    /// The stored accounting with interest accrued to `now_unix`.
    pub fn accrued(&self, now_unix: i64) -> Result<ReserveAccounting, Error> {
        Ok(self.state.accrued(now_unix)?)
    }
}

/// One position, keyed by the reserve's address.
pub type Position<'k> = ballast_engine::Position<&'k str>;

/// An obligation: its owner, market and position slots.
#[derive(Clone, Debug, Default)]
pub struct Obligation<'k> {
    pub owner: &'k str,
    pub market: &'k str,
    pub positions: PositionSlots<&'k str>,
}

impl<'k> Obligation<'k> {
    pub fn from_account(account: &'k ObligationAccountIn) -> Obligation<'k> {
        Obligation {
            owner: &account.owner,
            market: &account.market,
            positions: PositionSlots::from_positions(account.positions.iter().take(MAX_POSITIONS).map(|p| Position {
                reserve: p.reserve.as_str(),
                supply_shares: p.supply_shares,
                debt_shares: p.debt_shares,
            }))
            .with_margin(account.margin_mode)
            .with_auction_start(account.liquidatable_since_ts),
        }
    }

    pub fn active(&self) -> &[Position<'k>] {
        self.positions.active_positions()
    }
}

/// What the dApp knows: the market's reserves (with prices) and the chain clock.
pub struct ChainView<'a> {
    pub reserves: &'a [ReserveWithPrice],
    pub market: Option<&'a MarketAccountIn>,
    /// The market's address: reserves read for health must belong to it (`MarketMismatch`).
    pub market_key: Option<&'a str>,
    pub now_unix: i64,
}

/// Health reads the book as the program reads its health accounts: each position's reserve by
/// key, checked against the market.
impl<'a, 'k> AccountRetriever<&'k str> for ChainView<'a> {
    type Reserve = OwnedReserve;
    type ReserveRef<'r>
        = &'a OwnedReserve
    where
        Self: 'r;
    type Error = Error;

    fn reserve(&self, _index: usize, reserve: &&'k str) -> Result<(&'a OwnedReserve, OraclePrice), Error> {
        let priced = self.reserve(reserve)?;
        if self.market_key.is_some_and(|market| priced.state.market != market) {
            return Err(ballast_engine::Error::MarketMismatch.into());
        }
        Ok((&priced.state.reserve, priced.price?))
    }
    fn price(&self, _index: usize, key: &&'k str, _reserve: &OwnedReserve) -> Result<OraclePrice, Error> {
        self.reserve(key)?.price
    }
}

/// One of the four user actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    Deposit,
    Withdraw,
    Borrow,
    Repay,
}

/// What a simulated action did.
#[derive(Clone, Debug)]
pub struct ActionPreview<'k> {
    /// Base units transferred.
    pub amount: u64,
    /// The obligation after the action.
    pub obligation: Obligation<'k>,
    /// The acted-on reserve after the action.
    pub reserve: OwnedReserve,
    /// Initial health the program computed (borrow, withdraw with debt).
    pub checked_health: Option<Health>,
}

impl<'a> ChainView<'a> {
    pub fn reserve(&self, key: &str) -> Result<&'a ReserveWithPrice, Error> {
        self.reserves.iter().find(|r| r.state.key == key).ok_or(Error::UnknownReserve)
    }

    /// The market as the operations read it (no market given: never paused).
    pub fn market_state(&self) -> MarketState {
        match self.market {
            Some(market) => market.state(),
            None => MarketState { paused_until: i64::MIN, ..Default::default() },
        }
    }

    /// The margin `obligation` is valued under.
    pub fn margin(&self, obligation: &Obligation) -> Margin {
        Margin::for_obligation(&self.market_state(), &obligation.positions, self.now_unix)
    }

    /// The engine's health of `obligation`, every reserve as the book holds it.
    pub fn obligation_health(&self, obligation: &Obligation, kind: HealthKind) -> Result<HealthReading, Error> {
        let margin = self.margin(obligation);
        ballast_engine::obligation_health(obligation.active(), self, &[], kind, &margin, self.now_unix)
    }

    /// Runs `kind(amount)` on copies with the program's operation; `wallet_balance` (if known)
    /// is the signer's token balance for the transfer into the vault.
    pub fn simulate<'k>(
        &self,
        obligation: &Obligation<'k>,
        kind: ActionKind,
        reserve_key: &'k str,
        amount: u64,
        wallet_balance: Option<u64>,
    ) -> Result<ActionPreview<'k>, Error> {
        let mut reserve = self.reserve(reserve_key)?.state.reserve;
        let mut obligation = obligation.clone();
        let (market, now) = (self.market_state(), self.now_unix);
        let positions = &mut obligation.positions;
        let short = |needed: u64| wallet_balance.is_some_and(|balance| balance < needed);
        let (amount, checked_health) = match kind {
            ActionKind::Deposit => {
                operations::deposit(&market, &reserve_key, &mut reserve, positions, amount, now)?;
                if short(amount) {
                    return Err(Error::TokenInsufficientFunds);
                }
                (amount, None)
            }
            ActionKind::Withdraw => {
                let outcome = operations::withdraw(&market, &reserve_key, &mut reserve, positions, self, amount, now)?;
                (outcome.amount, positions.has_debt().then_some(outcome.health_after))
            }
            ActionKind::Borrow => {
                let outcome = operations::borrow(&market, &reserve_key, &mut reserve, positions, self, amount, now)?;
                (amount, Some(outcome.health_after))
            }
            ActionKind::Repay => {
                let repayment = operations::repay(&reserve_key, &mut reserve, positions, amount, now)?;
                if short(repayment.amount) {
                    return Err(Error::TokenInsufficientFunds);
                }
                (repayment.amount, None)
            }
        };
        Ok(ActionPreview { amount, obligation, reserve, checked_health })
    }

    /// Health of `obligation` after an outcome (`kind`), the acted-on reserve taken as changed.
    pub fn health_after(&self, outcome: &ActionPreview, reserve_key: &str, kind: HealthKind) -> Result<Health, Error> {
        let loaded = Loaded { key: reserve_key, reserve: &outcome.reserve };
        let positions = outcome.obligation.active();
        let margin = self.margin(&outcome.obligation);
        Ok(ballast_engine::obligation_health(positions, self, &[loaded], kind, &margin, self.now_unix)?.health)
    }

    /// The largest amount in `1..=upper` the action accepts (acceptance only shrinks as the
    /// amount grows), or 0.
    pub fn largest_accepted(&self, obligation: &Obligation, kind: ActionKind, reserve_key: &str, upper: u64) -> u64 {
        let ok = |amount: u64| self.simulate(obligation, kind, reserve_key, amount, None).is_ok();
        if upper == 0 || !ok(1) {
            return 0;
        }
        let (mut low, mut high) = (1u64, upper);
        while low < high {
            let mid = low + (high - low).div_ceil(2);
            if ok(mid) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        low
    }

    /// The program's liquidation on copies: the plan it would execute for
    /// `(repay_amount, min_collateral_out)` with health before and after, or its error.
    #[allow(clippy::too_many_arguments)]
    pub fn simulate_liquidation(
        &self,
        obligation: &Obligation,
        liquidator: &str,
        repay_key: &str,
        collateral_key: &str,
        repay_amount: u64,
        min_collateral_out: u64,
        receive_shares: bool,
    ) -> Result<(LiquidationPlan, Health, Health), Error> {
        let market = self.market.ok_or(ballast_engine::Error::MarketMismatch)?.state();
        let mut repay = self.reserve(repay_key)?.state.reserve;
        let mut collateral = self.reserve(collateral_key)?.state.reserve;
        let mut positions = obligation.positions;
        let reserves = LiquidationReserves::of_copies(repay_key, &mut repay, collateral_key, &mut collateral);
        // The share payout credits the liquidator's obligation; a copy stands for it here.
        let mut receiver = PositionSlots::default();
        let payout =
            if receive_shares { operations::Payout::SupplyShares(&mut receiver) } else { operations::Payout::Tokens };
        let outcome = operations::liquidate(
            &market,
            obligation.owner == liquidator,
            &mut positions,
            reserves,
            payout,
            self,
            repay_amount,
            min_collateral_out,
            self.now_unix,
        )?;
        Ok((outcome.plan, outcome.before, outcome.after))
    }
}
