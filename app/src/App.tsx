import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { ConnectionProvider, WalletProvider, useWallet } from "@solana/wallet-adapter-react";
import { WalletModalProvider, WalletMultiButton } from "@solana/wallet-adapter-react-ui";
import type { Adapter } from "@solana/wallet-adapter-base";
import { isLocalCluster, loadDeployment, resolveRpcUrl, type Deployment } from "./client/config";
import { BurnerWalletAdapter, BurnerWalletName } from "./wallet/burner";
import { loadBallastWasm } from "./wasm/browser";
import type { BallastWasm } from "./wasm/core";
import { BallastProvider, useBallast } from "./state/context";
import { ErrorMessage, Loading } from "./components/common";
import { ObligationBar } from "./components/ObligationBar";
import { HealthAlertBanner } from "./components/HealthAlert";
import { Markets } from "./pages/Markets";
import { Position } from "./pages/Position";
import { Actions } from "./pages/Actions";
import { Liquidations } from "./pages/Liquidations";
import { getTestTokens } from "./client/chain";
import { explainError } from "./client/errors";
import { shortKey } from "./format";

// The Risk page and its charting library load on first visit (a separate chunk).
const Risk = lazy(() => import("./pages/Risk").then((m) => ({ default: m.Risk })));
// The History page (the event indexer's data, a Chart.js chart) likewise.
const History = lazy(() => import("./pages/History").then((m) => ({ default: m.History })));

const ROUTES = [
  { hash: "#/markets", label: "Markets", page: Markets },
  { hash: "#/position", label: "My position", page: Position },
  { hash: "#/actions", label: "Actions", page: Actions },
  { hash: "#/liquidations", label: "Liquidations", page: Liquidations },
  { hash: "#/risk", label: "Risk", page: Risk },
  { hash: "#/history", label: "History", page: History },
] as const;

function useHashRoute(): string {
  const [hash, setHash] = useState(() => window.location.hash || "#/markets");
  useEffect(() => {
    const onChange = () => setHash(window.location.hash || "#/markets");
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return hash;
}

function LocalTools() {
  const { local, connection, rpcUrl, snapshot, owner, refresh } = useBallast();
  const { select, wallet } = useWallet();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!local) return null;
  const burnerActive = wallet?.adapter.name === BurnerWalletName;
  const faucet = async () => {
    if (!owner || !snapshot) return;
    setError(null);
    setStatus("Requesting test SOL and tokens…");
    try {
      await getTestTokens(connection, rpcUrl, snapshot, owner);
      setStatus("Test tokens received");
      await refresh();
    } catch (e) {
      setStatus(null);
      setError(explainError(e).message);
    }
  };
  return (
    <div className="local-tools" aria-label="Local cluster tools">
      {!burnerActive ? (
        <button type="button" data-testid="connect-burner" onClick={() => select(BurnerWalletName)}>
          Use burner wallet
        </button>
      ) : (
        <button
          type="button"
          data-testid="burner-new"
          onClick={() => void (wallet?.adapter as BurnerWalletAdapter).renew()}
        >
          New burner
        </button>
      )}
      <button type="button" data-testid="get-test-tokens" onClick={faucet} disabled={!owner || !snapshot}>
        Get test tokens
      </button>
      {status ? (
        <span className="muted small" data-testid="faucet-status" role="status">
          {status}
        </span>
      ) : null}
      <ErrorMessage error={error} testid="faucet-error" />
    </div>
  );
}

function Shell() {
  const route = useHashRoute();
  const { deployment, owner, loadError, local } = useBallast();
  // A query after the route (`#/history?indexer=...`) keeps the page.
  const current = ROUTES.find((r) => r.hash === route.split("?")[0]) ?? ROUTES[0];
  const Page = current.page;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header>
        <div className="brand">
          <strong>Ballast</strong>
          <span className="muted small">
            {deployment.cluster}
            {local ? " (local)" : ""}
          </span>
        </div>
        <nav aria-label="Pages">
          {ROUTES.map((r) => (
            <a key={r.hash} href={r.hash} aria-current={r === current ? "page" : undefined} data-testid={`nav-${r.hash.slice(2)}`}>
              {r.label}
            </a>
          ))}
        </nav>
        <div className="wallet">
          <WalletMultiButton />
          {owner ? (
            <span className="muted small" data-testid="wallet-address" data-address={owner.toBase58()}>
              {shortKey(owner.toBase58())}
            </span>
          ) : null}
        </div>
      </header>
      <LocalTools />
      <ObligationBar />
      <HealthAlertBanner />
      <main id="main" tabIndex={-1}>
        {loadError ? <ErrorMessage error={loadError} /> : null}
        <Suspense fallback={<Loading what="the page" />}>
          <Page />
        </Suspense>
      </main>
    </>
  );
}

export function Root() {
  const [deployment, setDeployment] = useState<Deployment | null>(null);
  const [wasm, setWasm] = useState<BallastWasm | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([loadDeployment(), loadBallastWasm()])
      .then(([d, w]) => {
        setDeployment(d);
        setWasm(w);
      })
      .catch((e: Error) => setError(e.message));
  }, []);
  const endpoint = deployment ? resolveRpcUrl(deployment.rpcUrl) : null;
  const wallets = useMemo<Adapter[]>(() => (endpoint && isLocalCluster(endpoint) ? [new BurnerWalletAdapter()] : []), [endpoint]);
  if (error) {
    return (
      <main id="main" className="boot">
        <h1>Ballast</h1>
        <ErrorMessage error={error} testid="config-error" />
      </main>
    );
  }
  if (!deployment || !wasm || !endpoint) {
    return (
      <main id="main" className="boot">
        <Loading what="the deployment" />
      </main>
    );
  }
  return (
    <ConnectionProvider endpoint={endpoint} config={{ commitment: "confirmed", disableRetryOnRateLimit: true }}>
      <WalletProvider wallets={wallets} autoConnect>
        <WalletModalProvider>
          <BallastProvider deployment={deployment} wasm={wasm}>
            <Shell />
          </BallastProvider>
        </WalletModalProvider>
      </WalletProvider>
    </ConnectionProvider>
  );
}
