/** Small data and a classifier with planted accuracy, for the tuning tests. */
import { matrix, type Matrix } from "../../lib/matrix";
import { BaseClassifier } from "../../lib/models/estimator";
import { Random } from "../../lib/random";

/** Gaussian blobs in 8 dimensions, label i % classes: learnable in a moment. */
export function blobs(n: number, seed = 0, classes = 3): { x: Matrix; y: Uint8Array } {
  const random = new Random(seed);
  const x = new Float32Array(n * 8);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % classes;
    for (let j = 0; j < 8; j++) x[i * 8 + j] = (j % classes === y[i] ? 2 : 0) + random.normal() * 0.5;
  }
  return { x: matrix(x, n, 8), y };
}

export interface PlantedOptions {
  /** Fraction of rows answered wrong on purpose. */
  noise?: number;
  /** More epochs remove part of the noise (as a budget would), without changing the ranking. */
  epochs?: number;
  /** Sleep this long in fit, to test time budgets. */
  delayMs?: number;
}

/**
 * Predicts the blob a row belongs to (the largest of its first 3 features), but a planted fraction of
 * the rows (chosen by hashing the row, so the same rows every time) gets the wrong class: its accuracy
 * is about 1 − noise − 0.2 / epochs, so the lowest noise is the planted best.
 */
export class PlantedClassifier extends BaseClassifier<PlantedOptions> {
  static fits = 0;
  readonly name = "PlantedClassifier";
  readonly implementation = "scratch";
  readonly noise: number;
  readonly epochs: number;
  readonly delayMs: number;

  constructor(options: PlantedOptions = {}) {
    super(options, ["noise", "epochs", "delayMs"]);
    this.noise = options.noise ?? 0.1;
    this.epochs = options.epochs ?? 1;
    this.delayMs = options.delayMs ?? 0;
  }

  protected async fitImpl(): Promise<void> {
    PlantedClassifier.fits++;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
  }

  protected predictProbaImpl(x: Matrix): Float32Array {
    const out = new Float32Array(x.rows * 10);
    const wrong = this.noise + 0.2 / this.epochs;
    for (let r = 0; r < x.rows; r++) {
      let best = 0;
      for (let c = 1; c < 3; c++) if (x.data[r * x.cols + c] > x.data[r * x.cols + best]) best = c;
      const bits = new Uint32Array(x.data.buffer, x.data.byteOffset + r * x.cols * 4, 1)[0];
      const u = (Math.imul(bits ^ (bits >>> 15), 0x2c1b3c6d) >>> 0) / 2 ** 32;
      out[r * 10 + (u < wrong ? (best + 1) % 3 : best)] = 1;
    }
    return out;
  }
}
