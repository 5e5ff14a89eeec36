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
  const train = (tier = "report") =>
    spawnSync(process.execPath, [TRAIN, "--quick", "--tier", tier], {
      encoding: "utf8",
      env,
      timeout: 280000,
    });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("--tier report: trains its members and ensemble into the store, prints test accuracies, writes metrics.json", () => {
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

  it("--member trains one member on the threads asked for, without the ensemble", () => {
    const args = [TRAIN, "--quick", "--member", "final-cnn-speed-s3", "--threads", "1"];
    const run = spawnSync(process.execPath, args, { encoding: "utf8", env, timeout: 280000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^final-cnn-speed-s3: trained in /m);
    assert.ok(fs.existsSync(path.join(dir, "models", "final-cnn-speed-s3", "card.json")));
    assert.ok(!fs.existsSync(path.join(dir, "models", "final-cnn-speed-s2")), "no other member");
    assert.ok(!fs.existsSync(path.join(dir, "models", "final-ensemble")), "no ensemble");
    const unknown = spawnSync(process.execPath, [TRAIN, "--quick", "--member", "cnn-speed-s0"], {
      encoding: "utf8",
      env,
    });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /the final tier has no member "cnn-speed-s0" \(it has final-cnn-speed-s2, /);
  });

  it("by default trains the final tier on the validation images too, equal weights, with an estimate", () => {
    const run = spawnSync(process.execPath, [TRAIN, "--quick"], { encoding: "utf8", env, timeout: 280000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Tier: final /m);
    assert.match(run.stdout, /^Data: 2500 training images \(validation included\), 1000 test images$/m);
    assert.match(run.stdout, /2 members; training all of them takes about \d+ s on a quiet 2-core machine/);
    assert.match(run.stdout, /^ensemble: equal weights/m);
    for (const name of ["final-cnn-speed-s2", "final-cnn-speed-s3", "final-ensemble"]) {
      assert.ok(fs.existsSync(path.join(dir, "models", name, "card.json")), `${name} saved`);
      // No validation score: the members trained on those images.
      assert.match(run.stdout, new RegExp(`^${name} +trained on +\\d+\\.\\d\\d%`, "m"));
    }
    const card = JSON.parse(
      fs.readFileSync(path.join(dir, "models", "final-cnn-speed-s2", "card.json"), "utf8"),
    );
    assert.deepEqual(card.trainingData, { rows: 2500, cols: 784 });
    assert.match(run.stdout, /^final-cnn-speed-s3 .* loaded$/m, "the member --member trained is loaded");
    assert.match(run.stdout, /^final-cnn-speed-s2 .* trained$/m);
    assert.ok(fs.existsSync(path.join(dir, "models", "ensemble", "manifest.json")), "the report tier stays");
    const manifest = JSON.parse(
      fs.readFileSync(path.join(dir, "models", "final-ensemble", "manifest.json"), "utf8"),
    );
    assert.deepEqual(
      manifest.members.map((m: { name: string }) => m.name),
      ["final-cnn-speed-s2", "final-cnn-speed-s3"],
    );
  });

  it("refuses an unknown tier with exit code 2", () => {
    const run = train("best");
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--tier: tier must be one of final, report, got "best"/);
  });
});
