import { describe, expect, it } from "vitest";
import { DeploymentError, isLocalCluster, parseDeployment, resolveRpcUrl } from "./config";

const good = {
  cluster: "localnet",
  rpcUrl: "http://127.0.0.1:8899",
  programId: "AxKxQ7pR8RKQDTo5BycZbrhA4qz2eDT5Y4gpNLBbW9A",
  market: "11111111111111111111111111111112",
  authority: "11111111111111111111111111111113",
  quoteCurrency: "USD",
  reserves: [
    {
      symbol: "SOL",
      mint: "So11111111111111111111111111111111111111112",
      decimals: 9,
      reserve: "11111111111111111111111111111114",
      vault: "11111111111111111111111111111115",
      oracle: "11111111111111111111111111111116",
      oracleKind: "pull",
      tokenProgram: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
    },
  ],
};

describe("deployment.json", () => {
  it("accepts the documented shape", () => {
    const d = parseDeployment(good);
    expect(d.reserves[0].symbol).toBe("SOL");
    expect(d.quoteCurrency).toBe("USD");
  });
  it("names the broken field", () => {
    expect(() => parseDeployment(null)).toThrow(DeploymentError);
    expect(() => parseDeployment({ ...good, market: "nope" })).toThrow(/market is not a public key/);
    expect(() => parseDeployment({ ...good, reserves: [] })).toThrow(/no reserves/);
    expect(() => parseDeployment({ ...good, reserves: [{ ...good.reserves[0], decimals: 19 }] })).toThrow(/decimals/);
    expect(() => parseDeployment({ ...good, rpcUrl: undefined })).toThrow(/rpcUrl/);
  });
  it("offers the burner only on a local cluster", () => {
    expect(isLocalCluster("http://127.0.0.1:8899")).toBe(true);
    expect(isLocalCluster("http://localhost:8899/")).toBe(true);
    expect(isLocalCluster(resolveRpcUrl("/rpc", "http://localhost:5173/#/markets"))).toBe(true);
    expect(isLocalCluster("https://api.devnet.solana.com")).toBe(false);
    expect(isLocalCluster("not a url")).toBe(false);
  });
});
