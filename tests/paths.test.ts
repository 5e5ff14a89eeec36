import { strict as assert } from "assert";
import * as path from "path";
import { folderFromEnv, projectRoot } from "../lib/paths";
import { resultsDir } from "../lib/models/evaluate";

describe("folderFromEnv", () => {
  it("treats an unset, empty or blank variable as unset and uses the fallback", () => {
    for (const env of [{}, { DIR: "" }, { DIR: "  " }])
      assert.equal(folderFromEnv("DIR", "/fallback", env), "/fallback");
  });

  it("resolves a set value against the current folder", () => {
    assert.equal(folderFromEnv("DIR", "/fallback", { DIR: "/tmp/results" }), "/tmp/results");
    assert.equal(folderFromEnv("DIR", "/fallback", { DIR: "out" }), path.resolve("out"));
  });
});

describe("resultsDir", () => {
  it("falls back to reports/ when MNIST_RESULTS_DIR is empty (it used to fail with mkdir '')", () => {
    const saved = process.env.MNIST_RESULTS_DIR;
    try {
      process.env.MNIST_RESULTS_DIR = "";
      assert.equal(resultsDir(), path.join(projectRoot(), "reports"));
    } finally {
      if (saved === undefined) delete process.env.MNIST_RESULTS_DIR;
      else process.env.MNIST_RESULTS_DIR = saved;
    }
  });
});
