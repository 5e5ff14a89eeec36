import { strict as assert } from "assert";
import * as fs from "fs";
import { DatasetNotFoundError, loadMnist, resolveDatasetDir } from "../../lib/data/mnist";
import { writeFixtureDataset } from "./fixtures";

describe("MNIST loader", () => {
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env.MNIST_DIR = savedEnv.MNIST_DIR;
    if (savedEnv.MNIST_DIR === undefined) delete process.env.MNIST_DIR;
  });

  it("loads the full dataset with the right shapes, label range and class balance, without per-pixel overhead", () => {
    delete process.env.MNIST_DIR;
    const started = Date.now();
    const { train, test, source } = loadMnist();
    const elapsed = Date.now() - started;
    assert.equal(train.count, 60000);
    assert.equal(test.count, 10000);
    assert.equal(train.images.length, 60000 * 28 * 28);
    assert.ok(train.images instanceof Uint8Array);
    assert.equal(train.height, 28);
    assert.equal(train.width, 28);
    assert.ok(train.labels.every((l) => l <= 9));
    assert.equal(new Set(test.labels).size, 10);
    // The first training label of MNIST is a 5, the first test label a 7.
    assert.equal(train.labels[0], 5);
    assert.equal(test.labels[0], 7);
    assert.ok(fs.existsSync(source));
    // A guard against accidental per-pixel overhead (which took minutes), loose enough for a loaded
    // machine; load speed itself is not a unit test's business.
    assert.ok(elapsed < 20000, `loading took ${elapsed} ms`);
  });

  it("applies train and test limits", () => {
    const { train, test } = loadMnist({ trainLimit: 100, testLimit: 10 });
    assert.equal(train.count, 100);
    assert.equal(test.labels.length, 10);
  });

  it("rejects negative, fractional, NaN and string limits instead of loading 59,995 or 0 images", () => {
    const dir = writeFixtureDataset();
    for (const trainLimit of [-5, 2.5, NaN, 0]) {
      assert.throws(() => loadMnist({ dir, trainLimit }), new RegExp(`loadMnist: trainLimit must be a positive integer, got ${trainLimit}`));
    }
    assert.throws(() => loadMnist({ dir, testLimit: "10" as unknown as number }), /loadMnist: testLimit must be a positive integer, got "10"/);
  });

  it("rejects an unknown dataset name and misspelled options instead of loading MNIST", () => {
    const dir = writeFixtureDataset();
    const cifar = "cifar" as unknown as "mnist";
    assert.throws(() => loadMnist({ dataset: cifar, dir }), /loadMnist: dataset must be one of "mnist", "fashion-mnist", got "cifar"/);
    assert.throws(() => resolveDatasetDir(cifar), /resolveDatasetDir: dataset must be one of/);
    const misspelled = { dir, trainLimt: 5 } as unknown as { dir: string };
    assert.throws(() => loadMnist(misspelled), /loadMnist: unknown option "trainLimt" \(did you mean "trainLimit"\?\)/);
  });

  it("rejects a test split whose images differ in size from the training images", () => {
    const dir = writeFixtureDataset({ testImageSize: 14 });
    assert.throws(() => loadMnist({ dir }), /loadMnist: the train images in .* are 28×28 but the test images are 14×14/);
  });

  it("reads raw and gzipped files from MNIST_DIR", () => {
    for (const gzip of [false, true]) {
      process.env.MNIST_DIR = writeFixtureDataset({ gzip });
      const { train, test, source } = loadMnist();
      assert.equal(source, process.env.MNIST_DIR);
      assert.equal(train.count, 20);
      assert.equal(test.count, 10);
      assert.equal(train.labels[13], 3);
    }
  });

  it("loads Fashion-MNIST through the same code", () => {
    const dir = writeFixtureDataset();
    const fashion = loadMnist({ dataset: "fashion-mnist", dir });
    assert.equal(fashion.classNames[9], "Ankle boot");
    assert.equal(fashion.train.count, 20);
  });

  it("fails clearly when MNIST_DIR does not exist", () => {
    process.env.MNIST_DIR = "/nonexistent/mnist";
    assert.throws(() => loadMnist(), (e: Error) => e instanceof DatasetNotFoundError && /MNIST_DIR points to \/nonexistent\/mnist, which does not exist/.test(e.message));
  });

  it("fails clearly when MNIST_DIR lacks files, listing them", () => {
    process.env.MNIST_DIR = writeFixtureDataset({ omit: ["t10k-labels-idx1-ubyte"] });
    assert.throws(() => resolveDatasetDir(), /which lacks t10k-labels-idx1-ubyte \(raw or \.gz\)/);
  });

  it("fails clearly on an image/label count mismatch", () => {
    process.env.MNIST_DIR = writeFixtureDataset({ trainLabels: [1, 2, 3] });
    assert.throws(() => loadMnist(), /train split in .*: train-images-idx3-ubyte has 20 images but train-labels-idx1-ubyte has 3 labels/);
  });

  it("fails clearly on labels outside 0..9", () => {
    process.env.MNIST_DIR = writeFixtureDataset({ trainCount: 3, trainLabels: [1, 12, 3] });
    assert.throws(() => loadMnist(), /train-labels-idx1-ubyte: label 12 at index 1 is outside 0\.\.9/);
  });

  it("fails clearly on a truncated file", () => {
    const dir = writeFixtureDataset();
    const file = `${dir}/train-images-idx3-ubyte`;
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 1000));
    process.env.MNIST_DIR = dir;
    assert.throws(() => loadMnist(), /train-images-idx3-ubyte: truncated/);
  });
});
