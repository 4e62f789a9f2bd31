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
  /** The obligation every "my position" page acts on (the wallet's number; 0 by default). */
  obligationId: number;
  selectObligation: (id: number) => void;
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
  const [obligationId, setObligationId] = useState(0);
  const obligationIdRef = useRef(0);
  obligationIdRef.current = obligationId;
  // Another wallet starts at its obligation number 0.
  const ownerKey = publicKey?.toBase58() ?? null;
  useEffect(() => setObligationId(0), [ownerKey]);

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
      const selected = obligationIdRef.current;
      const w = owner ? await loadWallet(connection, deployment, snap, owner, selected) : null;
      if (id < applied.current) return;
      applied.current = id;
      setSnapshot(snap);
      // A read for another wallet or another obligation than the one now selected is dropped.
      setWallet(owner && ownerRef.current?.equals(owner) && selected === obligationIdRef.current ? w : null);
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
  }, [refresh, publicKey, obligationId]);

  const selectObligation = useCallback((id: number) => {
    obligationIdRef.current = id;
    setObligationId(id);
    setWallet(null);
  }, []);

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
    obligationId,
    selectObligation,
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
