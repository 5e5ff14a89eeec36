/**
 * The one interface every classifier in lib/ follows, after scikit-learn's estimators:
 * hyperparameters go to the constructor, `fit` learns state, `predict` / `predictProba` / `score` use it.
 *
 * Inputs are dense row-major matrices of float features (one row per sample) and integer labels 0..9.
 * Image models (CNN) take the same 784-column rows and reshape them internally.
 */
export interface Matrix {
  /** rows × cols values, row-major. */
  data: Float32Array;
  rows: number;
  cols: number;
}

export interface EpochLog {
  epoch: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  learningRate?: number;
  seconds: number;
}

export interface FitOptions {
  /** Held-out data scored after every epoch (never the test set). */
  validation?: { x: Matrix; y: Uint8Array };
  /** Called after each epoch, e.g. to draw a live plot. */
  onEpoch?: (log: EpochLog) => void;
  /** Print a progress line per epoch (default true in notebooks, false in tests). */
  verbose?: boolean;
}

export interface Classifier {
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

export const NUM_CLASSES = 10;

/** Makes a Matrix, checking that the data length matches the shape. */
export function matrix(data: Float32Array, rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols <= 0) {
    throw new RangeError(`matrix: invalid shape ${rows}×${cols}`);
  }
  if (data.length !== rows * cols) {
    throw new RangeError(`matrix: data has ${data.length} values but shape ${rows}×${cols} needs ${rows * cols}`);
  }
  return { data, rows, cols };
}

/**
 * Shared plumbing: input validation with clear errors, `predict` as the arg-max of `predictProba`,
 * and `score` as accuracy. Subclasses implement `fitImpl` and `predictProbaImpl`.
 */
export abstract class BaseClassifier implements Classifier {
  abstract readonly name: string;
  abstract readonly implementation: "scratch" | "tfjs";
  history: EpochLog[] = [];
  /** Number of features seen by fit; null until fitted. */
  protected nFeatures: number | null = null;
  readonly numClasses: number = NUM_CLASSES;

  protected abstract fitImpl(x: Matrix, y: Uint8Array, options: FitOptions): Promise<void>;
  protected abstract predictProbaImpl(x: Matrix): Float32Array;

  get isFitted(): boolean {
    return this.nFeatures !== null;
  }

  async fit(x: Matrix, y: Uint8Array, options: FitOptions = {}): Promise<this> {
    checkMatrix(this.name, x, "fit");
    checkLabels(this.name, y, x.rows, this.numClasses);
    if (options.validation) {
      checkMatrix(this.name, options.validation.x, "fit (validation)", x.cols);
      checkLabels(this.name, options.validation.y, options.validation.x.rows, this.numClasses);
    }
    this.history = [];
    await this.fitImpl(x, y, options);
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

  score(x: Matrix, y: Uint8Array): number {
    checkLabels(this.name, y, x.rows, this.numClasses);
    const predicted = this.predict(x);
    let correct = 0;
    for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) correct++;
    return correct / y.length;
  }

  protected checkPredictInput(x: Matrix, method: string): void {
    if (this.nFeatures === null) throw new Error(`${this.name}: ${method} called before fit`);
    checkMatrix(this.name, x, method, this.nFeatures);
  }
}

export function checkMatrix(model: string, x: Matrix, method: string, expectedCols?: number): void {
  if (!x || !(x.data instanceof Float32Array)) throw new TypeError(`${model}: ${method} expects a Matrix {data: Float32Array, rows, cols}`);
  if (x.rows === 0) throw new RangeError(`${model}: ${method} got empty data (0 rows)`);
  if (x.data.length !== x.rows * x.cols) {
    throw new RangeError(`${model}: ${method} got ${x.data.length} values for a ${x.rows}×${x.cols} matrix`);
  }
  if (expectedCols !== undefined && x.cols !== expectedCols) {
    throw new RangeError(`${model}: ${method} got ${x.cols} features per sample, but the model was fitted on ${expectedCols}`);
  }
}

export function checkLabels(model: string, y: Uint8Array, rows: number, numClasses: number): void {
  if (!(y instanceof Uint8Array)) throw new TypeError(`${model}: labels must be a Uint8Array`);
  if (y.length !== rows) throw new RangeError(`${model}: ${rows} samples but ${y.length} labels`);
  for (let i = 0; i < y.length; i++) {
    if (y[i] >= numClasses) throw new RangeError(`${model}: label ${y[i]} at index ${i} is outside 0..${numClasses - 1}`);
  }
}

export function argmaxRows(values: Float32Array, rows: number, cols: number): Uint8Array {
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestValue = values[r * cols];
    for (let c = 1; c < cols; c++) {
      const v = values[r * cols + c];
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}
