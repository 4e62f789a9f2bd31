// A local keypair wallet for development and tests, offered only on a local cluster. The secret
// key lives in localStorage, so the same burner comes back after a reload.
import {
  BaseSignerWalletAdapter,
  WalletNotConnectedError,
  WalletReadyState,
  type WalletName,
  type TransactionOrVersionedTransaction,
  type SupportedTransactionVersions,
} from "@solana/wallet-adapter-base";
import { Keypair, PublicKey, Transaction, VersionedTransaction } from "@solana/web3.js";

export const BurnerWalletName = "Burner (local)" as WalletName<"Burner (local)">;
export const BURNER_STORAGE_KEY = "ballast.burner.secretKey";

const ICON =
  "data:image/svg+xml;base64," +
  btoa('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="#f97316"/><path d="M16 6c3 5 7 7 7 13a7 7 0 0 1-14 0c0-3 2-5 3-7 1 3 2 4 4 4-1-4-1-7 0-10z" fill="#fff"/></svg>');

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The stored burner keypair, created (and stored) on first use. */
export function loadBurnerKeypair(): Keypair {
  const store = storage();
  const saved = store?.getItem(BURNER_STORAGE_KEY);
  if (saved) {
    try {
      return Keypair.fromSecretKey(Uint8Array.from(JSON.parse(saved) as number[]));
    } catch {
      // fall through: replace a corrupt entry
    }
  }
  const keypair = Keypair.generate();
  store?.setItem(BURNER_STORAGE_KEY, JSON.stringify(Array.from(keypair.secretKey)));
  return keypair;
}

export class BurnerWalletAdapter extends BaseSignerWalletAdapter {
  name = BurnerWalletName;
  url = "https://docs.solana.com/wallet-guide";
  icon = ICON;
  readonly supportedTransactionVersions: SupportedTransactionVersions = new Set(["legacy", 0] as const);
  private keypair: Keypair | null = null;
  private _connecting = false;

  get connecting(): boolean {
    return this._connecting;
  }

  get publicKey(): PublicKey | null {
    return this.keypair?.publicKey ?? null;
  }

  get readyState(): WalletReadyState {
    return WalletReadyState.Loadable;
  }

  async connect(): Promise<void> {
    this._connecting = true;
    try {
      this.keypair = loadBurnerKeypair();
      this.emit("connect", this.keypair.publicKey);
    } finally {
      this._connecting = false;
    }
  }

  async disconnect(): Promise<void> {
    this.keypair = null;
    this.emit("disconnect");
  }

  /** Replaces the burner with a new key (stored), reported as a fresh connection. */
  async renew(): Promise<void> {
    BurnerWalletAdapter.forget();
    this.keypair = loadBurnerKeypair();
    this.emit("connect", this.keypair.publicKey);
  }

  /** Forgets the stored key: the next connect makes a new burner. */
  static forget(): void {
    storage()?.removeItem(BURNER_STORAGE_KEY);
  }

  async signTransaction<T extends TransactionOrVersionedTransaction<this["supportedTransactionVersions"]>>(transaction: T): Promise<T> {
    if (!this.keypair) throw new WalletNotConnectedError();
    if (transaction instanceof VersionedTransaction) transaction.sign([this.keypair]);
    else (transaction as Transaction).partialSign(this.keypair);
    return transaction;
  }
}
