/**
 * Charts for hyperparameter tuning (notebook 5), as plotly traces and layouts for `plot(traces, layout)`:
 * a validation curve with its spread over folds, a heatmap of a two-parameter grid, learning curves, the
 * learning-rate range test, and the successive-halving bracket.
 */
import type { LearningCurvePoint } from "../tuning/learning-curve";
import type { LrRangeResult } from "../tuning/lr-range-test";
import { formatParam } from "../tuning/param-grid";
import type { Trial } from "../tuning/trial";
import type { Layout, Trace } from "./plotly";

export interface Chart {
  traces: Trace[];
  layout: Layout;
}

interface HasTrials {
  trials: Trial[];
}

/** The scored trials, NaN (diverged) ones dropped. */
function scored(result: HasTrials): Trial[] {
  return result.trials.filter((t) => !Number.isNaN(t.meanScore));
}

/** A line with a shaded band: mean ± std. */
function bandTraces(name: string, x: number[], mean: number[], spread: number[], color: string): Trace[] {
  const upper = mean.map((m, i) => m + spread[i]);
  const lower = mean.map((m, i) => m - spread[i]);
  return [
    { type: "scatter", mode: "lines", x, y: upper, line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
    {
      type: "scatter",
      mode: "lines",
      x,
      y: lower,
      line: { width: 0 },
      fill: "tonexty",
      fillcolor: color.replace("rgb", "rgba").replace(")", ", 0.2)"),
      showlegend: false,
      hoverinfo: "skip",
    },
    { type: "scatter", mode: "lines+markers", name, x, y: mean, line: { color } },
  ];
}

/**
 * Validation score against one numeric parameter, mean ± std over folds. When other parameters varied
 * too, each value shows its best trial (the curve of the best setting of the rest).
 */
export function validationCurveChart(
  result: HasTrials,
  param: string,
  options: { logX?: boolean; title?: string } = {},
): Chart {
  const bestPerValue = new Map<number, Trial>();
  for (const t of scored(result)) {
    const value = t.params[param];
    if (typeof value !== "number") continue;
    const seen = bestPerValue.get(value);
    if (!seen || t.meanScore > seen.meanScore) bestPerValue.set(value, t);
  }
  if (bestPerValue.size === 0)
    throw new RangeError(`validationCurveChart: no trial has a numeric "${param}"`);
  const values = [...bestPerValue.keys()].sort((a, b) => a - b);
  const trials = values.map((v) => bestPerValue.get(v)!);
  return {
    traces: bandTraces(
      "validation accuracy",
      values,
      trials.map((t) => t.meanScore),
      trials.map((t) => t.stdScore),
      "rgb(31, 119, 180)",
    ),
    layout: {
      title: options.title ?? `Validation curve: ${param}`,
      xaxis: { title: param, type: options.logX ? "log" : "linear" },
      yaxis: { title: "validation accuracy (mean ± std over folds)" },
    },
  };
}

/** Mean validation score over a two-parameter grid, annotated (the best trial per cell). */
export function gridHeatmapChart(result: HasTrials, paramX: string, paramY: string, title?: string): Chart {
  const xs: string[] = [];
  const ys: string[] = [];
  const cell = new Map<string, number>();
  for (const t of scored(result)) {
    const x = String(formatParam(t.params[paramX]));
    const y = String(formatParam(t.params[paramY]));
    if (!xs.includes(x)) xs.push(x);
    if (!ys.includes(y)) ys.push(y);
    const key = `${x}\u0000${y}`;
    cell.set(key, Math.max(cell.get(key) ?? -Infinity, t.meanScore));
  }
  const z = ys.map((y) => xs.map((x) => cell.get(`${x}\u0000${y}`) ?? null));
  return {
    traces: [
      {
        type: "heatmap",
        x: xs,
        y: ys,
        z,
        colorscale: "Viridis",
        text: z.map((row) => row.map((v) => (v === null ? "" : v.toFixed(4)))),
        texttemplate: "%{text}",
        hovertemplate: `${paramX}=%{x}, ${paramY}=%{y}: %{z:.4f}<extra></extra>`,
      },
    ],
    layout: {
      title: title ?? `Validation accuracy over ${paramX} × ${paramY}`,
      xaxis: { title: paramX, type: "category" },
      yaxis: { title: paramY, type: "category" },
    },
  };
}

/** The learning curve's two bands: the fields of a point each plots, and its colour. */
const LEARNING_CURVE_BANDS = [
  { name: "training accuracy", mean: "trainMean", std: "trainStd", color: "rgb(255, 127, 14)" },
  { name: "validation accuracy", mean: "validationMean", std: "validationStd", color: "rgb(31, 119, 180)" },
] as const;

/** Training and validation accuracy against training-set size, each mean ± std over folds. */
export function learningCurveChart(points: LearningCurvePoint[], title = "Learning curve"): Chart {
  const sizes = points.map((p) => p.trainSize);
  return {
    traces: LEARNING_CURVE_BANDS.flatMap(({ name, mean, std, color }) =>
      bandTraces(
        name,
        sizes,
        points.map((p) => p[mean]),
        points.map((p) => p[std]),
        color,
      ),
    ),
    layout: { title, xaxis: { title: "training samples", type: "log" }, yaxis: { title: "accuracy" } },
  };
}

/** Training loss against learning rate (log scale), with the minimum and the suggested rate marked. */
export function lrRangeChart(result: LrRangeResult, title = "Learning-rate range test"): Chart {
  const { points, minimumRate, suggestedRate } = result;
  const losses = points.map((p) => p.loss);
  const top = Math.max(...losses);
  const marker = (x: number, name: string, dash: string): Trace => ({
    type: "scatter",
    mode: "lines",
    name,
    x: [x, x],
    y: [0, top],
    line: { dash, color: "#888" },
  });
  return {
    traces: [
      {
        type: "scatter",
        mode: "lines+markers",
        name: "training loss",
        x: points.map((p) => p.learningRate),
        y: losses,
      },
      marker(minimumRate, `lowest loss (${minimumRate.toPrecision(2)})`, "dot"),
      marker(suggestedRate, `suggested rate (${suggestedRate.toPrecision(2)})`, "dash"),
    ],
    layout: { title, xaxis: { title: "learning rate", type: "log" }, yaxis: { title: "training loss" } },
  };
}

/**
 * Successive halving: each candidate's validation score at every rung it reached, one line per
 * candidate; lines that stop early are the candidates dropped at that rung.
 */
export function halvingBracketChart(
  result: HasTrials,
  resourceName = "budget",
  title = "Successive halving",
): Chart {
  const byCandidate = new Map<number, Trial[]>();
  for (const t of result.trials) {
    if (!byCandidate.has(t.candidate)) byCandidate.set(t.candidate, []);
    byCandidate.get(t.candidate)!.push(t);
  }
  const lastRung = Math.max(...result.trials.map((t) => t.rung ?? 0));
  const traces: Trace[] = [...byCandidate.entries()].map(([candidate, trials]) => {
    const survived = trials.some((t) => (t.rung ?? 0) === lastRung);
    return {
      type: "scatter",
      mode: "lines+markers",
      name: `#${candidate}${survived ? " (kept)" : ""}`,
      x: trials.map((t) => t.resource),
      y: trials.map((t) => (Number.isNaN(t.meanScore) ? null : t.meanScore)),
      text: trials.map((t) =>
        Object.entries(t.params)
          .map(([k, v]) => `${k}=${formatParam(v)}`)
          .join("<br>"),
      ),
      hovertemplate: "%{text}<br>%{y:.4f}<extra></extra>",
      line: survived ? { width: 3 } : { width: 1, dash: "dot" },
    };
  });
  return {
    traces,
    layout: {
      title,
      xaxis: { title: `${resourceName} (rung budget)`, type: "log" },
      yaxis: { title: "validation accuracy" },
    },
  };
}
