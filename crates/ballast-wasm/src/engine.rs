//! The program's operations on in-memory copies of the accounts: decoded reserves and
//! obligations implement the engine's traits (`ballast-engine`), and every preview is the
//! engine's own operation, so a preview fails exactly where the program would, with the
//! program's error name, and values an obligation exactly as the chain does.

use std::collections::BTreeMap;

use ballast_engine::operations::{self, LiquidationReserves};
use ballast_engine::{
    AccountRetriever, HealthKind, HealthReading, Margin, MarketState, OwnedReserve, PositionSlots, Positions,
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
            .with_auction_start(account.liquidatable_since_ts)
            .with_non_collateral(account.non_collateral_mask),
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

/// One of the user actions an owner's transaction can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    Deposit,
    Withdraw,
    Borrow,
    Repay,
    /// A withdraw of `amount` plus the reserve's flash-loan fee on `amount` (the fee from
    /// `TreasuryConfig::flash_loan_fee`): what repays a flash loan of `amount` out of the deposit.
    WithdrawPlusFlashFee,
    /// `set_collateral(reserve, collateral)` (`amount` is not read).
    SetCollateral(bool),
    /// `flash_borrow(amount)`: pays `amount` into the wallet.
    FlashBorrow,
    /// `flash_repay(amount)`: the wallet pays `amount` plus the fee.
    FlashRepay,
}

/// One action of a sequence: `kind(amount)` in the reserve keyed `reserve`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Action<'k> {
    pub kind: ActionKind,
    pub reserve: &'k str,
    /// Base units; `u64::MAX` means "all" for withdraw and repay, as on chain.
    pub amount: u64,
}

/// The first action of a sequence the program would reject.
#[derive(Clone, Debug)]
pub struct Rejection<'k> {
    /// Its place in the sequence (from 0).
    pub index: usize,
    pub error: Error,
    /// The positions where its operation stopped: the health accounts its instruction takes (a
    /// borrow refused for health has opened its debt position by then, as on chain).
    pub obligation: Obligation<'k>,
}

/// What a sequence of actions did on copies.
#[derive(Clone, Debug)]
pub struct SequencePreview<'k> {
    /// The accepted actions' outcomes, in order (every action's unless one was rejected).
    pub accepted: Vec<ActionPreview<'k>>,
    pub rejected: Option<Rejection<'k>>,
    /// The reserves after the accepted actions.
    pub reserves: Vec<ReserveWithPrice>,
    /// The obligation after the accepted actions.
    pub obligation: Obligation<'k>,
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
    /// Initial health the program computed (borrow, withdraw with debt, collateral off with debt).
    pub checked_health: Option<Health>,
    /// A flash repay's fee (included in `amount`), or the fee a `WithdrawPlusFlashFee` added.
    pub fee: Option<u64>,
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
        ballast_engine::obligation_health(obligation.positions.held(), self, &[], kind, &margin, self.now_unix)
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
        let mut obligation = obligation.clone();
        self.run(&mut obligation, Action { kind, reserve: reserve_key, amount }, wallet_balance)
    }

    /// One action on `obligation`, changed in place (also when the action fails: it then holds
    /// the positions where the operation stopped), and on a copy of its reserve.
    fn run<'k>(
        &self,
        obligation: &mut Obligation<'k>,
        action: Action<'k>,
        wallet_balance: Option<u64>,
    ) -> Result<ActionPreview<'k>, Error> {
        let Action { kind, reserve: reserve_key, amount } = action;
        let mut reserve = self.reserve(reserve_key)?.state.reserve;
        let (market, now) = (self.market_state(), self.now_unix);
        let positions = &mut obligation.positions;
        let short = |needed: u64| wallet_balance.is_some_and(|balance| balance < needed);
        let (amount, checked_health, fee) = match kind {
            ActionKind::Deposit => {
                operations::deposit(&market, &reserve_key, &mut reserve, positions, amount, now)?;
                if short(amount) {
                    return Err(Error::TokenInsufficientFunds);
                }
                (amount, None, None)
            }
            ActionKind::Withdraw | ActionKind::WithdrawPlusFlashFee => {
                let fee = match kind {
                    ActionKind::WithdrawPlusFlashFee => Some(reserve.treasury().flash_loan_fee(amount)?),
                    _ => None,
                };
                let requested = amount.checked_add(fee.unwrap_or(0)).ok_or(ballast_engine::Error::MathOverflow)?;
                let outcome =
                    operations::withdraw(&market, &reserve_key, &mut reserve, positions, self, requested, now)?;
                (outcome.amount, positions.has_debt().then_some(outcome.health_after), fee)
            }
            ActionKind::Borrow => {
                let outcome = operations::borrow(&market, &reserve_key, &mut reserve, positions, self, amount, now)?;
                (amount, Some(outcome.health_after), None)
            }
            ActionKind::Repay => {
                let repayment = operations::repay(&market, &reserve_key, &mut reserve, positions, amount, now)?;
                if short(repayment.amount) {
                    return Err(Error::TokenInsufficientFunds);
                }
                (repayment.amount, None, None)
            }
            ActionKind::SetCollateral(collateral) => {
                let health = operations::set_collateral(&market, &reserve_key, positions, collateral, self, now)?;
                (0, (!collateral && positions.has_debt()).then_some(health), None)
            }
            ActionKind::FlashBorrow => {
                operations::flash_borrow(&mut reserve, amount, now)?;
                (amount, None, None)
            }
            ActionKind::FlashRepay => {
                let fee = operations::flash_repay(&mut reserve, amount, now)?;
                let paid = amount.checked_add(fee).ok_or(ballast_engine::Error::MathOverflow)?;
                if short(paid) {
                    return Err(Error::TokenInsufficientFunds);
                }
                (paid, None, Some(fee))
            }
        };
        Ok(ActionPreview { amount, obligation: obligation.clone(), reserve, checked_health, fee })
    }

    /// The same book with other copies of its reserves (the ones a sequence of actions left).
    pub fn with_reserves<'b>(&self, reserves: &'b [ReserveWithPrice]) -> ChainView<'b>
    where
        'a: 'b,
    {
        ChainView { reserves, market: self.market, market_key: self.market_key, now_unix: self.now_unix }
    }

    /// Runs `actions` in order, as the instructions of one transaction: each with the program's
    /// operation, on the obligation and reserves the actions before it left. Stops at the first
    /// rejected action (the transaction fails there and changes nothing). `wallet`: the signer's
    /// known token balances by reserve (one not in it is not checked), moved by each transfer.
    pub fn simulate_sequence<'k>(
        &self,
        obligation: &Obligation<'k>,
        actions: &[Action<'k>],
        mut wallet: BTreeMap<&'k str, u64>,
    ) -> SequencePreview<'k> {
        let mut sequence = SequencePreview {
            accepted: Vec::with_capacity(actions.len()),
            rejected: None,
            reserves: self.reserves.to_vec(),
            obligation: obligation.clone(),
        };
        for (index, &action) in actions.iter().enumerate() {
            let mut obligation = sequence.obligation.clone();
            let book = self.with_reserves(&sequence.reserves);
            let outcome = match book.run(&mut obligation, action, wallet.get(action.reserve).copied()) {
                Ok(outcome) => outcome,
                Err(error) => {
                    sequence.rejected = Some(Rejection { index, error, obligation });
                    break;
                }
            };
            if let Some(balance) = wallet.get_mut(action.reserve) {
                // Deposit and repay were checked against the balance; borrow and withdraw pay out.
                *balance = match action.kind {
                    ActionKind::Deposit | ActionKind::Repay | ActionKind::FlashRepay => *balance - outcome.amount,
                    ActionKind::Withdraw
                    | ActionKind::WithdrawPlusFlashFee
                    | ActionKind::Borrow
                    | ActionKind::FlashBorrow => balance.saturating_add(outcome.amount),
                    ActionKind::SetCollateral(_) => *balance,
                };
            }
            if let Some(changed) = sequence.reserves.iter_mut().find(|r| r.state.key == action.reserve) {
                changed.state.reserve = outcome.reserve;
            }
            sequence.obligation = obligation;
            sequence.accepted.push(outcome);
        }
        // The program lends only when a `flash_repay` of the reserve follows in the transaction:
        // a loan still open at the end fails at its `flash_borrow`.
        if sequence.rejected.is_none() {
            let unpaid = actions.iter().enumerate().rev().find_map(|(index, a)| {
                let reserve = sequence.reserves.iter().find(|r| r.state.key == a.reserve)?;
                let closed = operations::require_flash_loan_closed(&*reserve.state);
                (a.kind == ActionKind::FlashBorrow).then_some(closed.err()?).map(|error| (index, error))
            });
            if let Some((index, error)) = unpaid {
                let obligation = index
                    .checked_sub(1)
                    .map_or_else(|| obligation.clone(), |i| sequence.accepted[i].obligation.clone());
                sequence.accepted.truncate(index);
                sequence.rejected = Some(Rejection { index, error: error.into(), obligation });
            }
        }
        sequence
    }

    /// The largest amount in `1..=upper` the action accepts, or 0. Acceptance is a range: a
    /// borrow too small for the market's minimum debt is refused (`DebtBelowMinimum`) as well as
    /// one too large, so the search is for the largest amount that is not too large (accepted or
    /// refused only as too small), which is then accepted or not.
    pub fn largest_accepted(&self, obligation: &Obligation, kind: ActionKind, reserve_key: &str, upper: u64) -> u64 {
        let run = |amount: u64| self.simulate(obligation, kind, reserve_key, amount, None);
        let not_too_large = |amount: u64| match run(amount) {
            Ok(_) => true,
            Err(error) => error == Error::Program(ballast_engine::Error::DebtBelowMinimum),
        };
        if upper == 0 || !not_too_large(1) {
            return 0;
        }
        let (mut low, mut high) = (1u64, upper);
        while low < high {
            let mid = low + (high - low).div_ceil(2);
            if not_too_large(mid) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        if run(low).is_ok() {
            low
        } else {
            0
        }
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
