import { strict as assert } from "assert";
import { Random } from "../lib/random";

describe("Random", () => {
  it("is reproducible from a seed and differs across seeds", () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(seqA, Array.from({ length: 5 }, () => b.next()));
    assert.notDeepEqual(seqA, Array.from({ length: 5 }, () => c.next()));
  });

  it("draws uniforms in [0, 1) with the right mean, and normals with mean 0 and std 1", () => {
    const r = new Random(1);
    let sum = 0;
    let min = 1;
    let max = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    assert.ok(min >= 0 && max < 1);
    assert.ok(Math.abs(sum / n - 0.5) < 0.01);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s1 += z;
      s2 += z * z;
    }
    assert.ok(Math.abs(s1 / n) < 0.02);
    assert.ok(Math.abs(s2 / n - 1) < 0.02);
  });

  it("int covers its range evenly and rejects bad bounds", () => {
    const r = new Random(3);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 50000; i++) counts[r.int(5)]++;
    counts.forEach((c) => assert.ok(Math.abs(c - 10000) < 500));
    assert.throws(() => r.int(0), /positive integer/);
  });

  it("permutation holds each index once", () => {
    const p = new Random(5).permutation(1000);
    assert.deepEqual(Array.from(p).sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
    assert.notDeepEqual(Array.from(p.subarray(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("rejects a non-finite seed", () => {
    assert.throws(() => new Random(NaN), /seed must be a finite number/);
  });
});
