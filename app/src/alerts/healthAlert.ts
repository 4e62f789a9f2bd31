// The health-factor alert: a level the user sets (kept in localStorage), compared with the
// connected obligation's health factor as the wasm computed it. Decides when the banner shows and
// when a browser notification is due (once per fall below the level, not on every poll).
import { parseUnits } from "../format";

export const STORAGE_KEY = "ballast.healthAlert";

export interface AlertSettings {
  enabled: boolean;
  /** The level as typed, e.g. "1.2". */
  level: string;
}

export const DEFAULT_SETTINGS: AlertSettings = { enabled: false, level: "1.2" };

/** The level as a Wad (1e18 = 1.0); null when it is not a positive number. */
export function levelWad(level: string): bigint | null {
  const parsed = parseUnits(level.trim(), 18);
  return parsed.ok && parsed.units > 0n ? parsed.units : null;
}

export function loadSettings(storage: Pick<Storage, "getItem"> | undefined = globalThis.localStorage): AlertSettings {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return DEFAULT_SETTINGS;
    const value = JSON.parse(raw) as Partial<AlertSettings>;
    return {
      enabled: value.enabled === true,
      level: typeof value.level === "string" && levelWad(value.level) !== null ? value.level : DEFAULT_SETTINGS.level,
    };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function saveSettings(settings: AlertSettings, storage: Pick<Storage, "setItem"> | undefined = globalThis.localStorage): void {
  storage?.setItem(STORAGE_KEY, JSON.stringify(settings));
}

/**
 * Whether `healthFactor` (the wasm's maintenance health factor, a Wad string; null = no debt,
 * infinite) is below the level. An unknown health (not computed) is not below.
 */
export function isBelow(healthFactor: string | null | undefined, settings: AlertSettings): boolean {
  const level = levelWad(settings.level);
  if (!settings.enabled || level === null || healthFactor === null || healthFactor === undefined) return false;
  return BigInt(healthFactor) < level;
}

/**
 * Whether a notification is due: the obligation is below the level now and was not at the last
 * reading of the same obligation and level (a new obligation or level starts afresh).
 */
export function notificationDue(previous: { key: string; below: boolean } | null, key: string, below: boolean): boolean {
  return below && (previous === null || previous.key !== key || !previous.below);
}
