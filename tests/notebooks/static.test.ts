import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { listNotebooks } from "../../scripts/jupyter";

describe("committed notebooks", () => {
  const notebooks = listNotebooks();

  it("exist, starting with notebook 01", () => {
    assert.ok(notebooks.length >= 1);
    assert.equal(path.basename(notebooks[0]), "01-loading-and-exploring.ipynb");
  });

  for (const file of notebooks) {
    it(`${path.basename(file)} uses the tslab kernel, carries no outputs, and starts with setupNotebook()`, () => {
      const nb = JSON.parse(fs.readFileSync(file, "utf8"));
      assert.equal(nb.metadata?.kernelspec?.name, "tslab");
      const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
      for (const cell of code) {
        assert.deepEqual(cell.outputs, [], "outputs must be stripped before committing");
        assert.equal(cell.execution_count, null);
      }
      assert.match([].concat(code[0].source).join(""), /setupNotebook\(\)/);
      assert.equal(
        nb.cells[0].cell_type,
        "markdown",
        "a notebook opens with a markdown cell saying what and why",
      );
    });
  }
});
