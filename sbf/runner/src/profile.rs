//! Instruction-level profile of one instruction of the scenario (`--features profile`, run by
//! `bash scripts/build-sbf --profile "<label>"`).
//!
//! The VM records every executed instruction's registers (mollusk's register tracing). For the
//! instruction whose label is `BALLAST_SBF_PROFILE`, each executed sBPF instruction of our
//! program is attributed to its call stack: real calls from the trace (`call` pushes the call
//! site, `exit` pops it) and inlined frames from the DWARF line tables of a build with debug
//! info. The report gives, per function, the instructions executed inside it (inclusive) and in
//! its own code (self), and the hottest source lines. One executed instruction is one compute
//! unit; syscalls charge more than their one `call` (log lines, CPIs), so the total is below the
//! CU figure.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use mollusk_svm::{InvocationInspectCallback, Mollusk};
use solana_program_runtime::invoke_context::{Executable, InvokeContext, RegisterTrace};
use solana_program_runtime::solana_sbpf::ebpf;
use solana_pubkey::Pubkey;
use solana_transaction_context::instruction::InstructionContext;
use solana_transaction_context::instruction_accounts::InstructionAccount;

/// Executed-instruction counts by (call sites outermost first, pc).
#[derive(Default)]
pub struct Samples {
    pub recording: bool,
    pub counts: HashMap<(Vec<u64>, u64), u64>,
    pub instructions: u64,
}

pub struct Profiler {
    pub program_id: Pubkey,
    pub samples: Rc<RefCell<Samples>>,
}

impl Profiler {
    fn record(&self, program: &[u8], trace: RegisterTrace) {
        let mut samples = self.samples.borrow_mut();
        let mut stack: Vec<u64> = Vec::new();
        for regs in trace {
            let pc = regs[11];
            *samples.counts.entry((stack.clone(), pc)).or_default() += 1;
            samples.instructions += 1;
            let insn = ebpf::get_insn_unchecked(program, pc as usize);
            match insn.opc {
                // Internal call (src 1; src 0 is a syscall, which returns in place) or callx.
                ebpf::CALL_IMM if insn.src == 1 => stack.push(pc),
                ebpf::CALL_REG => stack.push(pc),
                ebpf::EXIT => {
                    stack.pop();
                }
                _ => {}
            }
        }
    }
}

impl InvocationInspectCallback for Profiler {
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

    fn after_invocation(&self, _: &Mollusk, invoke_context: &InvokeContext, register_tracing_enabled: bool) {
        if !register_tracing_enabled || !self.samples.borrow().recording {
            return;
        }
        invoke_context.iterate_vm_traces(&|context: InstructionContext,
                                           executable: &Executable,
                                           trace: RegisterTrace| {
            if context.get_program_key().ok() == Some(&self.program_id) {
                self.record(executable.get_text_bytes().1, trace);
            }
        });
    }
}

/// One frame of a symbolised address: function name and source line.
#[derive(Clone)]
struct Frame {
    function: String,
    line: String,
}

/// The function's name without generic arguments or the hash suffix. sBPF symbol names escape
/// punctuation as `_XX_` (hex): `_3C_` is `<`.
fn short_name(name: &str) -> String {
    let mut decoded = String::new();
    let mut rest = name;
    while let Some(i) = rest.find('_') {
        decoded.push_str(&rest[..i]);
        let hex = rest.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(byte) if rest.get(i + 3..i + 4) == Some("_") && (byte.is_ascii_punctuation() || byte == b' ') => {
                decoded.push(byte as char);
                rest = &rest[i + 4..];
            }
            _ => {
                decoded.push('_');
                rest = &rest[i + 1..];
            }
        }
    }
    decoded.push_str(rest);
    let mut out = String::new();
    let mut depth = 0;
    for c in decoded.chars() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    match out.rfind("::h") {
        Some(i) if out.len() - i == 19 => out.truncate(i),
        _ => {}
    }
    out
}

/// Frames at `pc`, outermost first (the function, then the calls inlined into it).
fn frames(loader: &addr2line::Loader, text_address: u64, pc: u64, cache: &mut HashMap<u64, Vec<Frame>>) -> Vec<Frame> {
    cache
        .entry(pc)
        .or_insert_with(|| {
            let mut out = Vec::new();
            if let Ok(mut iter) = loader.find_frames(text_address + pc * ebpf::INSN_SIZE as u64) {
                while let Ok(Some(frame)) = iter.next() {
                    let function = frame
                        .function
                        .as_ref()
                        .and_then(|f| f.demangle().ok().map(|n| short_name(&n)))
                        .unwrap_or_else(|| "?".into());
                    let line = frame
                        .location
                        .as_ref()
                        .map(|l| {
                            let file = l.file.unwrap_or("?");
                            let file = file.rsplit_once("/src/").map(|(_, f)| f).unwrap_or(file);
                            format!("{file}:{}", l.line.unwrap_or(0))
                        })
                        .unwrap_or_else(|| "?".into());
                    out.push(Frame { function, line });
                }
            }
            if out.is_empty() {
                out.push(Frame { function: format!("pc {pc}"), line: "?".into() });
            }
            out.reverse();
            out
        })
        .clone()
}

/// Prints the report for `samples`, symbolised with the debug build at `debug_elf`.
pub fn report(label: &str, samples: &Samples, debug_elf: &str, compute_units: u64) {
    let loader = addr2line::Loader::new(debug_elf).unwrap_or_else(|e| panic!("read {debug_elf}: {e}"));
    let text_address = 0u64; // DWARF addresses are byte offsets into .text
    let mut cache = HashMap::new();
    let mut inclusive: HashMap<String, u64> = HashMap::new();
    let mut own: HashMap<String, u64> = HashMap::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    let mut folded: HashMap<String, u64> = HashMap::new();
    for ((sites, pc), count) in &samples.counts {
        let mut stack: Vec<Frame> = Vec::new();
        for site in sites {
            stack.extend(frames(&loader, text_address, *site, &mut cache));
        }
        stack.extend(frames(&loader, text_address, *pc, &mut cache));
        let mut seen = std::collections::HashSet::new();
        for frame in &stack {
            if seen.insert(frame.function.clone()) {
                *inclusive.entry(frame.function.clone()).or_default() += count;
            }
        }
        let names: Vec<&str> = stack.iter().map(|f| f.function.as_str()).collect();
        *folded.entry(names.join(";")).or_default() += count;
        let leaf = stack.last().expect("at least one frame");
        *own.entry(leaf.function.clone()).or_default() += count;
        *lines.entry(format!("{} ({})", leaf.line, leaf.function)).or_default() += count;
    }
    // Folded stacks (one line per stack and its count), the input of flame graph tools.
    // Beside the profiled binary (sbf/target/profile/ from build-sbf).
    let dir = std::path::Path::new(debug_elf).parent().map(|d| d.display().to_string()).unwrap_or_else(|| ".".into());
    let folded_path = format!("{dir}/{}.folded", label.replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
    let mut rows: Vec<_> = folded.iter().map(|(stack, count)| format!("{stack} {count}")).collect();
    rows.sort();
    std::fs::write(&folded_path, rows.join("\n") + "\n").unwrap_or_else(|e| panic!("write {folded_path}: {e}"));
    let lines_path = folded_path.replace(".folded", ".lines");
    let mut rows: Vec<_> = lines.iter().map(|(line, count)| format!("{count}\t{line}")).collect();
    rows.sort();
    std::fs::write(&lines_path, rows.join("\n") + "\n").unwrap_or_else(|e| panic!("write {lines_path}: {e}"));
    let total = samples.instructions;
    println!("profile of \"{label}\": {total} sBPF instructions executed, {compute_units} CU charged");
    println!("(the difference is syscalls: logs, CPIs and their own charges)");
    let top = |title: &str, map: &HashMap<String, u64>, n: usize| {
        let mut rows: Vec<_> = map.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        println!("\n{title}");
        for (name, count) in rows.into_iter().take(n) {
            println!("{count:>8} {:>5.1}%  {name}", *count as f64 * 100.0 / total.max(1) as f64);
        }
    };
    top("inclusive (instructions in the function and everything it calls or inlines)", &inclusive, 60);
    top("self (instructions in the function's own code)", &own, 40);
    top("source lines (self)", &lines, 40);
    println!("\nfolded stacks: {folded_path} (and source lines: {lines_path})");
}
