/** scripts/evaluate-tta.js: strict arguments, --help, and clear errors before any data is loaded. */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

const script = path.resolve(__dirname, "..", "..", "scripts", "evaluate-tta.js");

function runScript(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 50_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("evaluate-tta command line", function () {
  this.timeout(60_000);

  it("--help prints usage listing the view sets and exits 0", () => {
    const run = runScript("--help");
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Usage: node dist\/scripts\/evaluate-tta.js --model DIR/);
    assert.match(run.stdout, /none, shifts, shifts8, rotations, shifts\+rotations/);
  });

  it("exits 2 naming the problem: no model, a bad --validation, an unknown view set", () => {
    for (const [args, message] of [
      [[], /--model DIR is required/],
      [["--model", "x", "--validation", "0"], /--validation must be an integer from 1 to 59999, got "0"/],
      [["--model", "x", "--sets", "shifts,flips"], /unknown view set "flips" in --sets; the sets are none/],
      [["--model", "x", "--bogus"], /Unknown option '--bogus'/],
    ] as const) {
      const run = runScript(...args);
      assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });

  it("a missing model folder is an error naming the folder, before any data is loaded", () => {
    const run = runScript("--model", "no/such/folder");
    assert.equal(run.status, 1);
    assert.match(run.stderr, /no\/such\/folder: no saved model there/);
  });
});
