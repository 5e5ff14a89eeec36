/**
 * The results dashboard as HTML: `dashboardHtml(data)` is a standalone offline page (plotly inlined once,
 * nothing fetched), `dashboardFragmentHtml(data)` the same panels for a notebook output, where the
 * notebook's setup cell has already loaded plotly. Panels: data-set facts, accuracy donut, test digits
 * beside predictions, confusion-matrix heatmap, class distribution, best hyperparameters, normalised
 * data, classification report and every model's figures; a model picker, a second model side by side,
 * per-class drill-down and a light and dark theme. Test hooks: data-testid "model-picker",
 * "compare-picker", "theme-toggle", "confusion", "class-link-<d>", "drilldown".
 */
import * as fs from "fs";
import * as path from "path";
import { plotlyLoaderHtml } from "../plots/plotly";
import { dashboardApp } from "./dashboard-app";
import type { DashboardData } from "./dashboard-data";
import { uniqueId } from "./canvas-widget";
import { scriptJson } from "./runtime";

/** A standalone HTML page (open it from disk; it needs no network). */
export function dashboardHtml(data: DashboardData): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(data.title)}</title>
<style>body { margin: 0; font-family: system-ui, sans-serif; }</style>
</head>
<body>
${plotlyLoaderHtml()}
${dashboardFragmentHtml(data)}
</body>
</html>
`;
}

/** The dashboard's panels as an HTML fragment; it draws once window.Plotly is there. */
export function dashboardFragmentHtml(data: DashboardData): string {
  const id = uniqueId("mn-dashboard");
  const panel = (testId: string, title: string, wide = false) =>
    `<section class="db-panel${wide ? " db-wide" : ""}"><h2>${title}</h2><div data-testid="${testId}"></div></section>`;
  return `<div id="${id}" class="mn-dashboard" data-theme="light">
<style>${dashboardCss(`#${id}`)}</style>
<header class="db-header">
<h1>${escapeText(data.title)}</h1>
<label>Model <select data-testid="model-picker"></select></label>
<label>Compare with <select data-testid="compare-picker"><option value="-1">(none)</option></select></label>
<button type="button" data-testid="theme-toggle">Light / dark</button>
</header>
<div class="db-grid">
${panel("facts", "The data set", true)}
${panel("donut", "Test accuracy")}
${panel("distribution", "Class distribution")}
${panel("samples", "Test digits and predictions", true)}
${panel("confusion", "Confusion matrix (click a cell to see those digits)", true)}
${panel("drilldown", "Drill-down", true)}
${panel("report", "Classification report (click a class to see its mistakes)", true)}
${panel("normalised", "Normalised data", true)}
${panel("tuned", "Best hyperparameters (reports/tuned.json)", true)}
${panel("results", "Every model (reports/metrics.json)", true)}
</div>
<footer class="db-note">Generated ${escapeText(data.date)}. Predictions on the ${data.dataset.testCount.toLocaleString("en")}
test images; choices were made on a validation split.</footer>
<script>(function start(attempt) {
  if (!window.Plotly) {
    if (attempt < 200) { setTimeout(function () { start(attempt + 1); }, 50); return; }
    document.getElementById(${JSON.stringify(id)}).insertAdjacentText("afterbegin", "plotly.js did not load: rerun the notebook's setup cell.");
    return;
  }
  ${dashboardApp.toString()}
  dashboardApp(document.getElementById(${JSON.stringify(id)}), ${scriptJson(data)}, window.Plotly);
})(0);</script>
</div>`;
}

/** Writes the standalone page (default reports/dashboard.html); returns its path. */
export function writeDashboard(data: DashboardData, file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, dashboardHtml(data));
  return file;
}

function dashboardCss(s: string): string {
  return `
${s} { --bg: #f7f7f9; --panel: #fff; --text: #222; --muted: #666; --border: #ddd; --accent: #1d6fb8;
  font-family: system-ui, sans-serif; font-size: 14px; background: var(--bg); color: var(--text); padding: 12px; }
${s}[data-theme="dark"] { --bg: #15171c; --panel: #1f232b; --text: #e6e6e6; --muted: #a0a4ab; --border: #343a45;
  --accent: #7fb3ff; }
${s} .db-header { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin-bottom: 10px; }
${s} h1 { font-size: 20px; margin: 0 12px 0 0; }
${s} h2 { font-size: 15px; margin: 0 0 8px; }
${s} select, ${s} button { background: var(--panel); color: var(--text); border: 1px solid var(--border);
  border-radius: 4px; padding: 3px 8px; font: inherit; cursor: pointer; }
${s} .db-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px; }
${s} .db-panel { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 10px; min-width: 0; }
${s} .db-wide { grid-column: 1 / -1; }
${s} [data-testid="facts"] { display: flex; flex-wrap: wrap; gap: 10px; }
${s} .db-fact { border: 1px solid var(--border); border-radius: 6px; padding: 8px 14px; min-width: 110px; color: var(--muted); }
${s} .db-fact-value { font-size: 20px; font-weight: 600; color: var(--text); }
${s} [data-testid="samples"] { display: flex; flex-wrap: wrap; gap: 8px; }
${s} .db-sample { text-align: center; font-size: 12px; width: 64px; }
${s} .db-digit { display: inline-block; width: 28px; height: 28px; image-rendering: pixelated; border: 1px solid var(--border); }
${s} .db-big { zoom: 2; }
${s} .db-right { color: #2a9d8f; font-weight: 600; }
${s} .db-wrong { color: #e76f51; font-weight: 700; }
${s} [data-testid="confusion"] { display: flex; flex-wrap: wrap; gap: 10px; }
${s} .db-confusion-plot { flex: 1 1 420px; min-width: 360px; }
${s} [data-testid="drilldown"] { display: flex; flex-wrap: wrap; gap: 10px; min-height: 30px; }
${s} .db-drill-item { border: 1px solid var(--border); border-radius: 4px; padding: 6px; width: 150px; font-size: 12px; }
${s} .db-pbars { display: flex; align-items: flex-end; gap: 2px; height: 32px; margin-top: 4px; }
${s} .db-pbar { width: 10px; background: var(--muted); display: inline-block; }
${s} .db-bar-true { background: #2a9d8f; }
${s} .db-bar-pred { background: #e76f51; }
${s} .db-caption { font-weight: 600; width: 100%; margin-bottom: 4px; }
${s} [data-testid="report"] { display: flex; flex-wrap: wrap; gap: 24px; }
${s} table { border-collapse: collapse; }
${s} th, ${s} td { border-bottom: 1px solid var(--border); padding: 3px 10px; text-align: right; }
${s} th:first-child, ${s} td:first-child { text-align: left; }
${s} .db-total td { font-weight: 600; }
${s} .db-class-link { padding: 0 8px; color: var(--accent); }
${s} .db-note { color: var(--muted); }
`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
