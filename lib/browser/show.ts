/** Notebook conveniences: the drawing widget and the dashboard, shown as the cell's output. */
import { displayHtml } from "../display";
import { ensurePlotly } from "../plots/plotly";
import { dashboardFragmentHtml } from "./dashboard";
import type { DashboardData } from "./dashboard-data";
import type { SavedWeights, ScratchNetworkClassifier } from "../models/scratch/network-classifier";
import { canvasWidgetHtml, type CanvasWidgetOptions } from "./canvas-widget";
import type { BrowserNetwork } from "./network-spec";

/** Shows a drawing canvas that classifies with `model` in the browser (no kernel needed once shown). */
export function showCanvas(
  model: ScratchNetworkClassifier | SavedWeights | BrowserNetwork,
  options: CanvasWidgetOptions = {},
): void {
  const weights = "saveWeights" in model ? model.saveWeights() : model;
  displayHtml(canvasWidgetHtml(weights, options), "[drawing canvas: open the notebook or its HTML report]");
}

/** Shows the dashboard's panels as the cell's output (plotly is loaded into the notebook once). */
export function showDashboard(data: DashboardData): void {
  ensurePlotly();
  displayHtml(dashboardFragmentHtml(data), `[dashboard: ${data.models.length} models]`);
}
