import { describe, expect, it } from "vitest";
import { healthSeries, historyRows } from "./shape";
import { fetchObligationEvents, fetchObligationHistory, indexerUrl, type IndexerHistoryEntry } from "../client/indexer";

const SOL = "So1Reserve11111111111111111111111111111111";
const USDC = "UsdcReserve1111111111111111111111111111111";
const reserves = { [SOL]: { symbol: "SOL", decimals: 9 }, [USDC]: { symbol: "USDC", decimals: 6 } };
const W = 10n ** 18n;

/** Entries exactly as indexer/src/api.rs writes them (64- and 128-bit integers as decimal strings). */
function entry(id: number, name: string, reserveKeys: string[], data: Record<string, number | string>, health?: [string, number | null, number | null]): IndexerHistoryEntry {
  const pair = (hf: number | null) => (hf === null ? null : { weighted_collateral: "0", weighted_debt: "0", health_factor: hf });
  return {
    id,
    signature: `sig${id}`,
    event_index: 0,
    slot: 100 + id,
    block_time: 1_700_000_000 + id * 60,
    name,
    reserves: reserveKeys,
    amounts: data,
    health_kind: (health?.[0] as "initial" | "maintenance") ?? null,
    health_before: health ? pair(health[1]) : null,
    health_after: health ? pair(health[2]) : null,
    data: { obligation: "Ob", ...data },
  };
}

const history: IndexerHistoryEntry[] = [
  entry(1, "DepositEvent", [SOL], { amount: "10000000000", supply_shares_minted: "9999999999" }),
  entry(2, "BorrowEvent", [USDC], { amount: "500000000", debt_shares_added: "500000000000000000000000000" }, ["initial", null, 2.0]),
  entry(3, "RepayEvent", [USDC], { amount: "200000000", debt_shares_burned: "1" }),
  entry(4, "WithdrawEvent", [SOL], { amount: "2000000000", supply_shares_burned: "1" }, ["initial", null, 1.5]),
  entry(
    5,
    "LiquidateEvent",
    [USDC, SOL],
    { repay_amount: "150000000", collateral_to_liquidator: "2187500000", debt_price: (W).toString(), collateral_price: (72n * W).toString(), bonus_bps: 500 },
    ["maintenance", 0.92, 1.04],
  ),
  entry(6, "BorrowEvent", [USDC], { amount: "1", debt_shares_added: "1" }, ["initial", null, null]),
];

describe("event history -> table rows", () => {
  const rows = historyRows(history, reserves);

  it("gives every action its amount in token units with the reserve's decimals", () => {
    expect(rows.map((r) => r.kind)).toEqual(["Deposit", "Borrow", "Repay", "Withdraw", "Liquidation", "Borrow"]);
    expect(rows[0].amounts).toEqual([{ label: "deposited", symbol: "SOL", raw: "10000000000", text: "10" }]);
    expect(rows[1].amounts[0]).toMatchObject({ label: "borrowed", symbol: "USDC", text: "500" });
    expect(rows[2].amounts[0]).toMatchObject({ label: "repaid", text: "200" });
    expect(rows[3].amounts[0]).toMatchObject({ label: "withdrawn", symbol: "SOL", text: "2" });
    expect(rows[0].time).toBe("2023-11-14T22:14:20Z");
    expect(rows[0].slot).toBe(101);
  });

  it("names a liquidation's repaid debt, seized collateral and the prices it used", () => {
    const liquidation = rows[4];
    expect(liquidation.amounts).toEqual([
      { label: "repaid", symbol: "USDC", raw: "150000000", text: "150" },
      { label: "seized", symbol: "SOL", raw: "2187500000", text: "2.1875" },
    ]);
    expect(liquidation.prices).toEqual([
      { symbol: "USDC", wad: W.toString(), text: "$1.00" },
      { symbol: "SOL", wad: (72n * W).toString(), text: "$72.00" },
    ]);
    expect([liquidation.healthKind, liquidation.healthBefore, liquidation.healthAfter]).toEqual(["maintenance", 0.92, 1.04]);
    expect(rows[0].prices).toEqual([]);
  });

  it("keeps an unknown reserve's amount in base units", () => {
    const [row] = historyRows([entry(9, "DepositEvent", ["Unknown1111"], { amount: "42" })], reserves);
    expect(row.amounts[0]).toMatchObject({ symbol: "Unkn", text: "42" });
  });

  it("keeps amounts above 2^53 exact (the indexer writes u64 as strings)", () => {
    const [row] = historyRows([entry(10, "DepositEvent", [SOL], { amount: "18446744073709551615" })], reserves);
    expect(row.amounts[0]).toMatchObject({ raw: "18446744073709551615", text: "18,446,744,073.709551" });
  });
});

describe("event history -> health-factor chart", () => {
  it("plots each reported health in order, before and after a liquidation, by kind", () => {
    const series = healthSeries(historyRows(history, reserves));
    expect(series.labels).toEqual([
      "#2 Borrow 22:15:20",
      "#4 Withdraw 22:17:20",
      "#5 Liquidation (before) 22:18:20",
      "#5 Liquidation 22:18:20",
    ]);
    expect(series.initial).toEqual([2.0, 1.5, null, null]);
    expect(series.maintenance).toEqual([null, null, 0.92, 1.04]);
  });

  it("keeps a health without debt as Infinity (a liquidation that cleared the debt)", () => {
    const cleared = entry(7, "LiquidateEvent", [USDC, SOL], { repay_amount: 1, collateral_to_liquidator: 1, debt_price: "1", collateral_price: "1" }, ["maintenance", 0.5, 1]);
    cleared.health_after = { weighted_collateral: "5", weighted_debt: "0", health_factor: null };
    const [row] = historyRows([cleared], reserves);
    expect([row.healthBefore, row.healthAfter]).toEqual([0.5, Infinity]);
    expect(healthSeries([row]).maintenance).toEqual([0.5, Infinity]);
  });

  it("is empty for a history without health", () => {
    expect(healthSeries(historyRows(history.slice(0, 1), reserves))).toEqual({ labels: [], maintenance: [], initial: [] });
  });
});

describe("indexer client", () => {
  it("takes the URL from ?indexer= (address or hash query), else the deployment", () => {
    expect(indexerUrl({ indexerUrl: "http://idx:8950/" }, { search: "", hash: "#/history" })).toBe("http://idx:8950");
    expect(indexerUrl({ indexerUrl: "http://idx:8950" }, { search: "?indexer=http://other:1", hash: "" })).toBe("http://other:1");
    expect(indexerUrl({}, { search: "", hash: "#/history?indexer=http%3A%2F%2F127.0.0.1%3A9000" })).toBe("http://127.0.0.1:9000");
    expect(indexerUrl({}, { search: "", hash: "#/history" })).toBeNull();
  });

  it("reads the history and pages through the events", async () => {
    const asked: string[] = [];
    const fake = (async (url: string) => {
      asked.push(url);
      const body = url.includes("/history")
        ? { obligation: "Ob", events: history }
        : url.includes("before=7")
          ? { events: [{ id: 6 }], next_cursor: null }
          : { events: [{ id: 8 }, { id: 7 }], next_cursor: 7 };
      return new Response(JSON.stringify(body), { status: 200 });
    }) as typeof fetch;
    expect((await fetchObligationHistory("http://idx", "Ob", fake)).events).toHaveLength(6);
    expect((await fetchObligationEvents("http://idx", "Ob", fake, 2)).map((e) => e.id)).toEqual([8, 7, 6]);
    expect(asked).toEqual(["http://idx/obligations/Ob/history", "http://idx/events?obligation=Ob&limit=2", "http://idx/events?obligation=Ob&limit=2&before=7"]);
  });

  it("names the indexer's error", async () => {
    const fake = (async () => new Response(JSON.stringify({ error: "not a public key: x" }), { status: 400 })) as unknown as typeof fetch;
    await expect(fetchObligationHistory("http://idx", "x", fake)).rejects.toThrow(/400: not a public key/);
    const down = (async () => {
      throw new TypeError("fetch failed");
    }) as unknown as typeof fetch;
    await expect(fetchObligationHistory("http://idx", "x", down)).rejects.toThrow(/Cannot reach the indexer/);
  });
});
