// The end-to-end test's world: its own local validator (sBPF program, --manual-clock) on a spare
// port, a market bootstrapped by `ballast-migrate`, the dApp built and served by `vite preview`
// with that deployment, and headless Debian Chromium driven by playwright-core. Everything it
// starts it stops (also on Ctrl-C).
import { spawn, execFileSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const APP = fileURLToPath(new URL("..", import.meta.url));
export const ROOT = join(APP, "..");
export const ARTIFACTS = process.env.E2E_ARTIFACTS ?? join(APP, "e2e", "artifacts");
const NODE_BIN = join(ROOT, "sbf/validator/target/release/ballast-validator");
const PROGRAM_SO = join(ROOT, "sbf/target/deploy/ballast.so");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
/** The machine's Chromium flags (plus a fresh --user-data-dir per browser, which Playwright passes). */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const children = new Set();
const tempDirs = [];

function stopAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  children.clear();
}
process.on("exit", stopAll);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopAll();
    process.exit(130);
  });
}

/**
 * A plain HTTP request without keep-alive (fetch's pooled sockets would hold the process open for
 * seconds after the last test). Resolves to { status, text }.
 */
export function http(url, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: body === undefined ? "GET" : "POST", agent: false, headers: body === undefined ? {} : { "content-type": "application/json" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Fails with the command that fixes it when the prebuilt binaries are missing. */
export function checkPrerequisites() {
  const missing = [NODE_BIN, PROGRAM_SO].filter((p) => !existsSync(p));
  if (missing.length) {
    throw new Error(`missing ${missing.map((p) => p.slice(ROOT.length + 1)).join(" and ")}: build them with \`bash scripts/build-sbf --node\` (app/scripts/e2e.sh does this)`);
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: \`apt-get install -y chromium chromium-driver\` (or set CHROMIUM=/path/to/chromium)`);
  }
  if (!existsSync(join(APP, "src/wasm/pkg/ballast_bg.wasm"))) {
    throw new Error("app/src/wasm/pkg/ballast_bg.wasm is missing: `npm run wasm` (app/scripts/e2e.sh does this)");
  }
}

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs() {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** `preferred` if nothing listens there, else a port the kernel picks. */
export async function sparePort(preferred) {
  const tryListen = (port) =>
    new Promise((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(null));
      server.listen(port, "127.0.0.1", () => {
        const { port: got } = server.address();
        server.close(() => resolve(got));
      });
    });
  return (preferred && (await tryListen(preferred))) || (await tryListen(0));
}

/** Starts a child in its own process group, output to artifacts/<name>.log. */
function start(name, cmd, args, options = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const logPath = join(ARTIFACTS, `${name}.log`);
  const log = createWriteStream(logPath);
  const child = spawn(cmd, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], ...options });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  children.add(child);
  child.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  child.exited.then(() => children.delete(child));
  child.logPath = logPath;
  return child;
}

export async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  let timer;
  const killed = await Promise.race([child.exited, new Promise((r) => (timer = setTimeout(() => r(null), 5000)))]);
  clearTimeout(timer);
  if (!killed) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
}

const tail = (path) => {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-15).join("\n");
  } catch {
    return "";
  }
};

/** Polls `probe` until it returns true; fails early if `child` exits. */
async function waitUntil(what, probe, child, timeoutMs) {
  const started = Date.now();
  for (;;) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${what}: the process exited (${child.exitCode ?? child.signalCode}); its log (${child.logPath}):\n${tail(child.logPath)}`);
    }
    try {
      if (await probe()) return;
    } catch {
      // not up yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s; log (${child?.logPath}):\n${tail(child?.logPath)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * `BALLAST_SKIP_BUILD=1 bash scripts/node --rpc-port <port> --ws-port <port + 1> --manual-clock`:
 * the local validator (surfpool); ready once it printed that the program is deployed and it
 * answers `getHealth`.
 */
export async function startNode(port) {
  const child = start("node", "bash", ["scripts/node", "--rpc-port", String(port), "--ws-port", String(port + 1), "--manual-clock"], {
    cwd: ROOT,
    env: { ...process.env, BALLAST_SKIP_BUILD: "1" },
  });
  const url = `http://127.0.0.1:${port}`;
  const healthy = async () => JSON.parse((await http(url, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth" }))).text).result === "ok";
  await waitUntil("ballast-validator", async () => tail(child.logPath).includes("deployed") && (await healthy()), child, 60_000);
  return { child, url };
}

/** `ballast-migrate <args>`: BALLAST_MIGRATE (a built binary) or `cargo run -p ballast-migrations`. */
export function migrate(args) {
  const bin = process.env.BALLAST_MIGRATE;
  const [cmd, pre] = bin ? [bin, []] : ["cargo", ["run", "--locked", "--quiet", "-p", "ballast-migrations", "--bin", "ballast-migrate", "--"]];
  try {
    return execFileSync(cmd, [...pre, ...args], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`ballast-migrate ${args[0]} failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

/** The demo market (migrations/local-market.toml) on the node; returns the deployment and its path. */
export function bootstrap(rpcUrl, dir) {
  const out = join(dir, "deployment.json");
  const log = migrate(["bootstrap", "--url", rpcUrl, "--config", "migrations/local-market.toml", "--keypair", join(dir, "authority.json"), "--out", out]);
  writeFileSync(join(ARTIFACTS, "bootstrap.log"), log);
  return { deployment: JSON.parse(readFileSync(out, "utf8")), path: out };
}

/** `vite build` into `outDir` (the wasm must be built), then the deployment beside index.html. */
export function buildApp(outDir, deployment) {
  execFileSync(join(APP, "node_modules/.bin/vite"), ["build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"], { cwd: APP, stdio: ["ignore", "pipe", "inherit"] });
  writeFileSync(join(outDir, "deployment.json"), JSON.stringify(deployment, null, 2) + "\n");
}

/** `vite preview` of `outDir` on 127.0.0.1:<port>. */
export async function startPreview(outDir, port) {
  const child = start("preview", join(APP, "node_modules/.bin/vite"), ["preview", "--outDir", outDir, "--host", "127.0.0.1", "--port", String(port), "--strictPort"], { cwd: APP });
  const url = `http://127.0.0.1:${port}/`;
  await waitUntil("vite preview", async () => (await http(`${url}deployment.json`)).status === 200, child, 30_000);
  return { child, url };
}

/** A headless Chromium with a fresh profile (its own localStorage, hence its own burner). */
export async function launchBrowser(name, viewport = { width: 1280, height: 900 }) {
  const profile = tempDir(`ballast-e2e-${name}-`);
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  const log = createWriteStream(join(ARTIFACTS, `browser-${name}.log`));
  page.on("console", (m) => {
    log.write(`${m.type()}: ${m.text()}\n`);
  });
  page.on("pageerror", (e) => {
    errors.push(e.message);
    log.write(`pageerror: ${e.message}\n`);
  });
  return { context, page, errors };
}

/** A JSON-RPC call to the node. */
export async function rpc(url, method, params) {
  const body = JSON.parse((await http(url, JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }))).text);
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

const OBLIGATION_SIZE = 1104;
const POSITIONS_OFFSET = 8 + 32 + 32; // discriminator, market, owner
const POSITION_SIZE = 32 + 8 + 16; // reserve, supply_shares (u64), debt_shares (Wad, 16 bytes LE)
const POSITION_COUNT_OFFSET = POSITIONS_OFFSET + 16 * POSITION_SIZE;

/** An obligation's positions read straight from the chain (layout as in src/idl/ballast.json). */
export async function obligationPositions(url, key) {
  const info = await rpc(url, "getAccountInfo", [key, { encoding: "base64", commitment: "confirmed" }]);
  if (!info?.value) throw new Error(`obligation ${key} not found`);
  const data = Buffer.from(info.value.data[0], "base64");
  if (data.length !== OBLIGATION_SIZE) throw new Error(`obligation ${key}: ${data.length} bytes`);
  const { PublicKey } = await import("@solana/web3.js");
  const positions = [];
  for (let i = 0; i < data[POSITION_COUNT_OFFSET]; i++) {
    const o = POSITIONS_OFFSET + i * POSITION_SIZE;
    positions.push({
      reserve: new PublicKey(data.subarray(o, o + 32)).toBase58(),
      supplyShares: data.readBigUInt64LE(o + 32),
      debtShares: data.readBigUInt64LE(o + 40) + (data.readBigUInt64LE(o + 48) << 64n),
    });
  }
  return positions;
}
