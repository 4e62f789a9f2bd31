// The event indexer's HTTP API (indexer/src/api.rs, `ballast-indexer`): an obligation's event
// history for the History page. Optional: the dApp works without it. Its URL comes from
// `indexerUrl` in deployment.json, or `?indexer=<url>` in the page's address (which wins).
import type { Deployment } from "./config";

/** `{weighted_collateral, weighted_debt}` (USD Wads as decimal strings) and their ratio. */
export interface IndexerHealth {
  weighted_collateral: string;
  weighted_debt: string;
  /** weighted collateral / weighted debt; null without debt (infinite). */
  health_factor: number | null;
}

/** JSON numbers (u64 and smaller) or decimal strings (u128), as the indexer writes them. */
export type IndexerNumber = number | string;

/** What every stored event carries. */
interface IndexerEventBase {
  id: number;
  signature: string;
  event_index: number;
  slot: number;
  /** Unix seconds (null when the node did not say). */
  block_time: number | null;
  /** The event struct's name, e.g. `DepositEvent`. */
  name: string;
  /** The reserves the event names (a liquidation: repay reserve, collateral reserve). */
  reserves: string[];
  /** The whole event. */
  data: Record<string, IndexerNumber | boolean>;
}

/** One entry of `GET /obligations/<pubkey>/history` (oldest first). */
export interface IndexerHistoryEntry extends IndexerEventBase {
  /** Every field but the accounts and the weighted health. */
  amounts: Record<string, IndexerNumber | boolean>;
  /** "initial" (withdraw, borrow, ...) or "maintenance" (liquidation, liquidatable mark). */
  health_kind: "initial" | "maintenance" | null;
  health_before: IndexerHealth | null;
  health_after: IndexerHealth | null;
}

export interface IndexerHistory {
  obligation: string;
  events: IndexerHistoryEntry[];
}

/** One event of `GET /events?obligation=<pubkey>` (newest first, paged by `next_cursor`). */
export interface IndexerEvent extends IndexerEventBase {
  obligation: string | null;
}

export interface IndexerEventsPage {
  events: IndexerEvent[];
  next_cursor: number | null;
}

/** The indexer's base URL: `?indexer=` in the address, else the deployment's `indexerUrl`. */
export function indexerUrl(deployment: Pick<Deployment, "indexerUrl">, location: { search: string; hash: string } | undefined = globalThis.location): string | null {
  const fromQuery = (query: string) => new URLSearchParams(query).get("indexer");
  const hashQuery = location?.hash.includes("?") ? location.hash.slice(location.hash.indexOf("?")) : "";
  const url = (location && (fromQuery(location.search) ?? fromQuery(hashQuery))) || deployment.indexerUrl || null;
  return url ? url.replace(/\/+$/, "") : null;
}

async function getJson<T>(url: string, fetchImpl: typeof fetch): Promise<T> {
  let response: Response;
  try {
    response = await fetchImpl(url, { cache: "no-store" });
  } catch (e) {
    throw new Error(`Cannot reach the indexer at ${url}: ${(e as Error).message}`);
  }
  const body = (await response.json().catch(() => null)) as (T & { error?: string }) | null;
  if (!response.ok || body === null) throw new Error(`The indexer answered ${response.status}${body?.error ? `: ${body.error}` : ""}`);
  return body;
}

/** `GET /obligations/<pubkey>/history`. */
export function fetchObligationHistory(base: string, obligation: string, fetchImpl: typeof fetch = fetch): Promise<IndexerHistory> {
  return getJson<IndexerHistory>(`${base}/obligations/${obligation}/history`, fetchImpl);
}

/** `GET /events?obligation=<pubkey>`, every page (newest first). */
export async function fetchObligationEvents(base: string, obligation: string, fetchImpl: typeof fetch = fetch, limit = 200): Promise<IndexerEvent[]> {
  const events: IndexerEvent[] = [];
  let cursor: number | null = null;
  do {
    const page: IndexerEventsPage = await getJson<IndexerEventsPage>(
      `${base}/events?obligation=${obligation}&limit=${limit}${cursor !== null ? `&before=${cursor}` : ""}`,
      fetchImpl,
    );
    events.push(...page.events);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return events;
}
