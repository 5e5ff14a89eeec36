/**
 * `canvasWidgetHtml`: a self-contained HTML fragment (inline style and script, nothing from a network)
 * with a drawing canvas that classifies as the person draws, the ten probabilities as bars and the
 * 28×28 image the model sees. Works as a notebook output (tslab's display.html), in the exported HTML
 * report and in any page; each fragment has its own element id, so several can share a page.
 * Test hooks: data-testid "draw-canvas", "clear", "prediction" (text = the digit, empty for an empty
 * canvas; its data-ms attribute = milliseconds of the last classification) and "probabilities".
 */
import { randomBytes } from "crypto";
import type { SavedWeights } from "../models/scratch/network-classifier";
import { attachDrawingWidget } from "./canvas-controller";
import { BROWSER_NETWORK_FORMAT, browserNetwork, type BrowserNetwork } from "./network-spec";
import { browserRuntimeSource, scriptJson } from "./runtime";
import { checkOptionKeys, checkPositiveInteger } from "../validation";

export interface CanvasWidgetOptions {
  /** Heading above the canvas (default: "Draw a digit — <model name>"). */
  title?: string;
  /** Side of the square canvas in pixels (default 280). */
  size?: number;
  /** Pen width in canvas pixels (default size / 12, which scales to about MNIST's strokes). */
  penWidth?: number;
}

let widgetCount = 0;

/** A unique element id for one output: a counter and random bytes, unique across cells and reloads. */
export function uniqueId(prefix: string): string {
  widgetCount++;
  return `${prefix}-${widgetCount}-${randomBytes(4).toString("hex")}`;
}

/** Saved weights (checked and converted) or an already converted network. */
export function toBrowserNetwork(weights: SavedWeights | BrowserNetwork): BrowserNetwork {
  return (weights as BrowserNetwork).format === BROWSER_NETWORK_FORMAT
    ? (weights as BrowserNetwork)
    : browserNetwork(weights as SavedWeights);
}

export function canvasWidgetHtml(
  weights: SavedWeights | BrowserNetwork,
  options: CanvasWidgetOptions = {},
): string {
  checkOptionKeys("canvasWidgetHtml", options, ["title", "size", "penWidth"]);
  const network = toBrowserNetwork(weights);
  const size = checkPositiveInteger("canvasWidgetHtml", "size", options.size ?? 280);
  const penWidth = checkPositiveInteger(
    "canvasWidgetHtml",
    "penWidth",
    options.penWidth ?? Math.round(size / 12),
  );
  const id = uniqueId("mn-draw");
  const title = options.title ?? `Draw a digit — ${network.model}`;
  const bars = Array.from(
    { length: network.classes },
    (_, d) =>
      `<div class="mn-bar-row" data-digit="${d}"><span class="mn-label">${d}</span>` +
      `<span class="mn-track"><span class="mn-bar"></span></span><span class="mn-value"></span></div>`,
  ).join("");
  return `<div id="${id}" class="mn-draw-widget">
<style>${widgetCss(`#${id}`, size)}</style>
<div class="mn-title">${escapeText(title)}</div>
<div class="mn-panels">
<div><canvas data-testid="draw-canvas" width="${size}" height="${size}"></canvas>
<div><button type="button" data-testid="clear">Clear</button></div></div>
<div class="mn-side">
<div class="mn-result">Prediction: <span class="mn-prediction" data-testid="prediction"></span></div>
<div class="mn-message" data-testid="message"></div>
<div class="mn-probabilities" data-testid="probabilities">${bars}</div>
<div class="mn-seen-box">What the model sees (28×28):<br><canvas class="mn-seen" width="28" height="28"></canvas></div>
</div></div>
<script>(function () {
${browserRuntimeSource()}
${attachDrawingWidget.toString()}
attachDrawingWidget(document.getElementById(${JSON.stringify(id)}), ${scriptJson(network)}, ${scriptJson({ penWidth })});
})();</script>
</div>`;
}

function widgetCss(scope: string, size: number): string {
  return `
${scope} { font-family: system-ui, sans-serif; font-size: 14px; color: inherit; margin: 8px 0; }
${scope} .mn-title { font-weight: 600; margin-bottom: 6px; }
${scope} .mn-panels { display: flex; gap: 16px; flex-wrap: wrap; align-items: flex-start; }
${scope} canvas[data-testid="draw-canvas"] { width: ${size}px; height: ${size}px; background: #000;
  border: 1px solid #888; border-radius: 4px; touch-action: none; cursor: crosshair; display: block; }
${scope} button { margin-top: 6px; padding: 4px 14px; cursor: pointer; }
${scope} .mn-side { min-width: 220px; }
${scope} .mn-result { font-size: 16px; }
${scope} .mn-prediction { font-size: 32px; font-weight: 700; display: inline-block; min-width: 24px; }
${scope} .mn-message { color: #666; min-height: 1.2em; margin-bottom: 6px; }
${scope} .mn-bar-row { display: flex; align-items: center; gap: 6px; height: 18px; }
${scope} .mn-label { width: 12px; text-align: right; }
${scope} .mn-track { width: 150px; height: 12px; background: rgba(128,128,128,0.2); border-radius: 2px; }
${scope} .mn-bar { display: block; height: 100%; width: 0; background: #6a8fd0; border-radius: 2px; }
${scope} .mn-top .mn-bar { background: #e4572e; }
${scope} .mn-top .mn-label { font-weight: 700; }
${scope} .mn-value { width: 48px; font-variant-numeric: tabular-nums; color: #666; font-size: 12px; }
${scope} .mn-seen { width: 84px; height: 84px; image-rendering: pixelated; border: 1px solid #888; margin-top: 4px; }
`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
