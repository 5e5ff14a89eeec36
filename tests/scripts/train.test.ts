import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const TRAIN = path.resolve(__dirname, "..", "..", "scripts", "train.js");

describe("npm run train --quick", function () {
  this.timeout(300000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "train-"));
  const env = {
    ...process.env,
    MNIST_MODELS_DIR: path.join(dir, "models"),
    MNIST_RESULTS_DIR: path.join(dir, "reports"),
    MNIST_RETRAIN: "",
  };
  const train = () =>
    spawnSync(process.execPath, [TRAIN, "--quick"], { encoding: "utf8", env, timeout: 280000 });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("trains the members and the ensemble into the store, prints test accuracies, writes metrics.json", () => {
    const run = train();
    assert.equal(run.status, 0, run.stderr);
    for (const name of ["cnn-speed-s0", "cnn-speed-s1", "ensemble"]) {
      assert.ok(fs.existsSync(path.join(dir, "models", name, "card.json")), `${name} saved`);
      assert.match(run.stdout, new RegExp(`^${name} +\\d+\\.\\d\\d% +\\d+\\.\\d\\d%`, "m"));
    }
    assert.ok(fs.existsSync(path.join(dir, "models", "ensemble", "manifest.json")));
    const metrics = JSON.parse(fs.readFileSync(path.join(dir, "reports", "metrics.json"), "utf8"));
    assert.equal(metrics.quick, true);
    assert.deepEqual(
      metrics.results.map((r: { model: string; status: string }) => [r.model, r.status]),
      [
        ["cnn-speed-s0", "trained"],
        ["cnn-speed-s1", "trained"],
        ["ensemble", "trained"],
      ],
    );
    const card = JSON.parse(fs.readFileSync(path.join(dir, "models", "cnn-speed-s0", "card.json"), "utf8"));
    assert.equal(card.metrics.testAccuracy, metrics.results[0].testAccuracy);
  });

  it("a second run loads every member instead of training it", () => {
    const run = train();
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /cnn-speed-s0: loaded/);
    assert.match(run.stdout, /cnn-speed-s1: loaded/);
    assert.match(run.stdout, /^ensemble .* loaded$/m);
  });
});
