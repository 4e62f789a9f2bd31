// The health-factor alert: a level set on My position (kept in localStorage); while the selected
// obligation's health factor (the wasm's) is below it, a banner shows under the header on every
// page, and each fall below the level raises a browser notification (the Notification API,
// permission asked when the alert is switched on).
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { useBallast } from "../state/context";
import { formatHealthFactor } from "../format";
import { isBelow, levelWad, loadSettings, notificationDue, saveSettings, STORAGE_KEY, type AlertSettings } from "../alerts/healthAlert";

const CHANGED = "ballast-health-alert";
let cached: { raw: string | null; settings: AlertSettings } | null = null;

function snapshot(): AlertSettings {
  const raw = globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  if (!cached || cached.raw !== raw) cached = { raw, settings: loadSettings() };
  return cached.settings;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener(CHANGED, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(CHANGED, onChange);
    window.removeEventListener("storage", onChange);
  };
}

export function useAlertSettings(): [AlertSettings, (s: AlertSettings) => void] {
  const settings = useSyncExternalStore(subscribe, snapshot);
  const set = (s: AlertSettings) => {
    saveSettings(s);
    window.dispatchEvent(new Event(CHANGED));
  };
  return [settings, set];
}

const notificationsSupported = () => typeof window !== "undefined" && "Notification" in window;

/** The level and the switch (My position). Switching on asks for the notification permission. */
export function HealthAlertSettings() {
  const [settings, setSettings] = useAlertSettings();
  const [level, setLevel] = useState(settings.level);
  const [permission, setPermission] = useState(() => (notificationsSupported() ? Notification.permission : "unsupported"));
  const valid = levelWad(level) !== null;
  const enable = async (enabled: boolean) => {
    if (enabled && notificationsSupported() && Notification.permission === "default") {
      setPermission(await Notification.requestPermission());
    }
    setSettings({ enabled, level: valid ? level : settings.level });
  };
  return (
    <div className="hf-alert-settings" data-testid="hf-alert-settings">
      <label>
        Alert me below health factor{" "}
        <input
          type="number"
          min="0"
          step="0.05"
          inputMode="decimal"
          value={level}
          data-testid="hf-alert-level"
          aria-invalid={!valid}
          onChange={(e) => {
            setLevel(e.target.value);
            if (levelWad(e.target.value) !== null && settings.enabled) setSettings({ ...settings, level: e.target.value });
          }}
        />
      </label>
      <label className="switch">
        <input type="checkbox" role="switch" data-testid="hf-alert-enabled" checked={settings.enabled} disabled={!valid} onChange={(e) => void enable(e.target.checked)} />
        {settings.enabled ? "On" : "Off"}
      </label>
      <span className="muted small" data-testid="hf-alert-permission" data-permission={permission}>
        {permission === "granted"
          ? "Browser notifications allowed."
          : permission === "denied"
            ? "Browser notifications are blocked: the banner still shows."
            : permission === "unsupported"
              ? "This browser has no notifications: the banner still shows."
              : "Switching on asks to allow browser notifications."}
      </span>
    </div>
  );
}

/** The banner (under the header, every page) and the notification on each fall below the level. */
export function HealthAlertBanner() {
  const { position, wallet } = useBallast();
  const [settings] = useAlertSettings();
  const [notified, setNotified] = useState<string | null>(null);
  const last = useRef<{ key: string; below: boolean } | null>(null);
  const key = wallet?.obligation ? `${wallet.obligationKey.toBase58()}:${settings.level}` : null;
  const health = position?.maintenance.ok ? position.maintenance.health.healthFactor : undefined;
  const below = key !== null && isBelow(health, settings);

  useEffect(() => {
    if (key === null) return;
    const due = notificationDue(last.current, key, below);
    last.current = { key, below };
    if (!due || !notificationsSupported() || Notification.permission !== "granted") return;
    try {
      const n = new Notification("Ballast: health factor alert", {
        body: `Obligation #${wallet?.obligationId ?? 0}: health factor ${formatHealthFactor(health)} is below your alert level ${settings.level}.`,
        tag: `ballast-health-${key}`,
      });
      setNotified("sent");
      n.onshow = () => setNotified("shown");
      n.onerror = () => setNotified("error");
    } catch {
      setNotified("error");
    }
  }, [key, below, health, settings.level, wallet?.obligationId]);

  if (!below) return null;
  return (
    <div className="hf-alert" role="alert" data-testid="hf-alert" data-health={health ?? "inf"} data-level={settings.level} data-notification={notified ?? "none"}>
      <strong>Health factor {formatHealthFactor(health)} is below your alert level {settings.level}.</strong>{" "}
      <span>Repay debt or add collateral before it reaches 1.00, where the position can be liquidated.</span>{" "}
      <a href="#/actions">Actions</a>
    </div>
  );
}
