//! The mollusk harness: the program and SPL Token loaded, accounts in a map, one call per
//! instruction that records its compute units.

#[cfg(feature = "profile")]
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use mollusk_svm::program::loader_keys::LOADER_V3;
use mollusk_svm::result::{InstructionResult, ProgramResult};
use mollusk_svm::{Mollusk, MolluskContext};
use mollusk_svm_programs_token::token;
use solana_account::Account;
use solana_instruction::Instruction;
use solana_pubkey::Pubkey;
use solana_svm_log_collector::LogCollector;

use crate::accounts::{price_account, system_account, token_account, Reserve, NOW, PROGRAM_ID};
#[cfg(feature = "profile")]
use crate::profile;

pub struct Harness {
    pub ctx: MolluskContext<HashMap<Pubkey, Account>>,
    pub rows: Vec<(String, u64, u64)>,
    pub failures: usize,
    /// With `--features profile`: the label to profile and its samples (see profile.rs).
    #[cfg(feature = "profile")]
    profile: Option<(String, Rc<RefCell<profile::Samples>>)>,
}

impl Harness {
    pub fn new(elf: &[u8]) -> Harness {
        #[cfg(feature = "profile")]
        let profile = std::env::var("BALLAST_SBF_PROFILE").ok().map(|label| {
            // Mollusk turns register tracing on for programs it loads while SBF_TRACE_DIR is set.
            std::env::set_var("SBF_TRACE_DIR", "target/sbf-trace");
            (label, Rc::new(RefCell::new(profile::Samples::default())))
        });
        let mut mollusk = Mollusk::default();
        #[cfg(feature = "profile")]
        if let Some((_, samples)) = &profile {
            let profiler = profile::Profiler { program_id: PROGRAM_ID, samples: Rc::clone(samples) };
            mollusk.invocation_inspect_callback = Box::new(profiler);
        }
        mollusk.add_program_with_loader_and_elf(&PROGRAM_ID, &LOADER_V3, elf);
        token::add_program(&mut mollusk);
        mollusk.sysvars.clock.unix_timestamp = NOW;
        mollusk.sysvars.clock.slot = 100;
        Harness {
            ctx: mollusk.with_context(HashMap::new()),
            rows: Vec::new(),
            failures: 0,
            #[cfg(feature = "profile")]
            profile,
        }
    }

    pub fn set(&mut self, key: Pubkey, account: Account) {
        self.ctx.account_store.borrow_mut().insert(key, account);
    }

    pub fn get(&self, key: &Pubkey) -> Account {
        self.ctx.account_store.borrow().get(key).cloned().expect("account exists")
    }

    pub fn funded(&mut self) -> Pubkey {
        let key = Pubkey::new_unique();
        self.set(key, system_account(100_000_000_000));
        key
    }

    pub fn token_account(&mut self, mint: Pubkey, owner: Pubkey, amount: u64) -> Pubkey {
        let key = Pubkey::new_unique();
        self.set(key, token_account(mint, owner, amount));
        key
    }

    /// Publishes `usd` for `res` at the current clock.
    pub fn set_price(&mut self, res: &Reserve, usd: f64) {
        let account = price_account(res, usd, self.ctx.mollusk.sysvars.clock.unix_timestamp);
        self.set(res.keys.oracle, account);
    }

    /// Moves the clock forward.
    pub fn warp(&mut self, secs: i64) {
        self.ctx.mollusk.sysvars.clock.unix_timestamp += secs;
        self.ctx.mollusk.sysvars.clock.slot += (secs as u64) * 5 / 2;
    }

    /// Runs one instruction; records its CU (total, and without the CPIs it made) under `label`.
    pub fn run(&mut self, label: impl Into<String>, instruction: &Instruction) -> InstructionResult {
        let label = label.into();
        let logger = LogCollector::new_ref();
        self.ctx.mollusk.logger = Some(Rc::clone(&logger));
        #[cfg(feature = "profile")]
        let profiled = match &self.profile {
            Some((wanted, samples)) if *wanted == label => {
                samples.borrow_mut().recording = true;
                Some(Rc::clone(samples))
            }
            _ => None,
        };
        let result = self.ctx.process_instruction(instruction);
        #[cfg(feature = "profile")]
        if let Some(samples) = profiled {
            samples.borrow_mut().recording = false;
            let debug_elf =
                std::env::var("BALLAST_SBF_PROFILE_ELF").expect("BALLAST_SBF_PROFILE_ELF (the .so with debug info)");
            profile::report(&label, &samples.borrow(), &debug_elf, result.compute_units_consumed);
        }
        let cpi: u64 =
            result.cpi_compute_units.iter().filter(|c| c.stack_height == 2).map(|c| c.compute_units_consumed).sum();
        match &result.program_result {
            ProgramResult::Success => {
                self.rows.push((label.clone(), result.compute_units_consumed, result.compute_units_consumed - cpi));
            }
            other => {
                self.failures += 1;
                println!("FAILED {label}: {other:?} ({} CU)", result.compute_units_consumed);
                for line in logger.borrow().get_recorded_content() {
                    println!("    {line}");
                }
            }
        }
        if std::env::var_os("BALLAST_SBF_LOGS").is_some() {
            println!("--- {label}");
            for line in logger.borrow().get_recorded_content() {
                println!("    {line}");
            }
        }
        result
    }

    /// Runs `instructions` as one transaction (what flash loans need: the Instructions sysvar
    /// lists them all); records the total CU and the CU without the CPIs under `label`.
    pub fn run_transaction(&mut self, label: impl Into<String>, instructions: &[Instruction]) {
        let label = label.into();
        let logger = LogCollector::new_ref();
        self.ctx.mollusk.logger = Some(Rc::clone(&logger));
        let result = self.ctx.process_transaction_instructions(instructions, None);
        let cpi: u64 = result
            .cpi_compute_units
            .iter()
            .flatten()
            .filter(|c| c.stack_height == 2)
            .map(|c| c.compute_units_consumed)
            .sum();
        if result.program_result.is_ok() {
            self.rows.push((label, result.compute_units_consumed, result.compute_units_consumed - cpi));
        } else {
            self.failures += 1;
            println!("FAILED {label}: {:?} ({} CU)", result.program_result, result.compute_units_consumed);
            for line in logger.borrow().get_recorded_content() {
                println!("    {line}");
            }
        }
    }

    pub fn cu(&self, label: &str) -> Option<u64> {
        self.rows.iter().find(|(l, _, _)| l == label).map(|(_, cu, _)| *cu)
    }
}
