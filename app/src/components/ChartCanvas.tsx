// One Chart.js chart on a canvas. Only the pieces the Risk page draws are registered (bars,
// lines, category and linear axes, tooltip, legend), so the bundle carries no more of Chart.js.
import { useEffect, useRef } from "react";
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);
Chart.defaults.color = "#9aa7b4";
Chart.defaults.borderColor = "#2b3642";
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/**
 * `config` is drawn without animation (a refresh redraws at once, screenshots are stable); the
 * chart is rebuilt when the config changes. `label` describes it for screen readers (the table
 * under it holds the same numbers).
 */
export function ChartCanvas({ config, label, testid }: { config: ChartConfiguration; label: string; testid: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      ...config,
      options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
    } as ChartConfiguration);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testid} />
    </div>
  );
}
