import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { Connection, PublicKey } from "@solana/web3.js";
import { useConnection, useWallet } from "@solana/wallet-adapter-react";
import type { Deployment } from "../client/config";
import { isLocalCluster, resolveRpcUrl } from "../client/config";
import { loadMarket, loadWallet, type MarketSnapshot, type Wallet } from "../client/chain";
import { ballastProgram } from "../client/program";
import { Instructions } from "../client/instructions";
import type { BallastWasm } from "../wasm/core";
import { overview, obligationView, type ObligationOut, type ReserveOverview } from "../wasm/api";
import { explainError } from "../client/errors";

export interface BallastState {
  deployment: Deployment;
  rpcUrl: string;
  local: boolean;
  connection: Connection;
  wasm: BallastWasm;
  ix: Instructions;
  snapshot: MarketSnapshot | null;
  overview: ReserveOverview[] | null;
  wallet: Wallet | null;
  position: ObligationOut | null;
  loadError: string | null;
  loading: boolean;
  refresh: () => Promise<void>;
  owner: PublicKey | null;
}

const Ctx = createContext<BallastState | null>(null);

export function useBallast(): BallastState {
  const value = useContext(Ctx);
  if (!value) throw new Error("useBallast outside BallastProvider");
  return value;
}

const POLL_MS = 4000;

export function BallastProvider({ deployment, wasm, children }: { deployment: Deployment; wasm: BallastWasm; children: ReactNode }) {
  const { connection } = useConnection();
  const { publicKey } = useWallet();
  const rpcUrl = resolveRpcUrl(deployment.rpcUrl);
  const [snapshot, setSnapshot] = useState<MarketSnapshot | null>(null);
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const ownerRef = useRef<PublicKey | null>(null);
  ownerRef.current = publicKey;

  const ix = useMemo(
    () => new Instructions(ballastProgram(connection, new PublicKey(deployment.programId)), new PublicKey(deployment.market)),
    [connection, deployment],
  );

  // A slow poll that started before a transaction must not overwrite a newer read.
  const started = useRef(0);
  const applied = useRef(0);
  const refresh = useCallback(async () => {
    const id = ++started.current;
    try {
      const snap = await loadMarket(connection, deployment);
      const owner = ownerRef.current;
      const w = owner ? await loadWallet(connection, deployment, snap, owner) : null;
      if (id < applied.current) return;
      applied.current = id;
      setSnapshot(snap);
      setWallet(owner && ownerRef.current?.equals(owner) ? w : null);
      setLoadError(null);
    } catch (e) {
      setLoadError(explainError(e).message);
    } finally {
      setLoading(false);
    }
  }, [connection, deployment]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh, publicKey]);

  const reserveOverview = useMemo(() => (snapshot ? overview(wasm, snapshot.common) : null), [wasm, snapshot]);
  const position = useMemo(
    () => (snapshot && wallet ? obligationView(wasm, snapshot.common, wallet.obligation, wallet.owner.toBase58()) : null),
    [wasm, snapshot, wallet],
  );

  const value: BallastState = {
    deployment,
    rpcUrl,
    local: isLocalCluster(rpcUrl),
    connection,
    wasm,
    ix,
    snapshot,
    overview: reserveOverview,
    wallet,
    position,
    loadError,
    loading,
    refresh,
    owner: publicKey,
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
