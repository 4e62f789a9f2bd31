import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Buffer } from "buffer";
import { decodeAccount, encodeAccount } from "./accounts";
import { coder, OBLIGATION_SIZE, RESERVE_SIZE } from "./program";

// Accounts written by the program's own types (crates/ballast-wasm/tests/differential.rs).
const fixture = JSON.parse(readFileSync(new URL("../../../crates/ballast-wasm/tests/fixtures/market.json", import.meta.url), "utf8"));
const bytes = (b64: string) => Buffer.from(b64, "base64");

describe("account decoding with the IDL", () => {
  it("sizes match the program's layouts", () => {
    expect(coder.accounts.size("reserve")).toBe(RESERVE_SIZE);
    expect(coder.accounts.size("obligation")).toBe(OBLIGATION_SIZE);
    expect(bytes(fixture.reserves[0].data).length).toBe(RESERVE_SIZE);
    expect(bytes(fixture.obligations[0].data).length).toBe(OBLIGATION_SIZE);
  });

  it("Reserve (zero-copy) and Market (borsh) round-trip byte for byte", async () => {
    for (const r of fixture.reserves) {
      const data = bytes(r.data);
      const decoded = decodeAccount("reserve", data);
      expect((await encodeAccount("reserve", decoded)).equals(data)).toBe(true);
    }
    const market = bytes(fixture.market);
    expect((await encodeAccount("market", decodeAccount("market", market))).equals(market)).toBe(true);
  });

  it("Obligation (zero-copy) decodes its positions", () => {
    type Key = { toBase58(): string };
    const o = decodeAccount("obligation", bytes(fixture.obligations[2].data)) as {
      market: Key;
      positionCount: number;
      positions: { reserve: Key; supplyShares: { toString(): string }; debtShares: number[] }[];
    };
    expect(o.market.toBase58()).toBe(fixture.marketKey);
    expect(o.positionCount).toBe(3);
    expect(o.positions).toHaveLength(16);
    expect(o.positions.slice(0, 3).map((p) => p.reserve.toBase58())).toEqual([fixture.reserves[1].key, fixture.reserves[2].key, fixture.reserves[0].key]);
    // A stored Wad: 16 little-endian bytes.
    const debtShares = o.positions[1].debtShares.reduceRight((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
    expect(debtShares > 0n).toBe(true);
    expect(o.positions[1].supplyShares.toString()).toBe("0");
  });

  it("rejects another account type", () => {
    expect(() => decodeAccount("obligation", bytes(fixture.reserves[0].data))).toThrow();
  });
});
