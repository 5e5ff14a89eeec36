/**
 * A comparison of several models on the same data, as notebooks 3 and 4 run it: each model fitted and
 * evaluated with `fitAndEvaluate` (one line of outcome printed), then the results as table rows, a
 * chart of accuracy against training time, and twin models (the same model in TensorFlow.js and from
 * scratch) side by side. Twins are paired by the evaluations themselves, never by matching names.
 */
import type { Matrix } from "../matrix";
import { labelledScatter, type Chart } from "../plots/series-charts";
import type { Classifier, FitOptions } from "../models/estimator";
import { fitAndEvaluate, type Evaluation, type FitterSource } from "../models/evaluate";

export interface LabelledData {
  train: { x: Matrix; y: Uint8Array };
  test: { x: Matrix; y: Uint8Array };
}

export type TableRow = Record<string, string | number>;

export class ModelComparison {
  readonly results: Evaluation[] = [];

  /**
   * @param data what `run` fits and evaluates on unless it is given other data
   * @param options.store a model store (`new mn.store.ModelStore()`): each model is trained once, saved
   *   under its label, and loaded on later runs
   */
  constructor(
    readonly data: LabelledData,
    readonly options: { store?: FitterSource } = {},
  ) {}

  /**
   * Fits and evaluates one model (with per-epoch progress unless `verbose: false`), prints its accuracy
   * and times, and keeps the result. `label` replaces the model's own name (e.g. to say which inputs it saw).
   */
  async run(
    model: Classifier,
    options: { data?: LabelledData; label?: string } & FitOptions = {},
  ): Promise<Evaluation> {
    const { data = this.data, label, ...fitOptions } = options;
    console.log(`\n▶ ${label ?? model.name}`);
    const fitter = this.options.store?.fitThrough(label ?? model.name);
    const result = await fitAndEvaluate(
      model,
      data.train,
      data.test,
      { verbose: true, ...fitOptions },
      fitter,
    );
    if (label !== undefined) result.model = label;
    const fit = result.status === "loaded" ? "trained earlier in" : "fit";
    console.log(
      `  test accuracy ${(100 * result.accuracy).toFixed(2)}%, ` +
        `${fit} ${result.fitSeconds.toFixed(1)} s, predict ${result.predictSeconds.toFixed(2)} s`,
    );
    this.results.push(result);
    return result;
  }

  /** One row per model: name, implementation, test accuracy %, fit and predict seconds. */
  rows(): TableRow[] {
    return this.results.map((r) => ({
      model: r.model,
      implementation: r.implementation === "tfjs" ? "TensorFlow.js" : "from scratch",
      "test accuracy %": 100 * r.accuracy,
      "fit s": r.fitSeconds,
      "predict s": r.predictSeconds,
    }));
  }

  /** Test accuracy against fit time (log scale), a labelled point per model, one colour per implementation. */
  accuracyAgainstFitTime(): Chart {
    const groups = (["scratch", "tfjs"] as const).map((impl) => ({
      name: impl === "scratch" ? "from scratch" : "TensorFlow.js",
      points: this.results
        .filter((r) => r.implementation === impl)
        // k-NN's fit only stores the data; keep it on the log axis.
        .map((r) => ({ label: r.model, x: Math.max(r.fitSeconds, 0.01), y: 100 * r.accuracy })),
    }));
    return labelledScatter(
      groups.filter((g) => g.points.length > 0),
      {
        title: "Test accuracy against training time",
        xTitle: "fit time (s, log scale)",
        yTitle: "test accuracy (%)",
        logX: true,
        height: 520,
      },
    );
  }
}

/**
 * One row per pair of twins, [TensorFlow.js, from scratch]: both names and accuracies and the
 * difference in points (scratch minus TensorFlow.js). A pair with a missing member (a model skipped
 * on this backend) is left out.
 */
export function twinRows(pairs: [Evaluation | null, Evaluation | null][]): TableRow[] {
  return pairs.flatMap(([tf, scratch]) => {
    if (!tf || !scratch) return [];
    if (tf.implementation !== "tfjs" || scratch.implementation !== "scratch") {
      throw new RangeError(
        `twinRows: expected [tfjs, scratch] pairs, got [${tf.implementation}, ${scratch.implementation}]`,
      );
    }
    return [
      {
        "TensorFlow.js": tf.model,
        "from scratch": scratch.model,
        "tfjs %": 100 * tf.accuracy,
        "scratch %": 100 * scratch.accuracy,
        "difference (points)": 100 * (scratch.accuracy - tf.accuracy),
      },
    ];
  });
}
