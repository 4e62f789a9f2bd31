// A wallet's several obligations in one market: numbers 0 (`init_obligation`) and 1 to 255
// (`init_sub_obligation`), each with its own positions and health. Pure helpers for the selector.
import { MAX_OBLIGATION_ID } from "./program";

export interface OwnedObligation {
  id: number;
  /** The account's address (base58). */
  key: string;
  /** The account's data (base64). */
  data: string;
}

/** The lowest number `init_sub_obligation` can open (1 to 255, not yet used), or null when all are. */
export function lowestFreeObligationId(used: Iterable<number>): number | null {
  const taken = new Set(used);
  for (let id = 1; id <= MAX_OBLIGATION_ID; id++) if (!taken.has(id)) return id;
  return null;
}

/**
 * The numbers the selector offers, ascending: every obligation the wallet has, plus number 0
 * (which the first deposit or "Create obligation" opens) and the selected one even when they do
 * not exist yet.
 */
export function selectableObligationIds(existing: Iterable<number>, selected: number): number[] {
  return [...new Set([0, selected, ...existing])].sort((a, b) => a - b);
}

/** The selector's label. */
export function obligationLabel(id: number, exists: boolean): string {
  return exists ? `Obligation #${id}` : `Obligation #${id} (not created yet)`;
}

/** After the selected obligation closed: the lowest one left, else number 0. */
export function selectionAfterClose(existing: Iterable<number>, closed: number): number {
  const left = [...existing].filter((id) => id !== closed).sort((a, b) => a - b);
  return left[0] ?? 0;
}
