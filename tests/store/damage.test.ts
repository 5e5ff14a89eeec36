import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { initBackend } from "../../lib/backend";
import { MlpClassifier } from "../../lib/models/scratch/mlp-classifier";
import { TfSoftmaxRegression } from "../../lib/models/tfjs/softmax-regression";
import { loadModel, saveModel } from "../../lib/store/save-load";
import { libraryVersion, type ModelCard } from "../../lib/store/card";
import { smallMnist, tempDir, type Split } from "./helpers";

const card: ModelCard = {
  name: "damaged",
  kind: "MlpClassifier",
  implementation: "scratch",
  params: {},
  seed: 0,
  dataChecksum: "none",
  libraryVersion: "0.0.0",
  date: new Date(0).toISOString(),
  trainingSeconds: 0,
  metrics: {},
};

describe("store: damaged or partial saves are refused with an error naming the file", function () {
  this.timeout(60000);
  let data: Split;
  let root: string;
  let pristine: string;
  let tfPristine: string;
  let copies = 0;

  before(async () => {
    await initBackend();
    data = smallMnist(300, 50);
    root = tempDir("damage");
    pristine = path.join(root, "pristine");
    const mlp = await new MlpClassifier({ hiddenSizes: [16], epochs: 1 }).fit(data.train.x, data.train.y);
    await saveModel(mlp, pristine, card);
    tfPristine = path.join(root, "tf-pristine");
    const tf = await new TfSoftmaxRegression({ epochs: 1 }).fit(data.train.x, data.train.y);
    await saveModel(tf, tfPristine, { ...card, implementation: "tfjs" });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A fresh copy of a saved model, for one kind of damage. */
  function copyOf(source: string): string {
    const dir = path.join(root, `copy-${copies++}`);
    fs.cpSync(source, dir, { recursive: true });
    return dir;
  }

  function manifestOf(dir: string) {
    return JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  }

  it("the undamaged copy loads (so the failures below are the damage's)", async () => {
    await loadModel(copyOf(pristine));
    await loadModel(copyOf(tfPristine));
  });

  it("a weights.bin cut short", async () => {
    const dir = copyOf(pristine);
    const file = path.join(dir, "weights.bin");
    fs.truncateSync(file, fs.statSync(file).size - 100);
    await assert.rejects(
      () => loadModel(dir),
      new RegExp(`${escape(file)}: .*bytes, the manifest says .*cut short`),
    );
  });

  it("edited bytes in weights.bin", async () => {
    const dir = copyOf(pristine);
    const file = path.join(dir, "weights.bin");
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 3] ^= 0x55;
    fs.writeFileSync(file, bytes);
    await assert.rejects(
      () => loadModel(dir),
      new RegExp(`${escape(file)}: array .*SHA-256 is .*the file was changed`),
    );
  });

  it("NaN values, even with checksums recomputed to match", async () => {
    const dir = copyOf(pristine);
    const file = path.join(dir, "weights.bin");
    const manifest = manifestOf(dir);
    const bytes = fs.readFileSync(file);
    const entry = manifest.arrays[0];
    new DataView(bytes.buffer, bytes.byteOffset).setFloat32(entry.offset + 4, NaN, true);
    fs.writeFileSync(file, bytes);
    const { createHash } = await import("crypto");
    const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
    entry.sha256 = sha(bytes.subarray(entry.offset, entry.offset + entry.bytes));
    manifest.weights.sha256 = sha(bytes);
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    await assert.rejects(
      () => loadModel(dir),
      new RegExp(`array ${escape(entry.name)}: value 1 is NaN, not a finite`),
    );
  });

  it("a missing manifest, a missing weights file, a missing card, a missing folder", async () => {
    let dir = copyOf(pristine);
    fs.rmSync(path.join(dir, "manifest.json"));
    await assert.rejects(
      () => loadModel(dir),
      new RegExp(`${escape(path.join(dir, "manifest.json"))}: missing`),
    );
    dir = copyOf(pristine);
    fs.rmSync(path.join(dir, "weights.bin"));
    await assert.rejects(
      () => loadModel(dir),
      new RegExp(`${escape(path.join(dir, "weights.bin"))}: missing`),
    );
    dir = copyOf(pristine);
    fs.rmSync(path.join(dir, "card.json"));
    await assert.rejects(() => loadModel(dir), new RegExp(`${escape(path.join(dir, "card.json"))}: missing`));
    await assert.rejects(() => loadModel(path.join(root, "nothing")), /the folder is missing/);
  });

  it("a changed shape, a missing array, a truncated manifest, a wrong format version", async () => {
    let dir = copyOf(pristine);
    let manifest = manifestOf(dir);
    manifest.arrays[0].shape = [manifest.arrays[0].shape[0] + 1];
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    await assert.rejects(() => loadModel(dir), /bytes recorded, but shape/);

    dir = copyOf(pristine);
    manifest = manifestOf(dir);
    const dropped = manifest.arrays.pop().name;
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    await assert.rejects(() => loadModel(dir), new RegExp(`array ${escape(dropped)} is missing`));

    dir = copyOf(pristine);
    const text = fs.readFileSync(path.join(dir, "manifest.json"), "utf8");
    fs.writeFileSync(path.join(dir, "manifest.json"), text.slice(0, text.length / 2));
    await assert.rejects(() => loadModel(dir), /manifest\.json: not valid JSON/);

    dir = copyOf(pristine);
    manifest = manifestOf(dir);
    manifest.version = 99;
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    await assert.rejects(() => loadModel(dir), /format version 99, this library reads version 1/);
  });

  it("weights that no longer fit the layers say which version saved them, and what to do", async () => {
    // As when a preset's layers change between versions: here the network's hidden layer.
    const dir = copyOf(pristine);
    const manifest = manifestOf(dir);
    manifest.model.params.hiddenSizes = [17];
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    await assert.rejects(
      () => loadModel(dir),
      new RegExp(
        `the weights are for .*saved by mnist-notebooks 0\\.0\\.0; this is ${escape(libraryVersion())}.*train`,
      ),
    );
    // Saved by this version, the same damage is the file's fault: no hint about versions.
    const cardFile = path.join(dir, "card.json");
    const saved = JSON.parse(fs.readFileSync(cardFile, "utf8"));
    fs.writeFileSync(cardFile, JSON.stringify({ ...saved, libraryVersion: libraryVersion() }));
    await assert.rejects(
      () => loadModel(dir),
      (err: Error) => !/saved by mnist-notebooks/.test(err.message),
    );
  });

  it("a damaged tfjs model: edited weights, cut model.json", async () => {
    let dir = copyOf(tfPristine);
    const file = path.join(dir, "weights.bin");
    const bytes = fs.readFileSync(file);
    bytes[10] ^= 1;
    fs.writeFileSync(file, bytes);
    await assert.rejects(() => loadModel(dir), new RegExp(`${escape(file)}: array .*SHA-256`));
    dir = copyOf(tfPristine);
    const json = path.join(dir, "model.json");
    fs.writeFileSync(json, fs.readFileSync(json, "utf8").slice(0, 200));
    await assert.rejects(() => loadModel(dir), new RegExp(`${escape(json)}: not valid JSON`));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
