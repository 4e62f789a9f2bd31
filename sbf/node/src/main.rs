//! `ballast-node`: a local Solana JSON-RPC endpoint for auditors, the web dApp and the
//! end-to-end tests, with the sBPF build of `programs/ballast` deployed.
//!
//! solana-test-validator cannot serve here: its 3.x line rejects sBPF v3 files and the 4.x line
//! is a full validator (RocksDB, gossip, ...) that takes far longer to build than CI allows.
//! This node runs transactions in litesvm 0.18 (the agave 4.3 SVM, the same runtime as the
//! mollusk runner) with the real SPL Token, Token-2022 and Associated Token Account programs,
//! and answers the JSON-RPC methods wallets, `@solana/web3.js` and `solana-rpc-client` use, over
//! HTTP (no websockets: clients confirm by polling `getSignatureStatuses`). See `README.md`.
//!
//! Every transaction is final as soon as it is answered (one commitment level). The clock
//! follows wall time (plus any `ballast_warpTime`), one slot per `--slot-ms`.

mod rpc;
mod state;

use std::path::PathBuf;

use clap::Parser;

#[derive(Parser, Debug)]
#[command(name = "ballast-node", about = "Local Solana JSON-RPC node with programs/ballast deployed (sBPF, litesvm)")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8899")]
    bind: String,
    /// The program's sBPF build (scripts/build-sbf writes it here).
    #[arg(long, default_value = "sbf/target/deploy/ballast.so")]
    program: PathBuf,
    /// Program id to deploy it at (the id the program was built with).
    #[arg(long, default_value = state::BALLAST_PROGRAM_ID)]
    program_id: String,
    /// Milliseconds per slot (the clock advances with wall time).
    #[arg(long, default_value_t = 400)]
    slot_ms: u64,
    /// Unix time moves only by `ballast_warpTime` (for tests that need exact durations);
    /// by default the clock follows wall time.
    #[arg(long)]
    manual_clock: bool,
    /// Print one line per request.
    #[arg(long)]
    verbose: bool,
}

fn main() {
    let args = Args::parse();
    let program = match std::fs::read(&args.program) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!(
                "ballast-node: cannot read the program at {}: {e}\n  build it first: bash scripts/build-sbf",
                args.program.display()
            );
            std::process::exit(2);
        }
    };
    let program_id = args.program_id.parse().unwrap_or_else(|e| {
        eprintln!("ballast-node: --program-id {}: {e:?}", args.program_id);
        std::process::exit(2);
    });
    let mut node = match state::Node::new(program_id, &program, args.slot_ms, args.manual_clock) {
        Ok(node) => node,
        Err(e) => {
            eprintln!("ballast-node: cannot deploy {}: {e}", args.program.display());
            std::process::exit(1);
        }
    };
    let server = tiny_http::Server::http(&args.bind).unwrap_or_else(|e| {
        eprintln!("ballast-node: cannot listen on {}: {e}", args.bind);
        std::process::exit(1);
    });
    println!(
        "ballast-node: program {} ({} bytes, sBPF) deployed; JSON-RPC on http://{} (slot {} ms, clock {})",
        args.program_id,
        program.len(),
        args.bind,
        args.slot_ms,
        node.now()
    );
    for mut request in server.incoming_requests() {
        let response = rpc::handle_http(&mut node, &mut request, args.verbose);
        if let Err(e) = request.respond(response) {
            eprintln!("ballast-node: reply failed: {e}");
        }
    }
}
