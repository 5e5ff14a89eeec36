/**
 * `npm run kernel`: registers this project's tslab as the "tslab" kernel in your own Jupyter, so
 * JupyterLab started any way you like can run the notebooks.
 */
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { parseCli } from "./cli";
import { INSTALL_HINT, writeKernelSpec } from "./jupyter";

parseCli(
  "kernel",
  'Usage: npm run kernel\n\nRegisters this project\'s tslab as the "tslab" kernel in your Jupyter.',
  {},
  process.argv.slice(2),
);

const result = spawnSync("jupyter", ["--data-dir"], { encoding: "utf8" });
if (result.error) {
  console.error(INSTALL_HINT);
  process.exit(1);
}
const dataDir =
  result.status === 0 ? result.stdout.trim() : path.join(os.homedir(), ".local", "share", "jupyter");
console.log(`Installed the tslab kernel in ${writeKernelSpec(dataDir)}`);
