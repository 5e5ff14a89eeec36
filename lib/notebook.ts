/**
 * The first code cell of every notebook calls `setupNotebook()`: it picks the TensorFlow.js backend,
 * loads plotly into the page, and prints what the notebook will run on.
 */
import { BackendInfo, describeBackend, initBackend, useOurWasmKernels } from "./backend";
import { describeKernels } from "./kernels";
import { ensurePlotly } from "./plots/plotly";
import { isQuickMode } from "./quick";

export interface NotebookSetup {
  backend: BackendInfo;
  quick: boolean;
}

export async function setupNotebook(): Promise<NotebookSetup> {
  let backend = await initBackend();
  // Without tfjs-node, our threaded kernels make the wasm backend train CNNs (and dense layers faster).
  if (backend.name === "wasm") backend = useOurWasmKernels();
  ensurePlotly();
  const quick = isQuickMode();
  console.log(describeBackend(backend));
  console.log(`From-scratch compute kernels: ${describeKernels()}.`);
  console.log(
    quick ? "Quick mode (MNIST_QUICK=1): small subsets and few epochs." : "Full mode: the whole dataset.",
  );
  return { backend, quick };
}
