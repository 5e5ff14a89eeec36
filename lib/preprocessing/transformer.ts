/**
 * The one interface every preprocessing step follows, after scikit-learn's transformers: options go to
 * the constructor, `fit` learns state from the training split only, `transform` applies it to any split
 * (train, validation, test) so no statistics leak from held-out data. Like the classifiers, every
 * transformer has scikit-learn's `getParams` / `setParams` / `clone` (see ../params.ts).
 */
import { Matrix } from "../matrix";
import { assignParams, cloneWithParams, type HasParams } from "../params";
import { checkMatrix, checkOptionKeys } from "../validation";

export interface Transformer<P extends object = object> extends HasParams<P> {
  readonly name: string;
  readonly isFitted: boolean;
  fit(x: Matrix): this;
  transform(x: Matrix): Matrix;
  /** Same as fit(x).transform(x). */
  fitTransform(x: Matrix): Matrix;
}

/** Shared plumbing: input checks with clear errors, "called before fit", feature-count mismatch. */
export abstract class BaseTransformer<P extends object = object> implements Transformer<P> {
  abstract readonly name: string;
  /** Features per sample seen by fit; null until fitted. */
  nFeatures: number | null = null;

  protected abstract fitImpl(x: Matrix): void;
  protected abstract transformImpl(x: Matrix): Matrix;

  get isFitted(): boolean {
    return this.nFeatures !== null;
  }

  /** The constructor options, as given with defaults filled in. */
  abstract getParams(): P;

  /** Changes parameters (validated as by the constructor); the transformer becomes unfitted. */
  setParams(changes: Partial<P>): this {
    return assignParams(this.constructor.name, this, this.getParams(), changes);
  }

  /** A new, unfitted transformer with the same parameters. */
  clone(): this {
    return cloneWithParams(this, this.getParams());
  }

  fit(x: Matrix): this {
    checkMatrix(`${this.name}: fit`, x);
    this.fitImpl(x);
    this.nFeatures = x.cols;
    return this;
  }

  transform(x: Matrix): Matrix {
    this.checkFittedInput(x, "transform", this.fittedFeatures("transform"));
    return this.transformImpl(x);
  }

  fitTransform(x: Matrix): Matrix {
    return this.fit(x).transform(x);
  }

  /** The fitted feature count, or a clear error naming the method called too early. */
  protected fittedFeatures(method: string): number {
    if (this.nFeatures === null) throw new Error(`${this.name}: ${method} called before fit`);
    return this.nFeatures;
  }

  protected checkFittedInput(x: Matrix, method: string, cols: number): void {
    checkMatrix(`${this.name}: ${method}`, x, { cols, colsReason: `but it was fitted on ${cols}` });
  }
}

/**
 * A transformer with no options (what it needs is learned from the data, or it learns nothing): its
 * constructor takes only `{}` and refuses any key with the transformer's name, and its params are `{}`.
 */
export abstract class OptionlessTransformer extends BaseTransformer<Record<string, never>> {
  constructor(name: string, options: Record<string, never>) {
    super();
    checkOptionKeys(name, options, []);
  }

  getParams(): Record<string, never> {
    return {};
  }
}
