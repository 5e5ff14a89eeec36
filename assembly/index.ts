/**
 * The kernels module. Every export works on raw byte addresses in the imported shared memory and
 * allocates nothing, so any number of instances (one per worker) can run on the same memory; the
 * JS side (lib/kernels/wasm.ts) owns allocation and threading.
 */
export { gemm, gemmScratchBytes } from "./gemm";
export { im2col, col2im } from "./conv";
export { maxPool, maxPoolBackward } from "./pool";
export { relu, reluBackward, addBias, sumRows } from "./elementwise";
export { convWeightGradSparse, convInputGradSparse } from "./sparse";
export { adamStep } from "./optimizer";
