/**
 * The kernels module. Every export works on raw byte addresses in the imported shared memory and
 * allocates nothing, so any number of instances (one per worker) can run on the same memory; the
 * JS side (lib/kernels/wasm.ts) owns allocation and threading.
 */
export { gemm, gemmScratchBytes } from "./gemm";
// Exported so the optimizer keeps each a function of its own: inlined into gemm, the tile loop would
// share registers with gemm's alpha and beta and spill (see microkernel.ts).
export { storeTile, addTile } from "./microkernel";
export { im2col, col2im } from "./conv";
export { convForward } from "./conv-forward";
export { maxPool, maxPoolCheckArgmax, maxPoolBackward } from "./pool";
export { relu, reluBackward, addBias, sumRows } from "./elementwise";
export { convWeightGradSparse, convInputGradSparse, convGradRouted } from "./sparse";
export { adamStep } from "./optimizer";
export { sumRowsOfProducts, combineColumns } from "./elementwise";
export { winogradFilterFloats, winogradFilters, winogradForward, winogradWorkspaceBytes } from "./winograd";
