/**
 * The one interface every classifier in lib/ follows, after scikit-learn's estimators:
 * hyperparameters go to the constructor, `fit` learns state, `predict` / `predictProba` / `score` use it.
 *
 * Inputs are dense row-major matrices of float features (one row per sample) and integer labels 0..9.
 * Image models (CNN) take the same 784-column rows and reshape them internally.
 *
 * Every classifier also has scikit-learn's parameter methods (`getParams` / `setParams` / `clone`, see
 * ../params.ts): a tuner or pipeline can read, change and copy any model without knowing its class.
 */
import { argmaxRows, NUM_CLASSES, type Matrix } from "../matrix";
import { accuracy } from "../metrics/accuracy";
import { assignParams, cloneWithParams, readParams, type HasParams } from "../params";
import type { EpochLog } from "../training/epoch-log";
import { runEpochs, type EpochDecision, type EpochLoopOptions } from "../training/epochs";
import { checkLabels, checkMatrix, checkOptionKeys } from "../validation";

export interface FitOptions {
  /** Held-out data scored after every epoch (never the test set). */
  validation?: { x: Matrix; y: Uint8Array };
  /** Called after each epoch, e.g. to draw a live plot; returning "stop" ends training there. */
  onEpoch?: (log: EpochLog) => EpochDecision;
  /** Print a progress line per epoch (default true in notebooks, false in tests). */
  verbose?: boolean;
}

/** Samples (rows) and features (cols) of a data set, whether a Matrix holds it or rows come from elsewhere. */
export interface DataShape {
  readonly rows: number;
  readonly cols: number;
}

export interface Classifier<P extends object = object> extends HasParams<P> {
  /** Human-readable model name, e.g. "k-NN (k=3)". */
  readonly name: string;
  /** Who does the arithmetic: our own code or TensorFlow.js. */
  readonly implementation: "scratch" | "tfjs";
  /** Per-epoch training log (empty for models that do not train by epochs). */
  readonly history: EpochLog[];
  fit(x: Matrix, y: Uint8Array, options?: FitOptions): Promise<this>;
  /** rows × numClasses probabilities, row-major. */
  predictProba(x: Matrix): Float32Array;
  predict(x: Matrix): Uint8Array;
  /** Accuracy in [0, 1]. */
  score(x: Matrix, y: Uint8Array): number;
}

/**
 * Shared plumbing: parameters, input validation with clear errors (finite values, shapes, labels),
 * `predict` as the arg-max of `predictProba`, and `score` as accuracy. Subclasses pass their parameter
 * names to the constructor, keep each parameter in a field of that name, and implement `fitImpl` and
 * `predictProbaImpl`.
 */
export abstract class BaseClassifier<P extends object = object> implements Classifier<P> {
  abstract readonly name: string;
  abstract readonly implementation: "scratch" | "tfjs";
  history: EpochLog[] = [];
  /** Number of features seen by fit; null until fitted. */
  protected nFeatures: number | null = null;
  readonly numClasses: number = NUM_CLASSES;
  /** The constructor options that are hyperparameters, for getParams / setParams / clone. */
  protected readonly paramNames: readonly string[];

  /** Checks `options` for unknown (e.g. misspelled) keys, naming the model and its parameters. */
  constructor(options: object | undefined = undefined, paramNames: readonly string[] = []) {
    checkOptionKeys(new.target.name, options, paramNames);
    this.paramNames = paramNames;
  }

  protected abstract fitImpl(x: Matrix, y: Uint8Array, options: FitOptions): Promise<void>;
  protected abstract predictProbaImpl(x: Matrix): Float32Array;

  get isFitted(): boolean {
    return this.nFeatures !== null;
  }

  getParams(): P {
    return readParams<P>(this, this.paramNames);
  }

  /** Changes parameters (validated as by the constructor); the model becomes unfitted. */
  setParams(changes: Partial<P>): this {
    return assignParams(this.constructor.name, this, this.getParams(), changes, () => this.release());
  }

  /** A new, unfitted model with the same parameters. */
  clone(): this {
    return cloneWithParams(this, this.getParams());
  }

  /** Trains by epochs in the shared loop (../training/epochs.ts) and records the history. */
  protected async trainEpochs(
    loop: Pick<EpochLoopOptions, "epochs" | "learningRate" | "trainEpoch" | "validate">,
    options: FitOptions,
  ): Promise<void> {
    this.history = await runEpochs({
      ...loop,
      who: this.name,
      verbose: options.verbose,
      onEpoch: options.onEpoch,
    });
  }

  /** Frees resources held outside the JavaScript heap (TensorFlow.js tensors); nothing by default. */
  protected release(): void {}

  async fit(x: Matrix, y: Uint8Array, options: FitOptions = {}): Promise<this> {
    checkMatrix(`${this.name}: fit`, x);
    const validation = options.validation;
    if (validation) checkMatrix(`${this.name}: fit`, validation.x, { name: "validation.x", cols: x.cols });
    return this.fitChecked("fit", x, y, validation, () => this.fitImpl(x, y, options));
  }

  /**
   * What every way of fitting shares, whatever holds the features (a Matrix for `fit`, the rows of a
   * RowSource for the linear SVM's `fitRows`): the labels checked against the rows, then training from
   * an empty history, and the feature count recorded for predict's checks.
   */
  protected async fitChecked(
    method: string,
    x: DataShape,
    y: Uint8Array,
    validation: { x: DataShape; y: Uint8Array } | undefined,
    train: () => Promise<void>,
  ): Promise<this> {
    const who = `${this.name}: ${method}`;
    checkLabels(who, y, { rows: x.rows, numClasses: this.numClasses });
    if (validation) {
      const { x: vx, y: vy } = validation;
      checkLabels(who, vy, { name: "validation.y", rows: vx.rows, numClasses: this.numClasses });
    }
    this.history = [];
    await train();
    this.nFeatures = x.cols;
    return this;
  }

  predictProba(x: Matrix): Float32Array {
    this.checkPredictInput(x, "predictProba");
    return this.predictProbaImpl(x);
  }

  predict(x: Matrix): Uint8Array {
    this.checkPredictInput(x, "predict");
    return argmaxRows(this.predictProbaImpl(x), x.rows, this.numClasses);
  }

  /** Accuracy in [0, 1], as `metrics.accuracy` counts it. */
  score(x: Matrix, y: Uint8Array): number {
    checkLabels(`${this.name}: score`, y, { rows: x.rows, numClasses: this.numClasses });
    return accuracy(y, this.predict(x));
  }

  protected checkPredictInput(x: Matrix, method: string): void {
    if (this.nFeatures === null) throw new Error(`${this.name}: ${method} called before fit`);
    const colsReason = `but the model was fitted on ${this.nFeatures}`;
    checkMatrix(`${this.name}: ${method}`, x, { cols: this.nFeatures, colsReason });
  }
}
