// Every failure as a sentence: the program's named errors (from the IDL's `errors`), Anchor's
// framework errors, SPL Token and System program errors, transaction-level and wallet errors.
import { LangErrorMessage } from "@anchor-lang/core";
import idlJson from "../idl/ballast.json";

interface IdlErrorEntry {
  code: number;
  name: string;
  msg?: string;
}

const IDL_ERRORS: IdlErrorEntry[] = (idlJson as unknown as { errors?: IdlErrorEntry[] }).errors ?? [];
const BY_CODE = new Map(IDL_ERRORS.map((e) => [e.code, e]));
const BY_NAME = new Map(IDL_ERRORS.map((e) => [e.name, e]));

export const TOKEN_PROGRAM_ID = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
export const TOKEN_2022_PROGRAM_ID = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
export const SYSTEM_PROGRAM_ID = "11111111111111111111111111111111";

/** SPL Token (and Token-2022) `TokenError`, by index. */
export const TOKEN_ERRORS: string[] = [
  "The token account would fall below rent exemption",
  "Insufficient token balance for this transfer",
  "Invalid mint",
  "The token account is for a different mint",
  "The token account belongs to someone else",
  "This token has a fixed supply",
  "The token account is already in use",
  "Invalid number of provided signers",
  "Invalid number of required signers",
  "The token account does not exist (not initialized)",
  "Native tokens are not supported here",
  "A non-native account cannot hold a balance here",
  "Invalid token instruction",
  "Invalid token account state",
  "Token amount overflow",
  "Authority type not supported",
  "This mint cannot freeze accounts",
  "The token account is frozen",
  "The mint decimals do not match",
  "Non-native tokens are not supported here",
];

/** System program errors, by index. */
export const SYSTEM_ERRORS: string[] = [
  "The account already exists",
  "Not enough SOL in the paying account",
  "Cannot assign the account to an invalid program",
  "Invalid account data length",
  "Account data too large",
  "The account is not owned by the System program",
  "Address mismatch with the seeds",
  "Nonce: no recent blockhashes",
  "Nonce: blockhash not expired",
  "Nonce: unexpected blockhash value",
];

/**
 * Plain words for the program's errors where the IDL's sentence speaks to developers (instruction
 * names, config fields): several obligations, the collateral switch, flash loans, minimum debt,
 * outflow limits and the treasury. Preferred over the IDL's message wherever a name is shown.
 */
export const PLAIN_WORDS: Record<string, string> = {
  DebtBelowMinimum: "This would leave a debt smaller than the market's minimum debt: repay all of it, or leave more",
  InvalidMinDebt: "The market's minimum debt is set too high (above $1,000,000)",
  OutflowLimitExceeded: "Too much has left this reserve recently (its outflow limit): try a smaller amount, or again later",
  InvalidOutflowLimit: "The reserve's outflow limit needs a window between 1 second and 7 days",
  FeesExceedAccrued: "That is more than the protocol fees this reserve has earned",
  InsuranceBelowFloor: "That would take the reserve's insurance fund below its floor",
  ReserveHasDeficit: "This reserve has written off bad debt: its insurance fund stays for its depositors",
  FeeReceiverMismatch: "The destination is not a token account of the market's fee receiver",
  InvalidFlashLoanFee: "The flash-loan fee is set too high (above 10%)",
  FlashLoansDisabled: "This asset does not lend flash loans, so repaying with collateral is not available for it",
  FlashLoanCpi: "A flash loan must be taken and repaid by the transaction itself, not from inside another program",
  FlashRepayMissing: "A flash loan must be repaid later in the same transaction",
  FlashRepayAmountMismatch: "The flash loan must be repaid with exactly the amount borrowed (the fee is added on top)",
  FlashLoanActive: "This asset already has a flash loan open in this transaction",
  FlashLoanNotActive: "There is no open flash loan of this asset to repay",
  DepositNotCollateral: "That deposit is switched off as collateral: it cannot be seized",
  InvalidObligationId: "Further obligations are numbered 1 to 255 (number 0 is your first one)",
};

/** Names the wasm preview reports that are not program errors. */
const EXTRA_NAMES: Record<string, string> = {
  TokenInsufficientFunds: "Your token balance is too low for this amount",
  UnknownReserve: "This reserve is not part of the loaded market",
};

/** Friendlier words for Anchor framework errors a user can hit. */
const LANG_OVERRIDES: Record<number, string> = {
  3012: "A required account does not exist yet (for example your token account: use “Get test tokens”, or create the obligation first)",
  2006: "An account address does not match its seeds",
  3007: "An account is owned by a different program than expected",
};

export interface ExplainedError {
  /** The sentence to show. */
  message: string;
  /** The program error's name, when known (e.g. `InitialHealthNegative`). */
  name?: string;
  code?: number;
  /** Program that failed, when known. */
  program?: string;
  /** Raw text, for a details toggle. */
  raw: string;
  /** The transaction's log lines (simulation or the failed transaction), when there are some. */
  logs?: string[];
}

/** The message for a program error name (from the IDL) or a preview-only name. */
export function messageForName(name: string): string {
  return PLAIN_WORDS[name] ?? BY_NAME.get(name)?.msg ?? EXTRA_NAMES[name] ?? name;
}

/** The sentence for a program error entry: plain words when there are some, else the IDL's. */
function programMessage(entry: IdlErrorEntry): string {
  return PLAIN_WORDS[entry.name] ?? entry.msg ?? entry.name;
}

/** The message for a custom error `code` raised by `program` (default: Ballast). */
export function messageForCode(code: number, program?: string, ballastProgramId?: string): { message: string; name?: string } {
  if (program === TOKEN_PROGRAM_ID || program === TOKEN_2022_PROGRAM_ID) {
    return { message: TOKEN_ERRORS[code] ?? `Token program error ${code}`, name: `TokenError${code}` };
  }
  if (program === SYSTEM_PROGRAM_ID) {
    return { message: SYSTEM_ERRORS[code] ?? `System program error ${code}` };
  }
  if (!program || program === ballastProgramId || code >= 6000) {
    const entry = BY_CODE.get(code);
    if (entry) return { message: programMessage(entry), name: entry.name };
  }
  const lang = LANG_OVERRIDES[code] ?? LangErrorMessage.get(code);
  if (lang) return { message: lang };
  return { message: `Program error ${code}` };
}

function textOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === "string") return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/**
 * Explains a failure from any layer. `logs` are the transaction's program logs when the caller
 * has them (simulation or confirmed-failed transaction); `programIds` the instructions' programs
 * in order (to attribute an `InstructionError`).
 */
export function explainError(err: unknown, logs: string[] = [], programIds: string[] = [], ballastProgramId?: string): ExplainedError {
  const explained = explainWithoutLogs(err, logs, programIds, ballastProgramId);
  const allLogs = [...new Set([...logs, ...(((err as { logs?: string[] })?.logs ?? []) as string[])])];
  return allLogs.length > 0 ? { ...explained, logs: allLogs } : explained;
}

function explainWithoutLogs(err: unknown, logs: string[], programIds: string[], ballastProgramId?: string): ExplainedError {
  const raw = textOf(err);
  const allLogs = [...logs, ...(((err as { logs?: string[] })?.logs ?? []) as string[])];
  const joined = `${raw}\n${allLogs.join("\n")}`;

  // Wallet: the user said no.
  const errName = (err as { name?: string })?.name ?? "";
  if (/rejected|denied|cancel/i.test(raw) && (/Wallet/.test(errName) || /user/i.test(raw))) {
    return { message: "You rejected the request in your wallet", raw };
  }
  // Anchor's own log line names the error.
  const anchor = /Error Code: (\w+)\. Error Number: (\d+)\. Error Message: ([^\n]*)/.exec(joined);
  if (anchor) {
    const code = Number(anchor[2]);
    const entry = BY_CODE.get(code);
    return { message: entry ? programMessage(entry) : anchor[3].replace(/\.$/, ""), name: anchor[1], code, program: ballastProgramId, raw };
  }
  // "Program X failed: custom program error: 0x1771"
  const failed = /Program (\w+) failed: custom program error: 0x([0-9a-f]+)/i.exec(joined);
  if (failed) {
    const code = parseInt(failed[2], 16);
    return { ...messageForCode(code, failed[1], ballastProgramId), code, program: failed[1], raw };
  }
  // An InstructionError object: {"InstructionError":[index,{"Custom":n}]}
  const ixErr = /"InstructionError":\[(\d+),\{"Custom":(\d+)\}\]/.exec(joined) ?? /InstructionError.*?(\d+).*?Custom.*?(\d+)/.exec(joined);
  if (ixErr) {
    const code = Number(ixErr[2]);
    const program = programIds[Number(ixErr[1])];
    return { ...messageForCode(code, program, ballastProgramId), code, program, raw };
  }
  const custom = /custom program error: 0x([0-9a-f]+)/i.exec(joined);
  if (custom) {
    const code = parseInt(custom[1], 16);
    return { ...messageForCode(code, undefined, ballastProgramId), code, raw };
  }
  if (/insufficient funds|insufficient lamports/i.test(joined)) {
    return { message: "Not enough SOL or tokens for this transaction", raw };
  }
  if (/no record of a prior credit|AccountNotFound/i.test(joined)) {
    return { message: "Your wallet has no SOL to pay the fee: request an airdrop (local cluster) or fund it", raw };
  }
  if (/InsufficientFundsForFee/i.test(joined)) {
    return { message: "Not enough SOL to pay the transaction fee", raw };
  }
  if (/Blockhash not found|BlockhashNotFound|block height exceeded|expired/i.test(joined)) {
    return { message: "The transaction expired before it was confirmed: try again", raw };
  }
  if (/Failed to fetch|NetworkError|ECONNREFUSED|fetch failed/i.test(joined)) {
    return { message: "Cannot reach the Solana RPC node", raw };
  }
  if (/Wallet not connected|WalletNotConnected/i.test(joined)) {
    return { message: "Connect a wallet first", raw };
  }
  return { message: raw.split("\n")[0] || "Unknown error", raw };
}
