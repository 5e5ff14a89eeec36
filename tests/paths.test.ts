import { strict as assert } from "assert";
import * as path from "path";
import { folderFromEnv } from "../lib/paths";

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
