/**
 * Named chart builders for the notebooks: a notebook cell says what to draw (series of numbers, axis
 * titles) and these turn it into plotly traces and a layout, so no cell carries a plotly spec.
 * Each builder returns a `Chart`; `showChart` draws it.
 */
import { reliabilityTraces } from "./charts";
import { plot, type Layout, type PlotOptions, type Trace } from "./plotly";

export interface Chart {
  traces: Trace[];
  layout: Layout;
  options?: PlotOptions;
}

/** One named series of points. */
export interface Series {
  name: string;
  x: ArrayLike<number | string>;
  y: ArrayLike<number>;
}

export interface AxesOptions {
  title: string;
  xTitle?: string;
  yTitle?: string;
  /** Logarithmic axes. */
  logX?: boolean;
  logY?: boolean;
  /** Fixed axis ranges. */
  xRange?: [number, number];
  yRange?: [number, number];
  /** Treat x values as categories (digits), not numbers. */
  categoryX?: boolean;
  /** Distance between x-axis ticks (1 for epochs). */
  xStep?: number;
  height?: number;
  width?: number;
}

/** Draws a chart in the notebook. */
export function showChart(chart: Chart): void {
  plot(chart.traces, chart.layout, chart.options);
}

function checkSeries(where: string, series: Series[]): void {
  if (series.length === 0) throw new RangeError(`${where}: no series to draw`);
  for (const s of series) {
    if (s.x.length !== s.y.length) {
      throw new RangeError(
        `${where}: series "${s.name}" has ${s.x.length} x values but ${s.y.length} y values`,
      );
    }
  }
}

function axesLayout(axes: AxesOptions): Layout {
  const axis = (
    title: string | undefined,
    log: boolean | undefined,
    range?: [number, number],
    category?: boolean,
  ) => ({
    ...(title ? { title: { text: title } } : {}),
    ...(log ? { type: "log" } : category ? { type: "category" } : {}),
    ...(range ? { range: log ? range.map(Math.log10) : range } : {}),
  });
  return {
    title: { text: axes.title },
    xaxis: {
      ...axis(axes.xTitle, axes.logX, axes.xRange, axes.categoryX),
      ...(axes.xStep ? { dtick: axes.xStep } : {}),
    },
    yaxis: axis(axes.yTitle, axes.logY, axes.yRange),
  };
}

function sizeOptions(axes: AxesOptions): PlotOptions | undefined {
  if (axes.height === undefined && axes.width === undefined) return undefined;
  return { ...(axes.height ? { height: axes.height } : {}), ...(axes.width ? { width: axes.width } : {}) };
}

/** Lines with markers, one per series (learning curves, accuracy against a setting). */
export function lineChart(series: Series[], axes: AxesOptions, markers = true): Chart {
  checkSeries("lineChart", series);
  const traces = series.map((s) => ({
    type: "scatter",
    mode: markers ? "lines+markers" : "lines",
    name: s.name,
    x: Array.from(s.x),
    y: Array.from(s.y),
  }));
  return { traces, layout: axesLayout(axes), options: sizeOptions(axes) };
}

/** Bars, grouped side by side when there is more than one series; `labels` writes each value above its bar. */
export function barChart(series: Series[], axes: AxesOptions, labels?: (value: number) => string): Chart {
  checkSeries("barChart", series);
  const traces = series.map((s) => ({
    type: "bar",
    name: s.name,
    x: Array.from(s.x),
    y: Array.from(s.y),
    ...(labels ? { text: Array.from(s.y, labels), textposition: "outside" } : {}),
  }));
  const layout = { ...axesLayout(axes), barmode: "group", showlegend: series.length > 1 };
  return { traces, layout, options: sizeOptions(axes) };
}

/** One box (median, quartiles, whiskers) per group of values, e.g. ink per image for each digit. */
export function boxChart(groups: { name: string; values: ArrayLike<number> }[], axes: AxesOptions): Chart {
  if (groups.length === 0) throw new RangeError("boxChart: no groups to draw");
  const traces = groups.map((g) => ({
    type: "box",
    name: g.name,
    y: Array.from(g.values),
    boxpoints: false,
  }));
  return { traces, layout: { ...axesLayout(axes), showlegend: false }, options: sizeOptions(axes) };
}

/**
 * Points coloured by class: point i is (x[i], y[i]) with label labels[i]; one trace per class name, so
 * the legend toggles digits. WebGL scatter, for thousands of points.
 */
export function classScatter(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  labels: ArrayLike<number>,
  classNames: string[],
  axes: AxesOptions,
): Chart {
  if (x.length !== y.length || x.length !== labels.length) {
    throw new RangeError(
      `classScatter: ${x.length} x values, ${y.length} y values and ${labels.length} labels differ`,
    );
  }
  const traces = classNames.map((name, c) => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] === c) {
        xs.push(x[i]);
        ys.push(y[i]);
      }
    }
    return { type: "scattergl", mode: "markers", name, x: xs, y: ys, marker: { size: 4, opacity: 0.6 } };
  });
  return { traces, layout: axesLayout(axes), options: sizeOptions(axes) };
}

/** Labelled points, one trace per group: e.g. accuracy against training time, a point per model. */
export function labelledScatter(
  groups: { name: string; points: { label: string; x: number; y: number }[] }[],
  axes: AxesOptions,
): Chart {
  if (groups.length === 0) throw new RangeError("labelledScatter: no groups to draw");
  const traces = groups.map((g) => ({
    type: "scatter",
    mode: "markers+text",
    name: g.name,
    x: g.points.map((p) => p.x),
    y: g.points.map((p) => p.y),
    text: g.points.map((p) => p.label),
    textposition: "top center",
    marker: { size: 10 },
  }));
  return { traces, layout: axesLayout(axes), options: sizeOptions(axes) };
}

/** Bar charts side by side, one panel per series, each with its own x axis title (e.g. histograms). */
export function barPanels(panels: (Series & { xTitle: string })[], axes: AxesOptions): Chart {
  checkSeries("barPanels", panels);
  const traces = panels.map((p, i) => ({
    type: "bar",
    name: p.name,
    x: Array.from(p.x),
    y: Array.from(p.y),
    xaxis: `x${i + 1}`,
    yaxis: `y${i + 1}`,
  }));
  const layout: Layout = {
    title: { text: axes.title },
    grid: { rows: 1, columns: panels.length, pattern: "independent" },
  };
  panels.forEach((p, i) => {
    const suffix = i === 0 ? "" : `${i + 1}`;
    layout[`xaxis${suffix}`] = { title: { text: p.xTitle } };
    layout[`yaxis${suffix}`] = {
      ...(axes.logY ? { type: "log" } : {}),
      ...(i === 0 && axes.yTitle ? { title: { text: axes.yTitle } } : {}),
    };
  });
  return { traces, layout, options: sizeOptions(axes) };
}

/** One metric of an epoch log as a series (epoch on x), scaled by `scale` (100 for percentages). */
export function epochSeries(
  name: string,
  history: { epoch: number; loss: number; valLoss?: number; valAccuracy?: number; accuracy?: number }[],
  metric: "loss" | "valLoss" | "accuracy" | "valAccuracy",
  scale = 1,
): Series {
  const logged = history.filter((h) => h[metric] !== undefined);
  return { name, x: logged.map((h) => h.epoch), y: logged.map((h) => scale * h[metric]!) };
}

/** The reliability diagram of one or more models: accuracy against mean confidence per bin, on [0, 1]². */
export function reliabilityDiagram(
  curves: { name: string; bins: { meanConfidence: number; accuracy: number; count: number }[] }[],
): Chart {
  return {
    traces: reliabilityTraces(curves),
    layout: axesLayout({
      title: "Reliability diagram",
      xTitle: "mean confidence in bin",
      yTitle: "accuracy in bin",
      xRange: [0, 1],
      yRange: [0, 1],
    }),
    options: { width: 600 },
  };
}
