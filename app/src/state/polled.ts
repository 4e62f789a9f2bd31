// A value read from the chain and read again on an interval: the Liquidations and Risk pages'
// obligation lists (the wallet's own view is the context's snapshot).
import { useCallback, useEffect, useState } from "react";
import { explainError } from "../client/errors";

export interface Polled<T> {
  /** The last value read (kept while a later read fails). */
  value: T | null;
  /** Why the last read failed; null once one succeeds. */
  error: string | null;
  /** When the value was last read. */
  updatedAt: Date | null;
  /** Reads again now (after a transaction that changed what is read). */
  reload: () => Promise<void>;
}

/** Reads with `read` now and every `intervalMs`; `read` should be memoised (`useCallback`). */
export function usePolled<T>(read: () => Promise<T>, intervalMs: number): Polled<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  const reload = useCallback(async () => {
    try {
      setValue(await read());
      setUpdatedAt(new Date());
      setError(null);
    } catch (e) {
      setError(explainError(e).message);
    }
  }, [read]);

  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), intervalMs);
    return () => clearInterval(timer);
  }, [reload, intervalMs]);

  return { value, error, updatedAt, reload };
}
