/** Notebook conveniences: the drawing widget for a fitted scratch network, shown as the cell's output. */
import { displayHtml } from "../display";
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
