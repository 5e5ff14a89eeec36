/**
 * Chart builders for the evaluation plots that recur across notebooks, as plotly traces and layouts.
 */
import type { Layout, Trace } from "./plotly";

/** A confusion matrix as an annotated heatmap, true labels down, predictions across (as in scikit-learn). */
export function confusionHeatmap(
  matrix: number[][],
  labels: string[],
  title: string,
  normalised = false,
): { traces: Trace[]; layout: Layout } {
  const text = matrix.map((row) => row.map((v) => (normalised ? (v === 0 ? "" : v.toFixed(2)) : String(v))));
  return {
    traces: [
      {
        type: "heatmap",
        z: matrix,
        x: labels,
        y: labels,
        text,
        texttemplate: "%{text}",
        colorscale: "Blues",
        hovertemplate: "true %{y}, predicted %{x}: %{z}<extra></extra>",
      },
    ],
    layout: {
      title,
      xaxis: { title: { text: "predicted" }, type: "category", side: "bottom" },
      yaxis: { title: { text: "true" }, type: "category", autorange: "reversed" },
      width: 560,
    },
  };
}

/** Reliability diagram: accuracy against mean confidence per bin, with the diagonal of perfect calibration. */
export function reliabilityTraces(
  curves: { name: string; bins: { meanConfidence: number; accuracy: number; count: number }[] }[],
): Trace[] {
  const diagonal: Trace = {
    type: "scatter",
    mode: "lines",
    x: [0, 1],
    y: [0, 1],
    name: "perfectly calibrated",
    line: { dash: "dot", color: "#999" },
  };
  const traces = curves.map(({ name, bins }) => {
    const filled = bins.filter((b) => b.count > 0);
    return {
      type: "scatter",
      mode: "lines+markers",
      name,
      x: filled.map((b) => b.meanConfidence),
      y: filled.map((b) => b.accuracy),
      text: filled.map((b) => `${b.count} samples`),
    };
  });
  return [diagonal, ...traces];
}
