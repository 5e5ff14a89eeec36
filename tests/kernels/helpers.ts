/** Shared fixtures for the kernel tests: the implementations under test and tolerant comparisons. */
import * as assert from "assert";
import { getKernels, type Kernels } from "../../lib/kernels";
import type { ThreadJob } from "../../lib/kernels/thread-protocol";
import { Random } from "../../lib/random";

export const reference: Kernels = getKernels({ implementation: "reference" });

/** The default wasm build on the calling thread only and over two threads, then the build without FMA. */
export function wasmBuilds(): Kernels[] {
  return [
    getKernels({ implementation: "wasm", threads: 1 }),
    getKernels({ implementation: "wasm", threads: 2 }),
    getKernels({ implementation: "wasm", threads: 1, relaxedSimd: false }),
  ];
}

/** A label telling the builds of wasmBuilds() apart. */
export function buildLabel(kernels: Kernels): string {
  const fma = (kernels as { fusedMultiplyAdd?: boolean }).fusedMultiplyAdd ? " fma" : "";
  return `${kernels.threads}T${fma}`;
}

export function randomArray(random: Random, length: number, low = -1, high = 1): Float32Array {
  const array = new Float32Array(length);
  for (let i = 0; i < length; i++) array[i] = random.uniform(low, high);
  return array;
}

/** The same values in the kernels' own memory (the zero-copy path) or in a plain array (the staged path). */
export function place(kernels: Kernels, values: Float32Array, inKernelMemory: boolean): Float32Array {
  if (!inKernelMemory) return values.slice();
  const array = kernels.alloc(values.length);
  array.set(values);
  return array;
}

/** Element-wise |actual − expected| ≤ tolerance(i), reporting the first offending index. */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: (index: number) => number,
  label: string,
): void {
  assert.strictEqual(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= tolerance(i))) {
      assert.fail(
        `${label}: element ${i} is ${actual[i]}, expected ${expected[i]} (tolerance ${tolerance(i)})`,
      );
    }
  }
}

/** Exact equality, where NaN equals NaN (kernels must propagate it like the reference). */
export function assertEqualArrays(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  label: string,
): void {
  assert.strictEqual(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i] && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      assert.fail(`${label}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

/** The same bits in every element (unlike assertEqualArrays, tells −0 from 0 and NaN payloads apart). */
export function assertSameBits(
  actual: Float32Array | Int32Array,
  expected: Float32Array | Int32Array,
  label: string,
): void {
  assert.strictEqual(actual.length, expected.length, `${label}: length`);
  const a = new Int32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Int32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < e.length; i++) {
    if (a[i] !== e[i])
      assert.fail(`${label}: element ${i} is ${actual[i]}, expected ${expected[i]} (bits differ)`);
  }
}

/** The number of jobs each run of the kernels' jobs (on the pool or, for one job, the caller) got while `body` ran. */
export function jobsPerRun(kernels: Kernels, body: () => void): number[] {
  const runner = kernels as unknown as { run(jobs: readonly ThreadJob[]): void };
  const counts: number[] = [];
  runner.run = (jobs) => {
    counts.push(jobs.length);
    Object.getPrototypeOf(runner).run.call(runner, jobs);
  };
  try {
    body();
  } finally {
    delete (runner as Partial<typeof runner>).run;
  }
  return counts;
}
