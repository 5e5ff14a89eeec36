/**
 * Soft voting (scikit-learn's `VotingClassifier(voting="soft")`): the ensemble's probabilities are the
 * weighted mean of its members' probabilities, and its prediction their arg-max. Members that make
 * different mistakes (other seeds, other architectures) outvote each other's errors.
 *
 * Weights are one of:
 *  - "uniform": every member counts the same (plain soft voting, the default);
 *  - "validation": chosen in `fit` on `options.validation` (never the test set) by ./weights.ts,
 *    after each member's probabilities are calibrated there by temperature scaling (./temperature.ts);
 *  - fixed numbers, one per member (normalised to sum to 1).
 * Members may be fitted already (`prefit: true`, e.g. loaded from the model store): `fit` then only
 * chooses the weights.
 */
import { argmaxRows, NUM_CLASSES, type Matrix } from "../matrix";
import { accuracy } from "../metrics/accuracy";
import type { Classifier, FitOptions } from "../models/estimator";
import type { Params } from "../params";
import type { EpochLog } from "../training/epoch-log";
import { checkLabels, checkMatrix, checkOptionKeys } from "../validation";
import { applyTemperature, checkTemperature, fitTemperature } from "./temperature";
import { chooseVotingWeights, type ChosenWeights } from "./weights";

export interface VotingMember {
  /** The member's name: a parameter prefix ("name.param"), and its name in the model store. */
  name: string;
  model: Classifier;
}

export type VotingWeights = "uniform" | "validation" | number[];

export interface VotingOptions {
  members: VotingMember[];
  /** Default "uniform". */
  weights?: VotingWeights;
  /** The members are fitted already: `fit` only chooses weights (default false). */
  prefit?: boolean;
}

const WHO = "VotingClassifier";

export class VotingClassifier implements Classifier<Params> {
  readonly members: VotingMember[];
  readonly weights: VotingWeights;
  readonly prefit: boolean;
  readonly history: EpochLog[] = [];
  /** The weights in use once fitted (normalised), and how they were found on validation data. */
  fittedWeights: number[] | null = null;
  weightSearch: ChosenWeights | null = null;
  /** Each member's temperature once fitted: chosen on validation with "validation" weights, else 1. */
  fittedTemperatures: number[] | null = null;
  private nFeatures: number | null = null;

  constructor(options: VotingOptions) {
    checkOptionKeys(WHO, options, ["members", "weights", "prefit"]);
    const { members, weights = "uniform", prefit = false } = options ?? ({} as VotingOptions);
    if (!Array.isArray(members) || members.length === 0)
      throw new RangeError(`${WHO}: members must be a non-empty array of { name, model }`);
    const names = new Set<string>();
    members.forEach((member, i) => {
      if (!member || typeof member.model?.predictProba !== "function")
        throw new TypeError(`${WHO}: members[${i}].model must be a Classifier`);
      if (typeof member.name !== "string" || !/^[\w-]+$/.test(member.name))
        throw new RangeError(
          `${WHO}: members[${i}].name must be letters, digits, "-" or "_", got ${JSON.stringify(member.name)}`,
        );
      if (names.has(member.name)) throw new RangeError(`${WHO}: two members are named "${member.name}"`);
      names.add(member.name);
    });
    if (Array.isArray(weights)) normalise(weights, members.length);
    else if (weights !== "uniform" && weights !== "validation")
      throw new RangeError(
        `${WHO}: weights must be "uniform", "validation" or ${members.length} numbers, got ${JSON.stringify(weights)}`,
      );
    this.members = members;
    this.weights = Array.isArray(weights) ? [...weights] : weights;
    this.prefit = prefit;
  }

  get name(): string {
    const kind = this.weights === "uniform" ? "soft voting" : "weighted soft voting";
    return `Ensemble (${kind}, ${this.members.length} members)`;
  }

  /** Our own arithmetic when every member's is; TensorFlow.js's as soon as one member uses it. */
  get implementation(): "scratch" | "tfjs" {
    return this.members.some((m) => m.model.implementation === "tfjs") ? "tfjs" : "scratch";
  }

  getParams(): Params {
    const params: Params = { weights: this.weights, prefit: this.prefit };
    for (const { name, model } of this.members)
      for (const [key, value] of Object.entries(model.getParams())) params[`${name}.${key}`] = value;
    return params;
  }

  /** Changes the ensemble's own parameters or a member's ("name.param"); the ensemble becomes unfitted. */
  setParams(changes: Partial<Params>): this {
    const own: Params = {};
    for (const [key, value] of Object.entries(changes)) {
      const dot = key.indexOf(".");
      const member = this.members.find((m) => m.name === key.slice(0, dot));
      if (dot > 0 && member) member.model.setParams({ [key.slice(dot + 1)]: value });
      else if (key === "weights" || key === "prefit") own[key] = value;
      else
        throw new RangeError(
          `${WHO}.setParams: unknown parameter "${key}"; known: weights, prefit, or "member.param" for ` +
            `members ${this.members.map((m) => m.name).join(", ")}`,
        );
    }
    const fresh = new VotingClassifier({ members: this.members, weights: this.weights, ...own });
    Object.assign(this, { weights: fresh.weights, prefit: fresh.prefit });
    this.fittedWeights = null;
    this.weightSearch = null;
    this.fittedTemperatures = null;
    this.nFeatures = null;
    return this;
  }

  /** A new, unfitted ensemble of unfitted copies of the members. */
  clone(): this {
    const members = this.members.map(({ name, model }) => ({ name, model: model.clone() }));
    return new VotingClassifier({ members, weights: this.weights, prefit: this.prefit }) as this;
  }

  get isFitted(): boolean {
    return this.fittedWeights !== null;
  }

  /**
   * Fits every member on (x, y) with `options` (unless prefit), then sets the weights; with weights
   * "validation", `options.validation` is required and is where they are chosen.
   */
  async fit(x: Matrix, y: Uint8Array, options: FitOptions = {}): Promise<this> {
    checkMatrix(`${WHO}: fit`, x);
    checkLabels(`${WHO}: fit`, y, { rows: x.rows, numClasses: NUM_CLASSES });
    if (this.weights === "validation" && !options.validation)
      throw new Error(`${WHO}: weights "validation" needs fit(x, y, { validation }) (never the test set)`);
    if (!this.prefit) for (const { model } of this.members) await model.fit(x, y, options);
    this.nFeatures = x.cols;
    if (this.weights === "validation") {
      const { x: vx, y: vy } = options.validation!;
      const raw = this.memberProbabilities(vx);
      this.fittedTemperatures = raw.map((p) => fitTemperature(p, vy));
      const calibrated = raw.map((p, m) => applyTemperature(p, this.fittedTemperatures![m]));
      this.weightSearch = chooseVotingWeights(calibrated, vy);
      this.fittedWeights = this.weightSearch.weights;
    } else {
      this.fittedTemperatures = this.members.map(() => 1);
      this.fittedWeights =
        this.weights === "uniform"
          ? this.members.map(() => 1 / this.members.length)
          : normalise(this.weights, this.members.length);
      this.weightSearch = null;
    }
    return this;
  }

  /** Each member's probabilities for x, in member order (rows × 10 each). */
  memberProbabilities(x: Matrix): Float32Array[] {
    return this.members.map(({ model }) => model.predictProba(x));
  }

  /**
   * The weighted mean of members' probabilities (each at its fitted temperature) computed elsewhere
   * (e.g. once per member for a comparison table), so the ensemble needs no second pass over them.
   */
  combine(memberProbabilities: Float32Array[]): Float32Array {
    const weights = this.checkFitted("combine");
    if (memberProbabilities.length !== weights.length)
      throw new RangeError(
        `${WHO}: combine needs ${weights.length} members' probabilities, got ${memberProbabilities.length}`,
      );
    const length = memberProbabilities[0].length;
    const sum = new Float64Array(length);
    const temperatures = this.fittedTemperatures!;
    memberProbabilities.forEach((raw, m) => {
      if (raw.length !== length)
        throw new RangeError(`${WHO}: member ${m} has ${raw.length} probabilities, member 0 has ${length}`);
      const p = applyTemperature(raw, temperatures[m]);
      for (let i = 0; i < length; i++) sum[i] += weights[m] * p[i];
    });
    return Float32Array.from(sum);
  }

  predictProba(x: Matrix): Float32Array {
    this.checkFitted("predictProba");
    checkMatrix(`${WHO}: predictProba`, x, { cols: this.nFeatures ?? undefined });
    return this.combine(this.memberProbabilities(x));
  }

  predict(x: Matrix): Uint8Array {
    return argmaxRows(this.predictProba(x), x.rows, NUM_CLASSES);
  }

  score(x: Matrix, y: Uint8Array): number {
    checkLabels(`${WHO}: score`, y, { rows: x.rows, numClasses: NUM_CLASSES });
    return accuracy(y, this.predict(x));
  }

  /**
   * Marks an ensemble of fitted members as fitted with the given weights and temperatures (1 each
   * when not given), without data: how a saved ensemble is restored (./manifest.ts).
   */
  restore(weights: number[], features: number, temperatures?: number[]): this {
    this.fittedWeights = normalise(weights, this.members.length);
    this.fittedTemperatures = temperatures ?? this.members.map(() => 1);
    if (this.fittedTemperatures.length !== this.members.length)
      throw new RangeError(
        `${WHO}: one temperature per member (${this.members.length}), got ${this.fittedTemperatures.length}`,
      );
    this.fittedTemperatures.forEach((t) => checkTemperature(WHO, t));
    this.nFeatures = features;
    return this;
  }

  get features(): number | null {
    return this.nFeatures;
  }

  private checkFitted(method: string): number[] {
    if (!this.fittedWeights) throw new Error(`${WHO}: ${method} called before fit`);
    return this.fittedWeights;
  }
}

/** `weights` scaled to sum to 1, after checking there is one finite, non-negative weight per member. */
function normalise(weights: number[], members: number): number[] {
  if (weights.length !== members)
    throw new RangeError(
      `${WHO}: weights must have one number per member (${members}), got ${weights.length}`,
    );
  let total = 0;
  for (const w of weights) {
    if (typeof w !== "number" || !Number.isFinite(w) || w < 0)
      throw new RangeError(`${WHO}: weights must be finite and non-negative, got ${JSON.stringify(weights)}`);
    total += w;
  }
  if (total === 0) throw new RangeError(`${WHO}: weights must not all be 0`);
  return weights.map((w) => w / total);
}
