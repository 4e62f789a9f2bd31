// Sending without websockets: sign, send (with preflight), then poll getSignatureStatuses until
// the transaction is confirmed, fails, or its blockhash expires. Never `confirmTransaction`'s
// subscription path, never Anchor's `.rpc()`.
import { Connection, PublicKey, Transaction, VersionedTransaction, type TransactionInstruction, type TransactionSignature } from "@solana/web3.js";
import { explainError, type ExplainedError } from "./errors";

export type TxStage = "building" | "signing" | "sent" | "confirmed" | "failed";

export interface TxProgress {
  stage: TxStage;
  signature?: string;
  error?: ExplainedError;
}

export interface Signer {
  publicKey: PublicKey;
  signTransaction<T extends Transaction>(tx: T): Promise<T>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the signature's status until it is confirmed (or finalized), failed, or expired. */
export async function pollConfirmation(
  connection: Connection,
  signature: TransactionSignature,
  lastValidBlockHeight: number,
  { intervalMs = 400, timeoutMs = 60_000 } = {},
): Promise<{ err: unknown | null }> {
  const started = Date.now();
  for (let i = 0; ; i++) {
    const { value } = await connection.getSignatureStatuses([signature], { searchTransactionHistory: true });
    const status = value[0];
    if (status) {
      if (status.err) return { err: status.err };
      if (status.confirmationStatus === "confirmed" || status.confirmationStatus === "finalized") return { err: null };
    }
    if (Date.now() - started > timeoutMs) throw new Error("Timed out waiting for confirmation");
    if (i % 5 === 4) {
      const height = await connection.getBlockHeight("confirmed").catch(() => 0);
      if (height > lastValidBlockHeight) throw new Error("Transaction expired: block height exceeded");
    }
    await sleep(intervalMs);
  }
}

/** Builds, signs, sends and confirms `instructions`, reporting each stage. */
export async function sendInstructions(
  connection: Connection,
  signer: Signer,
  instructions: TransactionInstruction[],
  onProgress: (p: TxProgress) => void,
  ballastProgramId?: string,
): Promise<{ ok: boolean; signature?: string; error?: ExplainedError }> {
  const programIds = instructions.map((ix) => ix.programId.toBase58());
  let signature: string | undefined;
  let signed: Transaction | undefined;
  try {
    onProgress({ stage: "building" });
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed");
    const tx = new Transaction({ feePayer: signer.publicKey, blockhash, lastValidBlockHeight }).add(...instructions);
    onProgress({ stage: "signing" });
    signed = await signer.signTransaction(tx);
    signature = await connection.sendRawTransaction(signed.serialize(), { preflightCommitment: "confirmed", maxRetries: 3 });
    onProgress({ stage: "sent", signature });
    const { err } = await pollConfirmation(connection, signature, lastValidBlockHeight);
    if (err) {
      const logs = await connection
        .getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 })
        .then((t) => t?.meta?.logMessages ?? [])
        .catch(() => [] as string[]);
      const error = explainError({ err }, logs, programIds, ballastProgramId);
      onProgress({ stage: "failed", signature, error });
      return { ok: false, signature, error };
    }
    onProgress({ stage: "confirmed", signature });
    return { ok: true, signature };
  } catch (e) {
    let logs: string[] = [];
    const withLogs = e as { getLogs?: (c: Connection) => Promise<string[]>; logs?: string[] };
    if (withLogs.logs?.length) logs = withLogs.logs;
    else if (typeof withLogs.getLogs === "function") logs = await withLogs.getLogs(connection).catch(() => []);
    // A refused send that carried no logs (some RPCs leave them out): the program's logs from a
    // simulation of the same signed transaction.
    if (logs.length === 0 && signed && !signature) logs = await simulatedLogs(connection, signed);
    const error = explainError(e, logs, programIds, ballastProgramId);
    onProgress({ stage: "failed", signature, error });
    return { ok: false, signature, error };
  }
}

/** The log lines of a simulation of `signed` (empty when the simulation itself fails). */
async function simulatedLogs(connection: Connection, signed: Transaction): Promise<string[]> {
  try {
    const tx = VersionedTransaction.deserialize(signed.serialize());
    const { value } = await connection.simulateTransaction(tx, { sigVerify: false, commitment: "confirmed" });
    return value.logs ?? [];
  } catch {
    return [];
  }
}

/**
 * `sendInstructions`, holding back the "confirmed" stage until `afterConfirm` (the UI's refresh)
 * has run, so "confirmed" on screen means the numbers shown are already the new ones.
 */
export async function sendAndRefresh(
  connection: Connection,
  signer: Signer,
  instructions: TransactionInstruction[],
  onProgress: (p: TxProgress) => void,
  afterConfirm: () => Promise<void>,
  ballastProgramId?: string,
): Promise<{ ok: boolean; signature?: string; error?: ExplainedError }> {
  let confirmed: TxProgress | null = null;
  const result = await sendInstructions(connection, signer, instructions, (p) => (p.stage === "confirmed" ? (confirmed = p) : onProgress(p)), ballastProgramId);
  await afterConfirm().catch(() => {});
  if (confirmed) onProgress(confirmed);
  return result;
}
