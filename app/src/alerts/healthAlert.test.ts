import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, isBelow, levelWad, loadSettings, notificationDue, saveSettings, STORAGE_KEY } from "./healthAlert";

const WAD = 10n ** 18n;

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

describe("health-factor alert", () => {
  it("reads the level as a Wad", () => {
    expect(levelWad("1.2")).toBe((12n * WAD) / 10n);
    expect(levelWad(" 1.05 ")).toBe(1_050_000_000_000_000_000n);
    expect(levelWad("0")).toBeNull();
    expect(levelWad("abc")).toBeNull();
    expect(levelWad("")).toBeNull();
  });

  it("keeps its settings in localStorage, falling back to the defaults", () => {
    const storage = memoryStorage();
    expect(loadSettings(storage)).toEqual(DEFAULT_SETTINGS);
    saveSettings({ enabled: true, level: "1.5" }, storage);
    expect(JSON.parse(storage.items.get(STORAGE_KEY)!)).toEqual({ enabled: true, level: "1.5" });
    expect(loadSettings(storage)).toEqual({ enabled: true, level: "1.5" });
    storage.setItem(STORAGE_KEY, "{not json");
    expect(loadSettings(storage)).toEqual(DEFAULT_SETTINGS);
    storage.setItem(STORAGE_KEY, JSON.stringify({ enabled: true, level: "-1" }));
    expect(loadSettings(storage)).toEqual({ enabled: true, level: DEFAULT_SETTINGS.level });
  });

  it("is below only when enabled and the health factor is under the level (no debt never is)", () => {
    const on = { enabled: true, level: "1.2" };
    expect(isBelow(((119n * WAD) / 100n).toString(), on)).toBe(true);
    expect(isBelow(((12n * WAD) / 10n).toString(), on)).toBe(false); // equal is not below
    expect(isBelow((2n * WAD).toString(), on)).toBe(false);
    expect(isBelow(null, on)).toBe(false);
    expect(isBelow(undefined, on)).toBe(false);
    expect(isBelow("1", { ...on, enabled: false })).toBe(false);
    expect(isBelow("1", { ...on, level: "x" })).toBe(false);
  });

  it("notifies once per fall below the level, again for another obligation", () => {
    expect(notificationDue(null, "A", true)).toBe(true);
    expect(notificationDue({ key: "A", below: true }, "A", true)).toBe(false);
    expect(notificationDue({ key: "A", below: false }, "A", true)).toBe(true);
    expect(notificationDue({ key: "A", below: true }, "B", true)).toBe(true);
    expect(notificationDue(null, "A", false)).toBe(false);
  });
});
