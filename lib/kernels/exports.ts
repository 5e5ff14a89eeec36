/**
 * The one written copy, on the JavaScript side, of every WebAssembly export's signature (assembly/index.ts
 * holds the other side). The typed view of the module (`KernelExports`), the thread protocol's list of
 * operations and the job arguments the adapter builds are all derived from this table, and
 * `instantiate` checks it against the compiled module's arity, so a signature changed in assembly/
 * and not here fails at load time instead of reading arguments shifted by one.
 *
 * Every parameter is a number: byte addresses in the shared memory, sizes, or scalars; booleans are 0/1.
 * A trailing `scratch` is the running thread's private scratch address, which the thread pool appends
 * to every job (see thread-protocol.ts), so callers never pass it to a job themselves.
 */

/** The geometry parameters of im2col, convForward, col2im and convInputGradSparse, in that order. */
export const CONV_GEOMETRY = [
  "batch",
  "height",
  "width",
  "channels",
  "kernelHeight",
  "kernelWidth",
  "stride",
  "pad",
  "outHeight",
  "outWidth",
] as const;

export const EXPORT_SIGNATURES = {
  gemm: ["transA", "transB", "m", "n", "k", "alpha", "a", "lda", "b", "ldb", "beta", "c", "ldc", "scratch"],
  gemmScratchBytes: [],
  im2col: ["input", ...CONV_GEOMETRY, "cols"],
  convForward: ["input", ...CONV_GEOMETRY, "filters", "weights", "bias", "cols", "output", "scratch"],
  col2im: ["cols", ...CONV_GEOMETRY, "gradInput"],
  winogradFilterFloats: ["channels", "filters"],
  winogradFilters: ["weights", "channels", "filters", "transformed"],
  winogradWorkspaceBytes: ["tilesPerImage", "channels", "filters"],
  winogradForward: [
    "input",
    "batch",
    "height",
    "width",
    "channels",
    "pad",
    "outHeight",
    "outWidth",
    "filters",
    "transformed",
    "bias",
    "workspace",
    "output",
    "scratch",
  ],
  maxPool: [
    "input",
    "firstImage",
    "images",
    "height",
    "width",
    "channels",
    "size",
    "stride",
    "outHeight",
    "outWidth",
    "output",
    "argmax",
  ],
  /** Returns the first index outside its own image's block of `inImage` inputs, or −1. */
  maxPoolCheckArgmax: ["argmax", "batch", "outImage", "inImage"],
  maxPoolBackward: ["gradOutput", "argmax", "firstImage", "images", "outImage", "gradInput", "inImage"],
  convGradRouted: ["cols", "values", "argmax", "count", "patch", "filters", "sums"],
  convWeightGradSparse: [
    "cols",
    "gradOutput",
    "rows",
    "patch",
    "filters",
    "stride",
    "gradWeights",
    "scratch",
  ],
  convInputGradSparse: ["gradOutput", "weights", ...CONV_GEOMETRY, "filters", "gradInput", "scratch"],
  adamStep: [
    "w",
    "g",
    "m",
    "v",
    "length",
    "beta1",
    "oneMinusBeta1",
    "beta2",
    "oneMinusBeta2",
    "stepSize",
    "epsilonHat",
    "coupled",
    "shrink",
  ],
  relu: ["x", "out", "length"],
  reluBackward: ["x", "gradOut", "gradIn", "length"],
  addBias: ["x", "rows", "cols", "bias"],
  sumRows: ["x", "rows", "cols", "out"],
  sumRowsOfProducts: ["x", "y", "rows", "cols", "out"],
  /** b = 0: no b term. */
  combineColumns: ["a", "wa", "b", "wb", "shift", "rows", "cols", "out"],
} as const satisfies Record<string, readonly string[]>;

export type ExportName = keyof typeof EXPORT_SIGNATURES;

/** One number per named parameter. */
export type Numbers<Names extends readonly string[]> = { -readonly [I in keyof Names]: number };

/** The same, as a parameter list. */
type ParameterList<Names extends readonly string[]> =
  Numbers<Names> extends infer List extends number[] ? List : never;

type Queries = (typeof QUERIES)[number];

/** The exports that answer with a number; every other export returns nothing. */
const QUERIES = [
  "gemmScratchBytes",
  "maxPoolCheckArgmax",
  "winogradFilterFloats",
  "winogradWorkspaceBytes",
] as const;

/** The typed view of the instantiated module. */
export type KernelExports = {
  [K in ExportName]: (
    ...args: ParameterList<(typeof EXPORT_SIGNATURES)[K]>
  ) => K extends Queries ? number : void;
};

/** An export's parameters without the trailing scratch address the thread pool supplies. */
type WithoutScratch<Names extends readonly string[]> = Names extends readonly [
  ...infer Rest extends string[],
  "scratch",
]
  ? Rest
  : Names;

/** The arguments a job of export K carries. */
export type JobArgs<K extends ExportName> = Numbers<WithoutScratch<(typeof EXPORT_SIGNATURES)[K]>>;

/** A call of one export that any thread of the pool may run. */
export type ThreadJob = { [K in Operation]: { operation: K; args: JobArgs<K> } }[Operation];

/** Exports a job can name: all but the queries, which the caller runs itself. */
export type Operation = Exclude<ExportName, Queries>;

export const OPERATIONS = (Object.keys(EXPORT_SIGNATURES) as ExportName[]).filter(
  (name): name is Operation => !(QUERIES as readonly string[]).includes(name),
);

/**
 * Throws unless every export of the table is a function of the module taking exactly its listed
 * parameters (a WebAssembly function's `length` is its parameter count).
 */
export function checkExports(moduleExports: Record<string, unknown>): void {
  // Not `exports`: that name is taken in a CommonJS file's scope.
  for (const [name, params] of Object.entries(EXPORT_SIGNATURES)) {
    const fn = moduleExports[name];
    if (typeof fn !== "function") {
      throw new Error(`kernels module: export ${name} is missing (rebuild with npm run build)`);
    }
    if (fn.length !== params.length) {
      throw new Error(
        `kernels module: ${name} takes ${fn.length} parameters ` +
          `but lib/kernels/exports.ts lists ${params.length} ` +
          `(${params.join(", ")}); update the table or rebuild with npm run build`,
      );
    }
  }
}
