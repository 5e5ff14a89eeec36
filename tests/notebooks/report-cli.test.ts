/**
 * `npm run report`'s command line: strict arguments, clear errors, and a run over a folder of good and
 * bad notebooks where every notebook is tried and the index says which failed.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../lib/paths";
import { fixtureNotebook, tempFolder, writeFixture } from "../support/notebooks";

const ROOT = projectRoot();
const REPORT = path.join(ROOT, "dist", "scripts", "report.js");

function report(...args: string[]) {
  const env = { ...process.env };
  delete env.MNIST_QUICK;
  const result = spawnSync(process.execPath, [REPORT, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env,
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("report command line", function () {
  this.timeout(150_000);

  it("--only matching nothing is an error listing the notebooks, even where no reports folder exists", () => {
    const fresh = path.join(tempFolder("report"), "not-yet");
    const { status, stdout, stderr } = report("--only", "99", "--out", fresh);
    assert.equal(status, 2);
    assert.match(
      stderr,
      /no notebook matches --only 99; the notebooks are:\n {2}01-loading-and-exploring\.ipynb/,
    );
    assert.doesNotMatch(stderr + stdout, /ENOENT/);
  });

  it("--only without a value is an error, not a run of every notebook", () => {
    const { status, stderr } = report("--only");
    assert.equal(status, 2);
    assert.match(stderr, /--only <value>' argument missing/);
  });

  it("--only=01 selects like --only 01", () => {
    const joined = report("--only=01", "--list");
    assert.deepEqual([joined.status, joined.stdout], [0, "01-loading-and-exploring.ipynb\n"]);
    assert.deepEqual(report("--only", "01", "--list").stdout, joined.stdout);
  });

  it("an unknown flag is an error", () => {
    const { status, stderr } = report("--quik");
    assert.equal(status, 2);
    assert.match(stderr, /Unknown option '--quik'/);
  });

  it("--help prints the usage and exits 0", () => {
    const { status, stdout } = report("--help");
    assert.equal(status, 0);
    assert.match(stdout, /^Usage: npm run report/);
  });

  describe("a folder with good and bad notebooks", () => {
    const dir = tempFolder("report-bad");
    const out = path.join(dir, "reports");
    let run: ReturnType<typeof report>;
    let index: string;

    before(() => {
      writeFixture(
        dir,
        "01-good.ipynb",
        fixtureNotebook([{ markdown: "# Good" }, { code: 'console.log("hello");' }]),
      );
      writeFixture(dir, "02-not-json.ipynb", "{ nope");
      writeFixture(
        dir,
        "03-throws.ipynb",
        fixtureNotebook([{ code: "const a = 1;" }, { code: 'throw new Error("boom");' }]),
      );
      writeFixture(dir, "04-hangs.ipynb", fixtureNotebook([{ code: "await new Promise(() => {});" }]));
      writeFixture(dir, "05-python.ipynb", fixtureNotebook([{ code: "print(1)" }], "python3"));
      writeFixture(dir, "06-old.ipynb", { nbformat: 3, nbformat_minor: 0, worksheets: [] });
      writeFixture(dir, "07-good-too.ipynb", fixtureNotebook([{ code: "6 * 7" }]));
      run = report("--notebooks", dir, "--out", out, "--cell-timeout", "3", "--quick");
      index = fs.readFileSync(path.join(out, "index.html"), "utf8");
    });

    it("runs every notebook, fails the command, and names each failure with its cell", () => {
      assert.equal(run.status, 1, run.stderr);
      assert.match(
        run.stderr,
        /5 of 7 notebooks failed: 02-not-json, 03-throws, 04-hangs, 05-python, 06-old/,
      );
      assert.match(run.stderr, /02-not-json\.ipynb: not a valid notebook/);
      assert.match(
        run.stderr,
        /03-throws\.ipynb: cell 2 of 2 failed: throw new Error\("boom"\);\nError: boom/,
      );
      assert.match(
        run.stderr,
        /04-hangs\.ipynb: cell 1 of 1 failed: await new Promise\(\(\) => \{\}\);\nCellTimeoutError/,
      );
      assert.match(run.stderr, /05-python\.ipynb: kernel is "python3", expected "tslab"/);
      assert.match(run.stderr, /06-old\.ipynb: nbformat is 3, expected 4/);
      assert.ok(
        fs.existsSync(path.join(out, "07-good-too.html")),
        "a notebook after the failures still runs",
      );
    });

    it("shows progress per cell", () => {
      assert.match(run.stdout, /▶ 01-good \(quick mode\)\n {2}\[1\/1\] 0:00 console\.log\("hello"\);\n✔ /);
    });

    it("lists each notebook's time in the index, and which failed, linking a failed notebook's partial report", () => {
      assert.match(index, /<a href="01-good\.html">01-good<\/a> — <span class="ok">ok<\/span>, \d+\.\d s/);
      assert.match(index, /02-not-json — <strong class="failed">failed<\/strong>/);
      assert.match(
        index,
        /<a href="03-throws\.html">03-throws<\/a> — <strong class="failed">failed<\/strong> after \d+\.\d s/,
      );
      assert.match(index, /2 of 7 notebooks ran; 5 failed/);
      assert.match(
        fs.readFileSync(path.join(out, "03-throws.html"), "utf8"),
        /This notebook stopped at an error/,
      );
    });

    it("prints no absolute paths of this machine's project folder", () => {
      for (const text of [run.stdout, run.stderr, index]) assert.ok(!text.includes(ROOT + path.sep), text);
    });
  });
});
