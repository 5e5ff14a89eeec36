/**
 * Interactive charts with plotly.js, rendered as HTML outputs. They work live in JupyterLab and in the
 * exported HTML reports opened offline: the plotly library is inlined into the notebook's output once
 * (no CDN), and every chart waits for it before drawing.
 */
import * as fs from "fs";
import { displayHtml } from "../display";
import { checkOptionKeys, checkPositiveInteger } from "../validation";

/** A plotly trace or layout: plain JSON objects, as in plotly's own documentation. */
export type Trace = Record<string, unknown>;
export type Layout = Record<string, unknown>;

export interface PlotOptions {
  /** Height in pixels (default 420). */
  height?: number;
  /** Width in pixels; by default the chart fills the output area. */
  width?: number;
}

let loaderSent = false;
let nextId = 0;

/** The <script> that defines window.Plotly, guarded so a second copy is harmless. */
export function plotlyLoaderHtml(): string {
  const source = fs.readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
  // The UMD wrapper would hand the library to `module` if the page had one; plain `window.Plotly` is what charts use.
  const safeSource = source.replace(/<\/script/gi, "<\\/script");
  return `<script type="text/javascript">if (!window.Plotly) { (function(module, exports) {\n${safeSource}\n}).call(window); }</script>`;
}

/** HTML for one chart: a div and the script that draws it once plotly is loaded. */
export function plotHtml(traces: Trace[], layout: Layout = {}, options: PlotOptions = {}): string {
  checkOptionKeys("plot", options, ["height", "width"]);
  const height = checkPositiveInteger("plot", "height", options.height ?? 420);
  if (options.width !== undefined) checkPositiveInteger("plot", "width", options.width);
  const id = `mnist-plot-${process.pid}-${nextId++}`;
  const fullLayout = {
    height,
    margin: { t: 40, r: 20, b: 50, l: 60 },
    ...withTitleObjects(layout),
    ...(options.width ? { width: options.width } : {}),
  };
  const style = `height:${height}px;${options.width ? `width:${options.width}px;` : "width:100%;"}`;
  const json = (value: unknown) => JSON.stringify(value).replace(/<\//g, "<\\/");
  return (
    `<div id="${id}" class="mnist-plot" style="${style}"></div>\n` +
    `<script type="text/javascript">(function draw(attempt) {\n` +
    `  if (window.Plotly) { window.Plotly.newPlot("${id}", ${json(traces)}, ${json(fullLayout)}, {responsive: true, displaylogo: false}); return; }\n` +
    `  if (attempt < 100) { setTimeout(function () { draw(attempt + 1); }, 50); return; }\n` +
    `  document.getElementById("${id}").textContent = "plotly.js did not load: rerun the notebook's setup cell.";\n` +
    `})(0);</script>`
  );
}

/**
 * plotly.js 3 ignores a plain-string `title` (older versions accepted it); accept both forms by
 * wrapping strings as `{ text }`, on the layout and on its axes.
 */
export function withTitleObjects(layout: Layout): Layout {
  const wrap = (value: unknown) => (typeof value === "string" ? { text: value } : value);
  const out: Layout = { ...layout };
  if ("title" in out) out.title = wrap(out.title);
  for (const [key, value] of Object.entries(out)) {
    if (/^[xy]axis\d*$/.test(key) && value && typeof value === "object" && "title" in value) {
      out[key] = {
        ...(value as Record<string, unknown>),
        title: wrap((value as Record<string, unknown>).title),
      };
    }
  }
  return out;
}

/** Inlines plotly into this notebook's output unless this kernel already did. */
export function ensurePlotly(): void {
  if (loaderSent) return;
  displayHtml(plotlyLoaderHtml(), "[plotly.js loaded]");
  loaderSent = true;
}

/** Draws a chart in the notebook. */
export function plot(traces: Trace[], layout: Layout = {}, options: PlotOptions = {}): void {
  ensurePlotly();
  const title =
    typeof layout.title === "string" ? layout.title : (layout.title as { text?: string } | undefined)?.text;
  displayHtml(plotHtml(traces, layout, options), `[chart${title ? `: ${title}` : ""}]`);
}
