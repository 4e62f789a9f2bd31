// Sending without websockets: sign, send (with preflight), then poll getSignatureStatuses until
// the transaction is confirmed, fails, or its blockhash expires. Never `confirmTransaction`'s
// subscription path, never Anchor's `.rpc()`. A transaction over the packet limit (1,232 bytes as
// legacy) goes as one v0 transaction with an address lookup table (lookup.ts), created first
// through the same wallet when no cached one holds its accounts.
import {
  Connection,
  PublicKey,
  Transaction,
  TransactionMessage,
  VersionedTransaction,
  type AddressLookupTableAccount,
  type TransactionInstruction,
  type TransactionSignature,
} from "@solana/web3.js";
import { explainError, type ExplainedError } from "./errors";
import { ensureLookupTable, legacyTransactionSize, lookupTableAddresses, overLimit, TX_SIZE_LIMIT, v0SizeWithTable, v0TransactionSize, type LookupTableStep } from "./lookup";

export type TxStage = "building" | "signing" | "sent" | "confirmed" | "failed";

export interface TxProgress {
  stage: TxStage;
  signature?: string;
  error?: ExplainedError;
  /**
   * Set while a large transaction's lookup table is made ready: "signing"/"sent" of the table's
   * own transactions (`step` "create", then "extend" per further 20 accounts), "building" while
   * it activates ("activate") or when a cached one is taken ("reuse"). Unset for the transaction
   * itself.
   */
  lookupTable?: LookupTableStep;
}

/** A wallet that signs legacy transactions only (a transaction over 1,232 bytes then fails). */
export interface LegacySigner {
  publicKey: PublicKey;
  signTransaction<T extends Transaction>(tx: T): Promise<T>;
}

/** A wallet that signs v0 transactions too (wallet-adapter's `signTransaction`, the burner). */
export interface VersionedSigner {
  publicKey: PublicKey;
  signTransaction<T extends Transaction | VersionedTransaction>(tx: T): Promise<T>;
}

/** Either; every `VersionedSigner` is a `LegacySigner` too (legacy transactions are signed as one). */
export type Signer = LegacySigner | VersionedSigner;

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

/**
 * Builds, signs, sends and confirms `instructions`, reporting each stage. A transaction that fits
 * as legacy (at most 1,232 bytes on the wire) is sent as a legacy `Transaction`; a larger one as a
 * v0 transaction with a lookup table of its non-signer accounts (`lookupTableFor`).
 */
export async function sendInstructions(
  connection: Connection,
  signer: Signer,
  instructions: TransactionInstruction[],
  onProgress: (p: TxProgress) => void,
  ballastProgramId?: string,
): Promise<{ ok: boolean; signature?: string; error?: ExplainedError }> {
  const programIds = instructions.map((ix) => ix.programId.toBase58());
  let signature: string | undefined;
  let signed: Transaction | VersionedTransaction | undefined;
  try {
    onProgress({ stage: "building" });
    let { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed");
    let wire: Uint8Array;
    if (!overLimit(legacyTransactionSize(signer.publicKey, instructions))) {
      const tx = new Transaction({ feePayer: signer.publicKey, blockhash, lastValidBlockHeight }).add(...instructions);
      onProgress({ stage: "signing" });
      const signedLegacy = await (signer as LegacySigner).signTransaction(tx);
      signed = signedLegacy;
      wire = signedLegacy.serialize();
    } else {
      const table = await lookupTableFor(connection, signer, instructions, onProgress);
      ({ blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed"));
      const message = new TransactionMessage({ payerKey: signer.publicKey, recentBlockhash: blockhash, instructions }).compileToV0Message([table]);
      const size = v0TransactionSize(message);
      if (overLimit(size)) throw tooLargeWithTable(size);
      onProgress({ stage: "signing" });
      const signedV0 = await signVersioned(signer, new VersionedTransaction(message));
      signed = signedV0;
      wire = signedV0.serialize();
    }
    signature = await connection.sendRawTransaction(wire, { preflightCommitment: "confirmed", maxRetries: 3 });
    onProgress({ stage: "sent", signature });
    const { err } = await pollConfirmation(connection, signature, lastValidBlockHeight);
    if (err) {
      const logs = await landedLogs(connection, signature);
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

const tooLargeWithTable = (size: number) => new Error(`Transaction too large even with a lookup table: ${size} bytes (max: ${TX_SIZE_LIMIT} bytes)`);

/** Signs a v0 transaction; a wallet that only knows legacy transactions fails in words. */
async function signVersioned(signer: Signer, tx: VersionedTransaction): Promise<VersionedTransaction> {
  try {
    return await (signer as VersionedSigner).signTransaction(tx);
  } catch (e) {
    if (e instanceof TypeError) throw new Error(`This wallet cannot sign a v0 transaction, which a transaction over ${TX_SIZE_LIMIT} bytes needs (${e.message})`);
    throw e;
  }
}

/**
 * The active lookup table for `instructions` (their non-signer accounts): cached, or created
 * through the wallet, each table transaction reported as progress with `lookupTable` set. Fails
 * before creating anything when the v0 transaction would still be over the limit.
 */
async function lookupTableFor(connection: Connection, signer: Signer, instructions: TransactionInstruction[], onProgress: (p: TxProgress) => void): Promise<AddressLookupTableAccount> {
  const addresses = lookupTableAddresses(signer.publicKey, instructions);
  const size = v0SizeWithTable(signer.publicKey, instructions, addresses);
  if (overLimit(size)) throw tooLargeWithTable(size);
  return ensureLookupTable(
    connection,
    signer.publicKey,
    addresses,
    async (ixs, step) => {
      const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed");
      const tx = new Transaction({ feePayer: signer.publicKey, blockhash, lastValidBlockHeight }).add(...ixs);
      onProgress({ stage: "signing", lookupTable: step });
      const signedTable = await (signer as LegacySigner).signTransaction(tx);
      const sig = await connection.sendRawTransaction(signedTable.serialize(), { preflightCommitment: "confirmed", maxRetries: 3 });
      onProgress({ stage: "sent", signature: sig, lookupTable: step });
      const { err } = await pollConfirmation(connection, sig, lastValidBlockHeight);
      if (err) {
        const logs = await landedLogs(connection, sig);
        // (Not the InstructionError's JSON: its index would be read as one of the user's instructions.)
        throw Object.assign(new Error(`The lookup table's transaction ${sig} failed: ${JSON.stringify(err).replace(/InstructionError/g, "instruction error")}`), { logs });
      }
      return sig;
    },
    (step) => onProgress({ stage: "building", lookupTable: step }),
  );
}

/** The log lines of a transaction that landed (empty when the node cannot return them). */
async function landedLogs(connection: Connection, signature: string): Promise<string[]> {
  return connection
    .getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 })
    .then((t) => t?.meta?.logMessages ?? [])
    .catch(() => [] as string[]);
}

/** The log lines of a simulation of `signed` (empty when the simulation itself fails). */
async function simulatedLogs(connection: Connection, signed: Transaction | VersionedTransaction): Promise<string[]> {
  try {
    const tx = signed instanceof VersionedTransaction ? signed : VersionedTransaction.deserialize(signed.serialize());
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
