// The live test's market comes from the one bootstrap, `ballast-migrate` (migrations/): a fresh
// market from migrations/local-market.toml on the node under test, and `set-price` to move prices.
// BALLAST_MIGRATE may name a built binary (app/scripts/e2e.sh passes target/debug/ballast-migrate);
// otherwise `cargo run -p ballast-migrations` builds and runs it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDeployment, type Deployment } from "../client/config";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

function migrate(args: string[]): string {
  const bin = process.env.BALLAST_MIGRATE;
  const [cmd, pre] = bin ? [bin, []] : ["cargo", ["run", "--locked", "--quiet", "-p", "ballast-migrations", "--bin", "ballast-migrate", "--"]];
  try {
    return execFileSync(cmd, [...pre, ...args], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`ballast-migrate ${args[0]} failed: ${err.message}\n${err.stdout ?? ""}${err.stderr ?? ""}`);
  }
}

export interface Bootstrapped {
  deployment: Deployment;
  /** The deployment file (for `set-price`). */
  path: string;
}

/** `ballast-migrate bootstrap` of the demo market into a fresh temporary directory. */
export function bootstrap(rpcUrl: string): Bootstrapped {
  const dir = mkdtempSync(join(tmpdir(), "ballast-live-"));
  const path = join(dir, "deployment.json");
  migrate(["bootstrap", "--url", rpcUrl, "--config", "migrations/local-market.toml", "--keypair", join(dir, "authority.json"), "--out", path]);
  return { deployment: parseDeployment(JSON.parse(readFileSync(path, "utf8"))), path };
}

/** `ballast-migrate set-price`: the reserve's Pyth account rewritten at `usd`, published at the node's clock. */
export function setPrice(rpcUrl: string, deploymentPath: string, symbol: string, usd: number): void {
  migrate(["set-price", "--url", rpcUrl, "--deployment", deploymentPath, "--symbol", symbol, "--price", String(usd)]);
}
