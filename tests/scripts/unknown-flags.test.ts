import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

const SCRIPTS = path.resolve(__dirname, "..", "..", "scripts");

/** Every command-line script refuses a flag it does not know, before doing any work. */
describe("scripts reject unknown flags", function () {
  this.timeout(60000);
  for (const script of [
    "eval-classic",
    "install-kernel",
    "download-mnist",
    "train-cnn",
    "report",
    "bench",
    "train",
    "predict",
    "evaluate-tta",
  ]) {
    it(`${script} exits 2 naming the flag`, () => {
      const run = spawnSync(process.execPath, [path.join(SCRIPTS, `${script}.js`), "--no-such-flag"], {
        encoding: "utf8",
        timeout: 50000,
      });
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /Unknown option '--no-such-flag'/);
    });
  }
});
