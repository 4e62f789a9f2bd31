import { describe, expect, it } from "vitest";
import idl from "../idl/ballast.json";
import { explainError, messageForCode, messageForName, PLAIN_WORDS, TOKEN_PROGRAM_ID } from "./errors";

const PROGRAM = (idl as { address: string }).address;
const errors = (idl as unknown as { errors: { code: number; name: string; msg: string }[] }).errors;
const byName = (name: string) => errors.find((e) => e.name === name)!;

describe("error mapping", () => {
  it("every program error in the IDL has a message, codes from 6000", () => {
    expect(errors.length).toBeGreaterThan(50);
    errors.forEach((e, i) => {
      expect(e.code).toBe(6000 + i);
      expect(e.msg.length).toBeGreaterThan(5);
    });
  });
  it("maps names (wasm previews) and codes (chain) to the IDL's messages", () => {
    const e = byName("InitialHealthNegative");
    expect(messageForName("InitialHealthNegative")).toBe(e.msg);
    expect(messageForCode(e.code, PROGRAM, PROGRAM)).toEqual({ message: e.msg, name: "InitialHealthNegative" });
    expect(messageForName("TokenInsufficientFunds")).toMatch(/balance is too low/);
  });
  it("the errors of several obligations, the collateral switch and flash loans have plain words, by name and by code", () => {
    const added = ["DebtBelowMinimum", "InvalidMinDebt", "OutflowLimitExceeded", "InvalidOutflowLimit", "FeesExceedAccrued", "InsuranceBelowFloor", "ReserveHasDeficit", "FeeReceiverMismatch", "InvalidFlashLoanFee", "FlashLoansDisabled", "FlashLoanCpi", "FlashRepayMissing", "FlashRepayAmountMismatch", "FlashLoanActive", "FlashLoanNotActive", "DepositNotCollateral", "InvalidObligationId"];
    expect(Object.keys(PLAIN_WORDS).sort()).toEqual([...added].sort());
    for (const name of added) {
      const e = byName(name);
      expect(e, name).toBeDefined();
      expect(messageForName(name)).toBe(PLAIN_WORDS[name]);
      expect(messageForName(name)).not.toMatch(/_/); // no instruction or field names
      expect(messageForCode(e.code, PROGRAM, PROGRAM)).toEqual({ message: PLAIN_WORDS[name], name });
    }
    const e = byName("FlashLoansDisabled");
    const logs = [`Program log: AnchorError occurred. Error Code: FlashLoansDisabled. Error Number: ${e.code}. Error Message: ${e.msg}.`];
    expect(explainError(new Error("x"), logs, [PROGRAM], PROGRAM).message).toBe(PLAIN_WORDS.FlashLoansDisabled);
  });

  it("reads Anchor's error log line", () => {
    const e = byName("InitialHealthNegative");
    const logs = [
      `Program ${PROGRAM} invoke [1]`,
      `Program log: AnchorError thrown in programs/ballast/src/health.rs:112. Error Code: InitialHealthNegative. Error Number: ${e.code}. Error Message: ${e.msg}.`,
      `Program ${PROGRAM} failed: custom program error: 0x${e.code.toString(16)}`,
    ];
    const explained = explainError(new Error("Simulation failed"), logs, [PROGRAM], PROGRAM);
    expect(explained.name).toBe("InitialHealthNegative");
    expect(explained.message).toBe(e.msg);
    // The log lines travel with the explanation (the UI shows them), once each, in order.
    expect(explained.logs).toEqual(logs);
    const withBoth = explainError(Object.assign(new Error("Simulation failed"), { logs }), logs, [PROGRAM], PROGRAM);
    expect(withBoth.logs).toEqual(logs);
    expect(explainError(new Error("Failed to fetch")).logs).toBeUndefined();
  });
  it("reads a failed program's custom error, attributing SPL Token errors", () => {
    const logs = [`Program ${TOKEN_PROGRAM_ID} failed: custom program error: 0x1`];
    expect(explainError(new Error("x"), logs).message).toMatch(/Insufficient token balance/);
    const ballast = byName("PriceStale");
    expect(explainError(new Error(`custom program error: 0x${ballast.code.toString(16)}`)).message).toBe(ballast.msg);
  });
  it("reads an InstructionError status", () => {
    const code = byName("ObligationHealthy").code;
    const explained = explainError({ err: { InstructionError: [1, { Custom: code }] } }, [], [TOKEN_PROGRAM_ID, PROGRAM], PROGRAM);
    expect(explained.name).toBe("ObligationHealthy");
    const token = explainError({ err: { InstructionError: [0, { Custom: 1 }] } }, [], [TOKEN_PROGRAM_ID, PROGRAM], PROGRAM);
    expect(token.message).toMatch(/Insufficient token balance/);
  });
  it("anchor framework, wallet and transport errors", () => {
    expect(messageForCode(3012).message).toMatch(/does not exist/);
    expect(messageForCode(2003).message.length).toBeGreaterThan(3);
    const rejected = Object.assign(new Error("User rejected the request."), { name: "WalletSignTransactionError" });
    expect(explainError(rejected).message).toBe("You rejected the request in your wallet");
    expect(explainError(new Error("Attempt to debit an account but found no record of a prior credit.")).message).toMatch(/no SOL/);
    expect(explainError(new TypeError("Failed to fetch")).message).toMatch(/Cannot reach/);
  });
});
