/** The bench's command line and its statistics: medians of interleaved rounds. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { compared, interleave, spread } from "../../scripts/bench/rounds";

const script = path.resolve(__dirname, "..", "..", "scripts", "bench.js");

describe("bench", function () {
  this.timeout(60_000);

  it("--help prints usage and exits 0; an unknown flag or a bad --rounds exits 2 naming it", () => {
    const help = spawnSync(process.execPath, [script, "--help"], { encoding: "utf8", timeout: 20_000 });
    assert.strictEqual(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: npm run bench -- \[options\]/);
    assert.match(help.stdout, /--only NAME .*speedrun/);
    for (const [args, message] of [
      [["--bogus"], /bench: Unknown option '--bogus' \(see --help\)/],
      [["--rounds", "0"], /bench: --rounds must be an integer from 1 to 100, got "0"/],
      [
        ["--only", "nothing-like-this"],
        /bench: --only "nothing-like-this" matches no module; the modules are .*speedrun/,
      ],
    ] as const) {
      const run = spawnSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 20_000 });
      assert.strictEqual(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });

  it("spread gives the median, min and max, the median of an even count being the middle pair's mean", () => {
    assert.deepStrictEqual(spread([5, 1, 3]), { median: 3, min: 1, max: 5, rounds: 3 });
    assert.deepStrictEqual(spread([4, 1, 3, 10]), { median: 3.5, min: 1, max: 10, rounds: 4 });
    assert.throws(() => spread([]), /at least one value/);
  });

  it("interleave takes turns round by round and drops a candidate that cannot run", async () => {
    const order: string[] = [];
    const result = await interleave(3, {
      ours: (round) => (order.push(`ours${round}`), 10 + round),
      peer: (round) => (order.push(`peer${round}`), 20 - round),
      missing: () => (order.push("missing"), undefined),
    });
    assert.deepStrictEqual(order, ["ours0", "peer0", "missing", "ours1", "peer1", "ours2", "peer2"]);
    assert.deepStrictEqual(result.ours, { median: 11, min: 10, max: 12, rounds: 3 });
    assert.strictEqual(result.missing, undefined);
    const row = compared(result.ours!, result.peer, true);
    assert.strictEqual(row.ratio, 11 / 19, "the ratio is of medians");
    assert.strictEqual(compared(result.ours!, result.peer, false).ratio, 19 / 11, "for times, peer / ours");
  });
});
