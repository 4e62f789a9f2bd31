// The deployment the dApp talks to: /deployment.json (app/public/deployment.json, written by
// `ballast-migrate bootstrap --out app/public/deployment.json`).
import { PublicKey } from "@solana/web3.js";

export interface ReserveConfig {
  symbol: string;
  mint: string;
  decimals: number;
  reserve: string;
  vault: string;
  oracle: string;
  oracleKind: string;
  tokenProgram: string;
}

export interface Deployment {
  cluster: string;
  rpcUrl: string;
  programId: string;
  market: string;
  authority?: string;
  quoteCurrency: string;
  reserves: ReserveConfig[];
  /** The event indexer's HTTP API (`ballast-indexer`), for the History page; optional. */
  indexerUrl?: string;
}

export class DeploymentError extends Error {}

function isKey(v: unknown): v is string {
  if (typeof v !== "string") return false;
  try {
    new PublicKey(v);
    return true;
  } catch {
    return false;
  }
}

/** Checks the shape of a parsed deployment.json; throws a DeploymentError naming the field. */
export function parseDeployment(value: unknown): Deployment {
  const fail = (what: string): never => {
    throw new DeploymentError(`deployment.json: ${what}`);
  };
  if (!value || typeof value !== "object") fail("not a JSON object");
  const d = value as Record<string, unknown>;
  if (typeof d.rpcUrl !== "string" || !d.rpcUrl) fail("missing rpcUrl");
  for (const k of ["programId", "market"]) if (!isKey(d[k])) fail(`${k} is not a public key`);
  if (!Array.isArray(d.reserves) || d.reserves.length === 0) fail("no reserves");
  const reserves = (d.reserves as unknown[]).map((r, i) => {
    const x = r as Record<string, unknown>;
    for (const k of ["mint", "reserve", "vault", "oracle", "tokenProgram"]) if (!isKey(x[k])) fail(`reserves[${i}].${k} is not a public key`);
    if (typeof x.symbol !== "string") fail(`reserves[${i}].symbol missing`);
    if (typeof x.decimals !== "number" || x.decimals < 0 || x.decimals > 18) fail(`reserves[${i}].decimals invalid`);
    return x as unknown as ReserveConfig;
  });
  return {
    cluster: typeof d.cluster === "string" ? d.cluster : "unknown",
    rpcUrl: d.rpcUrl as string,
    programId: d.programId as string,
    market: d.market as string,
    authority: typeof d.authority === "string" ? d.authority : undefined,
    quoteCurrency: typeof d.quoteCurrency === "string" ? d.quoteCurrency : "USD",
    reserves,
    indexerUrl: typeof d.indexerUrl === "string" && d.indexerUrl ? d.indexerUrl : undefined,
  };
}

/** The RPC URL, resolved against the page (a relative `/rpc` goes through the dev server's proxy). */
export function resolveRpcUrl(rpcUrl: string, base: string = globalThis.location?.href ?? "http://localhost/"): string {
  return new URL(rpcUrl, base).toString();
}

/** A local cluster: the burner wallet and the test-token faucet are offered only there. */
export function isLocalCluster(rpcUrl: string): boolean {
  try {
    const host = new URL(rpcUrl).hostname;
    return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host === "::1" || host.endsWith(".localhost");
  } catch {
    return false;
  }
}

export async function loadDeployment(url = `${import.meta.env?.BASE_URL ?? "/"}deployment.json`): Promise<Deployment> {
  let response: Response;
  try {
    response = await fetch(url, { cache: "no-store" });
  } catch (e) {
    throw new DeploymentError(`could not fetch ${url}: ${(e as Error).message}`);
  }
  if (!response.ok) {
    throw new DeploymentError(
      `${url} not found (HTTP ${response.status}). Bootstrap a market first: bash scripts/dapp (local node + market + this app), or ballast-migrate bootstrap --out app/public/deployment.json`,
    );
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new DeploymentError(`${url} is not valid JSON (is the file there? the dev server may have answered with index.html)`);
  }
  return parseDeployment(json);
}
