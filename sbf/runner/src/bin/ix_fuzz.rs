//! Coverage-guided fuzzing of the deployed binary's instruction boundary (libFuzzer through
//! `libfuzzer-sys`): every input is one instruction to the sBPF build of `programs/ballast` in
//! mollusk-svm, over a market fixture with accounts of every type (markets, reserves, obligations,
//! vaults, mints, token accounts, oracles, another market's reserve).
//!
//! An input picks one of the 25 instructions, built valid from the fixture, then mutates it:
//! accounts swapped, replaced from the pool, duplicated, removed, signer and writable flags
//! flipped, instruction data cut, extended or overwritten. Coverage is the program's own: the VM
//! traces every executed sBPF instruction (mollusk's register tracing) and each branch edge of
//! the program bumps a libFuzzer extra counter, so the fuzzer steers by the .so's paths, not the
//! host's. The oracle, on every input:
//! - the program never aborts or misbehaves (a panic with `panic=immediate-abort`, an exhausted
//!   budget, a runtime-caught misuse such as writing a read-only account);
//! - every failure is a named error: one of Ballast's, Anchor's or the token program's, or a
//!   runtime error naming an impossible input (a privilege the transaction did not grant);
//! - a failed instruction changes no account.
//!
//! Build and run: `bash scripts/fuzz-ix [seconds]` (CI: 60 s over the committed corpus).

#![no_main]

use std::cell::RefCell;
use std::collections::HashMap;

use ballast_interface::ix;
use ballast_sbf_runner::accounts::{health, instruction, obligation_key, PROGRAM_ID, TOKEN_PROGRAM_ID, UNIT};
use ballast_sbf_runner::harness::Harness;
use ballast_sbf_runner::scenario::{create_market, open_borrow_withdraw, Market, User};
use libfuzzer_sys::fuzz_target;
use mollusk_svm::result::ProgramResult;
use mollusk_svm::{InvocationInspectCallback, Mollusk};
use solana_account::Account;
use solana_instruction::error::InstructionError;
use solana_instruction::Instruction;
use solana_program_error::ProgramError;
use solana_program_runtime::invoke_context::{Executable, InvokeContext, RegisterTrace};
use solana_pubkey::Pubkey;
use solana_transaction_context::instruction::InstructionContext;
use solana_transaction_context::instruction_accounts::InstructionAccount;

/// libFuzzer's extra coverage counters: one per hashed branch edge of the program.
const EDGES: usize = 1 << 16;
#[used]
#[link_section = "__libfuzzer_extra_counters"]
static mut EDGE_COUNTERS: [u8; EDGES] = [0; EDGES];

/// Records the program's executed edges into the extra counters.
struct Coverage;

impl InvocationInspectCallback for Coverage {
    fn before_invocation(
        &self,
        _: &Mollusk,
        _: &Pubkey,
        _: &[u8],
        _: &[InstructionAccount],
        _: &mut InvokeContext,
        _: bool,
    ) {
    }

    fn after_invocation(&self, _: &Mollusk, invoke_context: &InvokeContext, tracing: bool) {
        if !tracing {
            return;
        }
        invoke_context.iterate_vm_traces(&|context: InstructionContext, _: &Executable, trace: RegisterTrace| {
            if context.get_program_key().ok() != Some(&PROGRAM_ID) {
                return;
            }
            let mut previous = 0u64;
            for regs in trace {
                let pc = regs[11];
                let edge = ((previous.wrapping_mul(0x9E37_79B9) ^ pc) as usize) & (EDGES - 1);
                // SAFETY: libFuzzer runs one input at a time on this thread.
                unsafe {
                    let counter = (&raw mut EDGE_COUNTERS).cast::<u8>().add(edge);
                    *counter = (*counter).saturating_add(1);
                }
                previous = pc;
            }
        });
    }
}

/// The deployed .so with a section-name table appended: the sBPF v3 build has no section headers,
/// and the VM's tracing (symbol and section labels) needs one to load it. Only metadata past the
/// end of the file is added and the header pointed at it; the code, read through the program
/// headers, is the deployed binary's.
fn with_section_names(elf: &[u8]) -> Vec<u8> {
    let mut out = elf.to_vec();
    let pad = |out: &mut Vec<u8>| out.resize(out.len().next_multiple_of(8), 0);
    pad(&mut out);
    let names = out.len() as u64;
    out.extend_from_slice(b"\0.shstrtab\0");
    pad(&mut out);
    let table = out.len() as u64;
    out.extend_from_slice(&[0; 64]); // section 0: SHT_NULL
    let mut strtab = Vec::with_capacity(64);
    strtab.extend_from_slice(&1u32.to_le_bytes()); // sh_name: ".shstrtab"
    strtab.extend_from_slice(&3u32.to_le_bytes()); // sh_type: SHT_STRTAB
    strtab.extend_from_slice(&0u64.to_le_bytes()); // sh_flags
    strtab.extend_from_slice(&0u64.to_le_bytes()); // sh_addr
    strtab.extend_from_slice(&names.to_le_bytes()); // sh_offset
    strtab.extend_from_slice(&11u64.to_le_bytes()); // sh_size
    strtab.extend_from_slice(&0u32.to_le_bytes()); // sh_link
    strtab.extend_from_slice(&0u32.to_le_bytes()); // sh_info
    strtab.extend_from_slice(&1u64.to_le_bytes()); // sh_addralign
    strtab.extend_from_slice(&0u64.to_le_bytes()); // sh_entsize
    out.extend_from_slice(&strtab);
    out[0x28..0x30].copy_from_slice(&table.to_le_bytes()); // e_shoff
    out[0x3A..0x3C].copy_from_slice(&64u16.to_le_bytes()); // e_shentsize
    out[0x3C..0x3E].copy_from_slice(&2u16.to_le_bytes()); // e_shnum
    out[0x3E..0x40].copy_from_slice(&1u16.to_le_bytes()); // e_shstrndx
    out
}

struct Fixture {
    h: Harness,
    base: HashMap<Pubkey, Account>,
    /// Every account a mutation may put in an instruction.
    pool: Vec<Pubkey>,
    templates: Vec<Instruction>,
}

fn fixture() -> Fixture {
    // Mollusk turns register tracing on for programs it loads while SBF_TRACE_DIR is set; the
    // callback below replaces the one that would write the traces to it.
    std::env::set_var("SBF_TRACE_DIR", std::env::temp_dir().join("ballast-ix-fuzz"));
    let path = std::env::var("BALLAST_SO").unwrap_or_else(|_| "target/deploy/ballast.so".into());
    let elf = std::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e} (BALLAST_SO names the .so)"));
    let mut h = Harness::new(&with_section_names(&elf));
    h.ctx.mollusk.invocation_inspect_callback = Box::new(Coverage);
    let a = create_market(&mut h, 3, false, 10_000 * UNIT, " (a)");
    let b = create_market(&mut h, 1, true, 10_000 * UNIT, " (b)");
    let borrower = open_borrow_withdraw(&mut h, &a, 2, "a, ");
    let other = open_borrow_withdraw(&mut h, &b, 1, "b, ");
    let templates = templates(&mut h, &a, &b, &borrower);
    let mut pool = vec![
        PROGRAM_ID,
        TOKEN_PROGRAM_ID,
        Pubkey::default(),
        Pubkey::new_from_array(ballast_interface::ids::INSTRUCTIONS_SYSVAR_ID),
        Pubkey::new_unique(),
    ];
    for m in [&a, &b] {
        pool.extend([m.key, m.authority]);
        for r in &m.reserves {
            pool.extend([r.keys.reserve, r.keys.mint, r.keys.vault, r.keys.vault_authority, r.keys.oracle]);
        }
    }
    for u in [&borrower, &other] {
        pool.extend([u.owner, u.obligation]);
        pool.extend(u.accounts.iter().copied());
    }
    let base = h.ctx.account_store.borrow().clone();
    Fixture { h, base, pool, templates }
}

/// One valid instance of each instruction over the fixture.
fn templates(h: &mut Harness, a: &Market, b: &Market, u: &User) -> Vec<Instruction> {
    let (r0, r1) = (&a.reserves[0], &a.reserves[1]);
    let _ = b;
    // A reserve of market a not yet created: its mint and oracle exist.
    let fresh = ballast_sbf_runner::accounts::Reserve::new(a.key, false);
    h.set(fresh.keys.mint, ballast_sbf_runner::accounts::mint_account(a.authority));
    h.set_price(&fresh, 1.0);
    let positions = health(&a.reserves[..2]);
    let newcomer = h.funded();
    let liquidator = h.funded();
    let repay_source = h.token_account(r0.keys.mint, liquidator, 1_000 * UNIT);
    let destination = h.token_account(r1.keys.mint, liquidator, 0);
    let receiver = h.token_account(r0.keys.mint, a.authority, 0);
    let market_params = ballast_interface::raw::test_market::market_params();
    let reserve_params = ballast_sbf_runner::accounts::reserve_params(r0);
    let fresh_params = ballast_sbf_runner::accounts::reserve_params(&fresh);
    let seed = h.token_account(fresh.keys.mint, a.authority, 10 * UNIT);
    let sub = Pubkey::find_program_address(&[b"obligation", a.key.as_ref(), u.owner.as_ref(), &[1]], &PROGRAM_ID).0;
    let args = ix::LiquidationArgs {
        repay_source,
        collateral_destination: destination,
        repay_amount: 10 * UNIT,
        min_collateral_out: 0,
        receive_shares_into: None,
    };
    [
        ix::init_market(newcomer, Pubkey::new_unique(), *b"USD\0\0\0\0\0", &market_params),
        ix::update_market_config(a.authority, a.key, &market_params),
        ix::init_reserve(a.authority, &fresh.keys, seed, &fresh_params, UNIT),
        ix::update_reserve_config(a.authority, &r0.keys, &reserve_params),
        ix::set_reserve_status(a.authority, a.key, r0.keys.reserve, 1),
        ix::pause_market(a.authority, a.key, 60),
        ix::propose_authority(a.authority, a.key, newcomer),
        ix::accept_authority(newcomer, a.key),
        ix::init_obligation(newcomer, a.key, obligation_key(&a.key, &newcomer)),
        ix::init_sub_obligation(u.owner, a.key, sub, 1),
        ix::close_obligation(u.owner, u.obligation),
        ix::deposit(u.owner, &r0.keys, u.obligation, u.accounts[0], UNIT),
        ix::withdraw(u.owner, &r1.keys, u.obligation, u.accounts[1], UNIT, &positions),
        ix::borrow(u.owner, &r0.keys, u.obligation, u.accounts[0], UNIT, &positions),
        ix::repay(u.owner, &r0.keys, u.obligation, u.accounts[0], UNIT),
        ix::liquidate(liquidator, u.obligation, &r0.keys, &r1.keys, &args, &positions),
        ix::socialize_loss(a.key, u.obligation, r0.keys.reserve, &positions),
        ix::set_margin_mode(u.owner, a.key, u.obligation, 0, &positions),
        ix::set_collateral(u.owner, a.key, u.obligation, r1.keys.reserve, false, &positions),
        ix::mark_liquidatable(a.key, u.obligation, &positions),
        ix::get_health(a.key, u.obligation, true, &positions),
        ix::flash_borrow(u.owner, &r0.keys, u.accounts[0], UNIT),
        ix::flash_repay(u.owner, &r0.keys, u.accounts[0], UNIT),
        ix::withdraw_protocol_fees(a.authority, &r0.keys, receiver, u64::MAX),
        ix::withdraw_insurance(a.authority, &r0.keys, receiver, u64::MAX),
    ]
    .into_iter()
    .map(instruction)
    .collect()
}

thread_local! {
    static FIXTURE: RefCell<Option<Fixture>> = const { RefCell::new(None) };
}

/// The instruction an input names: a template, then mutations read from the input's bytes.
fn build(f: &Fixture, data: &[u8]) -> Option<Instruction> {
    let (&pick, mut rest) = data.split_first()?;
    let mut ix = f.templates[pick as usize % f.templates.len()].clone();
    while let [op, x, y, tail @ ..] = rest {
        rest = tail;
        let n = ix.accounts.len().max(1);
        let (i, j) = (*x as usize % n, *y as usize % n);
        match op % 9 {
            0 if !ix.accounts.is_empty() => ix.accounts.swap(i, j),
            1 if !ix.accounts.is_empty() => ix.accounts[i].pubkey = f.pool[*y as usize % f.pool.len()],
            2 if !ix.accounts.is_empty() && ix.accounts.len() < 64 => {
                let copy = ix.accounts[i].clone();
                ix.accounts.insert(j, copy);
            }
            3 if !ix.accounts.is_empty() => {
                ix.accounts.remove(i);
            }
            4 if !ix.accounts.is_empty() => ix.accounts[i].is_signer ^= true,
            5 if !ix.accounts.is_empty() => ix.accounts[i].is_writable ^= true,
            6 => ix.data.truncate(*x as usize % (ix.data.len() + 1)),
            7 if ix.data.len() < 1_024 => ix.data.extend_from_slice(&[*x, *y]),
            8 if !ix.data.is_empty() => {
                let at = (*x as usize) % ix.data.len();
                ix.data[at] = *y;
            }
            _ => {}
        }
    }
    Some(ix)
}

/// What the runtime reports when the program itself went wrong, not the input: it aborted (a
/// panic), ran out of compute, or wrote or spent what it may not. Every other runtime error is a
/// named refusal of an impossible input (a privilege the transaction did not grant, a missing
/// account, ...).
fn misbehaved(error: &InstructionError) -> bool {
    matches!(
        error,
        InstructionError::ProgramFailedToComplete
            | InstructionError::ComputationalBudgetExceeded
            | InstructionError::ReadonlyDataModified
            | InstructionError::ExternalAccountDataModified
            | InstructionError::ReadonlyLamportChange
            | InstructionError::ExternalAccountLamportSpend
            | InstructionError::UnbalancedInstruction
            | InstructionError::ExecutableDataModified
            | InstructionError::ExecutableLamportChange
            | InstructionError::AccountDataSizeChanged
            | InstructionError::GenericError
            | InstructionError::Custom(_)
    )
}

/// Anchor's own error codes (100-5999) and the SPL Token program's (below 100) are named; so is
/// every Ballast error.
fn named_code(code: u32) -> bool {
    code < 6_000 || ballast_interface::engine::Error::from_code(code).is_some()
}

fuzz_target!(|data: &[u8]| {
    FIXTURE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let f = cell.get_or_insert_with(fixture);
        let Some(ix) = build(f, data) else { return };
        // Every input starts from the fixture's state.
        *f.h.ctx.account_store.borrow_mut() = f.base.clone();
        let before = f.h.ctx.account_store.borrow().clone();
        let result = f.h.ctx.process_instruction(&ix);
        match &result.program_result {
            ProgramResult::Success => {}
            ProgramResult::Failure(error) => {
                if let ProgramError::Custom(code) = error {
                    assert!(named_code(*code), "unnamed custom error {code} for {ix:?}");
                }
                let after = f.h.ctx.account_store.borrow().clone();
                assert!(after == before, "a failed instruction changed an account: {ix:?}");
            }
            ProgramResult::UnknownError(error) => {
                assert!(!misbehaved(error), "the program misbehaved: {error:?} for {ix:?}");
                let after = f.h.ctx.account_store.borrow().clone();
                assert!(after == before, "a failed instruction changed an account: {ix:?}");
            }
        }
    });
});
