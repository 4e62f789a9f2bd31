//! `ballast-validator`: a local Solana validator for auditors, the web dApp and the test suites,
//! with the sBPF build of `programs/ballast` deployed.
//!
//! It is surfpool (`surfpool-core`), started offline: transactions run in litesvm on the agave
//! 4.3 runtime with the real SPL Token, Token-2022 and Associated Token Account programs; it
//! serves the JSON-RPC methods and the websocket pubsub a cluster serves, and the `surfnet_*`
//! cheat methods (`surfnet_setAccount`, `surfnet_setTokenAccount`, `surfnet_timeTravel`,
//! `surfnet_pauseClock`) that tests use to write Pyth accounts and move the clock. This binary
//! only configures it: offline, per-instruction profiling off (it slows every transaction once
//! thousands are profiled), the program written at its id, the faucet topped up, and surfpool's
//! event channel drained so that it never fills.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use crossbeam_channel::unbounded;
use surfpool_core::solana_account::Account;
use surfpool_core::surfnet::locker::SurfnetSvmLocker;
use surfpool_core::surfnet::svm::{SurfnetSvm, SurfnetSvmConfig};
use surfpool_types::{BlockProductionMode, RpcConfig, SimnetConfig, SimnetEvent, SurfpoolConfig};

/// The program id `programs/ballast` is built with (`declare_id!`).
const BALLAST_PROGRAM_ID: &str = "AxKxQ7pR8RKQDTo5BycZbrhA4qz2eDT5Y4gpNLBbW9A";
/// Lamports in the faucet that `requestAirdrop` pays from: enough for every suite's airdrops.
const FAUCET_LAMPORTS: u64 = 1 << 62;
/// Milliseconds between blocks with `--manual-clock`.
const MANUAL_BLOCK_MS: u64 = 50;
/// How long startup may take before the validator gives up.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Parser, Debug)]
#[command(
    name = "ballast-validator",
    about = "Local Solana validator (surfpool, offline) with programs/ballast deployed"
)]
struct Args {
    /// Host to listen on (JSON-RPC and websockets).
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// JSON-RPC port.
    #[arg(long, default_value_t = 8899)]
    rpc_port: u16,
    /// Websocket (pubsub) port.
    #[arg(long, default_value_t = 8900)]
    ws_port: u16,
    /// The program's sBPF build (scripts/build-sbf writes it here).
    #[arg(long, default_value = "sbf/target/deploy/ballast.so")]
    program: PathBuf,
    /// Program id to deploy it at (the id the program was built with).
    #[arg(long, default_value = BALLAST_PROGRAM_ID)]
    program_id: String,
    /// Milliseconds per slot while the clock runs.
    #[arg(long, default_value_t = 400)]
    slot_ms: u64,
    /// Unix time moves only by `surfnet_timeTravel` (tests that need exact durations); blocks
    /// still come every 50 ms, so transactions confirm.
    #[arg(long)]
    manual_clock: bool,
    /// Print surfpool's own events (transactions, clock, warnings).
    #[arg(long)]
    verbose: bool,
}

fn fail(message: String) -> ! {
    eprintln!("ballast-validator: {message}");
    std::process::exit(1);
}

fn main() {
    let args = Args::parse();
    let program = std::fs::read(&args.program).unwrap_or_else(|e| {
        fail(format!(
            "cannot read the program at {}: {e}\n  build it first: bash scripts/build-sbf",
            args.program.display()
        ))
    });
    let program_id =
        args.program_id.parse().unwrap_or_else(|e| fail(format!("--program-id {}: {e:?}", args.program_id)));

    // A manual clock: blocks every MANUAL_BLOCK_MS (so transactions confirm at once, as clients
    // wait for, and blockhashes live 150 blocks) that move no time (a slot time of zero in the
    // SVM); unix time moves only by `surfnet_timeTravel`.
    let (block_ms, svm_slot_ms) = if args.manual_clock { (MANUAL_BLOCK_MS, 0) } else { (args.slot_ms, args.slot_ms) };
    let svm_config = SurfnetSvmConfig {
        slot_time: svm_slot_ms,
        instruction_profiling_enabled: false,
        ..SurfnetSvmConfig::default()
    };
    let (svm, simnet_events_rx, geyser_events_rx) =
        SurfnetSvm::new(svm_config).unwrap_or_else(|e| fail(format!("cannot build the SVM: {e:?}")));
    let config = SurfpoolConfig {
        simnets: vec![SimnetConfig {
            offline_mode: true,
            remote_rpc_url: None,
            slot_time: block_ms,
            block_production_mode: BlockProductionMode::Clock,
            instruction_profiling_enabled: false,
            ..SimnetConfig::default()
        }],
        rpc: RpcConfig {
            bind_host: args.host.clone(),
            bind_port: args.rpc_port,
            ws_port: args.ws_port,
            ..RpcConfig::default()
        },
        ..SurfpoolConfig::default()
    };
    let locker = SurfnetSvmLocker::new(svm);
    let (commands_tx, commands_rx) = unbounded();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(format!("tokio runtime: {e}")));
    let runloop_locker = locker.clone();
    let runloop = std::thread::Builder::new()
        .name("surfnet".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("surfnet runtime");
            runtime
                .block_on(surfpool_core::runloops::start_local_surfnet_runloop(
                    runloop_locker,
                    config,
                    commands_tx,
                    commands_rx,
                    geyser_events_rx,
                ))
                .map_err(|e| e.to_string())
        })
        .unwrap_or_else(|e| fail(format!("cannot start the runloop: {e}")));

    // Startup: wait for the core, then deploy and fund. Every event after that is drained.
    let deadline = std::time::Instant::now() + STARTUP_TIMEOUT;
    loop {
        match simnet_events_rx.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
            Ok(SimnetEvent::CoreStarted(_)) => break,
            Ok(SimnetEvent::ErrorLog(_, message)) => eprintln!("ballast-validator: surfpool: {message}"),
            Ok(_) => {}
            Err(e) => fail(format!("surfpool did not start: {e}")),
        }
    }
    runtime
        .block_on(locker.write_program(program_id, None, 0, &program, &None))
        .unwrap_or_else(|e| fail(format!("cannot deploy {}: {e:?}", args.program.display())));
    locker
        .with_svm_writer(|svm| {
            let faucet = svm.inner.airdrop_pubkey();
            svm.set_account(&faucet, Account { lamports: FAUCET_LAMPORTS, ..Account::default() })
        })
        .unwrap_or_else(|e| fail(format!("cannot fund the faucet: {e:?}")));
    println!(
        "ballast-validator: program {} ({} bytes, sBPF) deployed; JSON-RPC on http://{}:{}, websockets on ws://{}:{} \
         (surfpool offline, a block every {} ms, clock {})",
        args.program_id,
        program.len(),
        args.host,
        args.rpc_port,
        args.host,
        args.ws_port,
        block_ms,
        if args.manual_clock { "manual: time moves by surfnet_timeTravel only" } else { "running" },
    );

    let verbose = args.verbose;
    std::thread::spawn(move || {
        for event in simnet_events_rx.iter() {
            match event {
                SimnetEvent::ErrorLog(_, message) => eprintln!("ballast-validator: surfpool: {message}"),
                event if verbose => println!("{event:?}"),
                _ => {}
            }
        }
    });
    match runloop.join() {
        Ok(Ok(())) => {}
        Ok(Err(e)) => fail(format!("surfpool stopped: {e}")),
        Err(_) => fail("surfpool panicked".into()),
    }
}
