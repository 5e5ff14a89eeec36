/**
 * The notebook cell rules of the developers' guide, checked statically on every committed notebook:
 * code cells of at most 15 lines and 100 characters per line (longer lines are cut off in the exported
 * HTML reports), and a markdown cell before every code cell, saying why the code is there.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { listNotebooks } from "../../scripts/jupyter";

export const MAX_CELL_LINES = 15;
export const MAX_LINE_CHARS = 100;

interface Cell {
  cell_type: string;
  source: string | string[];
}

/** The lines of a cell's source, without the trailing newline of the last one. */
export function cellLines(cell: Cell): string[] {
  const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
  return text.replace(/\n$/, "").split("\n");
}

/** Every breach of the rules in one notebook, as messages naming the cell (1-based) and the line. */
export function cellRuleViolations(cells: Cell[]): string[] {
  const problems: string[] = [];
  let codeCount = 0;
  cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    codeCount++;
    const where = `cell ${index + 1} (code cell ${codeCount})`;
    const lines = cellLines(cell);
    if (lines.length > MAX_CELL_LINES)
      problems.push(`${where} has ${lines.length} lines (at most ${MAX_CELL_LINES})`);
    lines.forEach((line, i) => {
      // Characters, not UTF-16 units: "×" and "→" count once, as the reader sees them.
      const length = [...line].length;
      if (length > MAX_LINE_CHARS) {
        problems.push(`${where}, line ${i + 1} has ${length} characters (at most ${MAX_LINE_CHARS})`);
      }
    });
    if (index > 0 && cells[index - 1].cell_type !== "markdown") {
      problems.push(`${where} follows another code cell: put a markdown cell saying why before it`);
    }
  });
  return problems;
}

describe("notebook cell rules", () => {
  it("catch a long cell, a long line and a code cell without markdown before it", () => {
    const long: Cell = { cell_type: "code", source: Array.from({ length: 16 }, (_, i) => `line ${i}\n`) };
    const wide: Cell = { cell_type: "code", source: ["x".repeat(101)] };
    const ok: Cell = { cell_type: "code", source: ["const a = 1;\n", "×".repeat(100)] };
    const text: Cell = { cell_type: "markdown", source: ["why"] };
    assert.deepEqual(cellRuleViolations([text, ok]), []);
    const problems = cellRuleViolations([text, long, text, wide, ok]);
    assert.equal(problems.length, 3);
    assert.match(problems[0], /cell 2 \(code cell 1\) has 16 lines/);
    assert.match(problems[1], /cell 4 \(code cell 2\), line 1 has 101 characters/);
    assert.match(problems[2], /cell 5 \(code cell 3\) follows another code cell/);
  });

  for (const file of listNotebooks()) {
    it(`${path.basename(file)}: code cells ≤ ${MAX_CELL_LINES} lines of ≤ ${MAX_LINE_CHARS} characters`, () => {
      const nb = JSON.parse(fs.readFileSync(file, "utf8")) as { cells: Cell[] };
      assert.deepEqual(cellRuleViolations(nb.cells), []);
    });
  }
});
