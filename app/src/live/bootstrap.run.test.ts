// Not a test: bootstraps a demo market on a local node and writes its deployment.json, for
// development and end-to-end runs before `ballast-migrate bootstrap` is available:
//   BALLAST_BOOTSTRAP_RPC=http://127.0.0.1:8899 BALLAST_BOOTSTRAP_OUT=public/deployment.json \
//     npx vitest run src/live/bootstrap.run.test.ts
import { it } from "vitest";
import { writeFileSync } from "node:fs";
import { Connection } from "@solana/web3.js";
import { bootstrapMarket } from "./bootstrap";

const RPC = process.env.BALLAST_BOOTSTRAP_RPC;
const OUT = process.env.BALLAST_BOOTSTRAP_OUT;

it.skipIf(!RPC || !OUT)("bootstrap a demo market and write deployment.json", async () => {
  const { deployment, feeds } = await bootstrapMarket(new Connection(RPC!, "confirmed"), RPC!);
  const feedIds = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, Buffer.from(v).toString("hex")]));
  writeFileSync(OUT!, JSON.stringify({ ...deployment, feedIds }, null, 2) + "\n");
}, 120_000);
