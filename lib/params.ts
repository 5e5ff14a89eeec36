/**
 * Hyperparameters as scikit-learn keeps them: every option goes to the constructor, is stored under its
 * own name, and can be read back (`getParams`), changed (`setParams`) and copied into an unfitted twin
 * (`clone`). The tuner and the pipelines rely on this contract for every classifier and transformer.
 *
 * A class declares its parameter names (usually `Object.keys` of its defaults) and keeps each parameter
 * in a field of the same name; its constructor validates them. `setParams` therefore builds a fresh,
 * validated instance from the merged parameters and takes over its state: the estimator becomes unfitted.
 */
import { checkOptionKeys } from "./validation";

export type Params = Record<string, unknown>;

export interface HasParams<P extends object = Params> {
  getParams(): P;
  setParams(changes: Partial<P>): this;
  clone(): this;
}

type Constructor<T> = new (options: object) => T;

/** Reads `names` from `owner`'s fields, copying arrays and plain objects so the caller cannot mutate them. */
export function readParams<P extends object>(owner: object, names: readonly string[]): P {
  const params: Params = {};
  for (const name of names) params[name] = copyValue((owner as Params)[name]);
  return params as P;
}

/**
 * `setParams` for any estimator: checks the names in `changes`, builds a validated instance of the same
 * class from `current` merged with `changes`, and moves its state into `owner`. `release` frees what the
 * old state held (e.g. TensorFlow.js tensors) before it is replaced.
 */
export function assignParams<T extends object>(
  who: string,
  owner: T,
  current: object,
  changes: object,
  release?: () => void,
): T {
  checkOptionKeys(`${who}.setParams`, changes, Object.keys(current));
  const Ctor = owner.constructor as Constructor<T>;
  const fresh = new Ctor({ ...current, ...changes });
  release?.();
  for (const key of Object.keys(owner)) delete (owner as Params)[key];
  Object.assign(owner, fresh);
  return owner;
}

/** `clone` for any estimator: a new unfitted instance of the same class with the same parameters. */
export function cloneWithParams<T extends object>(owner: T, params: object): T {
  const Ctor = owner.constructor as Constructor<T>;
  return new Ctor(params);
}

function copyValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyValue);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyValue(v)]));
  }
  return value;
}
