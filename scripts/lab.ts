/**
 * `npm run lab`: JupyterLab (or the classic notebook if JupyterLab is missing) on notebooks/, with the
 * project's tslab kernel, while `tsc --watch` rebuilds lib/ on every save. After editing lib/, restart
 * the kernel (or re-run the import cell in a fresh kernel) to pick up the new build.
 */
import { spawn, spawnSync } from "child_process";
import * as path from "path";
import { INSTALL_HINT, jupyterEnv, NOTEBOOK_DIR, ROOT, writeKernelSpec } from "./jupyter";

writeKernelSpec();
const hasLab = spawnSync("jupyter", ["lab", "--version"], { encoding: "utf8" }).status === 0;
const hasNotebook =
  hasLab || spawnSync("jupyter", ["notebook", "--version"], { encoding: "utf8" }).status === 0;
if (!hasNotebook) {
  console.error(INSTALL_HINT);
  process.exit(1);
}
const watcher = spawn(
  process.execPath,
  [
    path.join(ROOT, "node_modules", "typescript", "bin", "tsc"),
    "-p",
    ROOT,
    "--watch",
    "--preserveWatchOutput",
  ],
  {
    stdio: "inherit",
  },
);
const jupyter = spawn(
  "jupyter",
  [hasLab ? "lab" : "notebook", `--notebook-dir=${NOTEBOOK_DIR}`, ...process.argv.slice(2)],
  {
    stdio: "inherit",
    env: jupyterEnv(),
  },
);
jupyter.on("exit", (code) => {
  watcher.kill();
  process.exit(code ?? 0);
});
