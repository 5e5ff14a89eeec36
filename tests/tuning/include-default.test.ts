import { strict as assert } from "assert";
import { gridSearch } from "../../lib/tuning/grid-search";
import { withDefaultFirst } from "../../lib/tuning/param-grid";
import { successiveHalving } from "../../lib/tuning/successive-halving";
import { blobs, PlantedClassifier } from "./helpers";

describe("tuning: the default is a candidate, and a tie keeps it", function () {
  this.timeout(60000);
  const data = blobs(300, 3);

  it("puts the model's own values first and drops their duplicate from the candidates", () => {
    const model = new PlantedClassifier({ noise: 0.1 });
    assert.deepEqual(withDefaultFirst(model, [{ noise: 0.3 }, { noise: 0.1 }, { noise: 0.05 }]), [
      { noise: 0.1 },
      { noise: 0.3 },
      { noise: 0.05 },
    ]);
  });

  it("a candidate that only ties with the default on validation does not replace it", async () => {
    // delayMs changes nothing but the time: every candidate scores the same as the default.
    const result = await gridSearch(new PlantedClassifier(), { delayMs: [2, 1] }, data, {
      cv: 3,
      includeDefault: true,
    });
    assert.deepEqual(
      result.trials.map((t) => t.params),
      [{ delayMs: 0 }, { delayMs: 2 }, { delayMs: 1 }],
    );
    assert.equal(new Set(result.trials.map((t) => t.meanScore)).size, 1);
    assert.deepEqual(result.bestParams, { delayMs: 0 });
    assert.deepEqual(
      result.rows().map((r) => r.isDefault),
      [true, false, false],
    );
  });

  it("a better candidate replaces the default; a worse one never does", async () => {
    const model = new PlantedClassifier({ noise: 0.1 });
    const better = await gridSearch(model, { noise: [0.3, 0.02] }, data, { cv: 3, includeDefault: true });
    assert.deepEqual(better.bestParams, { noise: 0.02 });
    const worse = await gridSearch(model, { noise: [0.3, 0.2] }, data, { cv: 3, includeDefault: true });
    assert.deepEqual(worse.bestParams, { noise: 0.1 });
  });

  it("successive halving starts the default in its first rung (the budget's epochs set by the rungs)", async () => {
    const model = new PlantedClassifier({ noise: 0.1 });
    const result = await successiveHalving(model, [{ noise: 0.4 }, { noise: 0.3 }, { noise: 0.2 }], data, {
      resource: "epochs",
      minResource: 1,
      factor: 2,
      cv: 2,
      includeDefault: true,
    });
    assert.deepEqual(result.trials[0].params, { noise: 0.1 });
    assert.deepEqual(result.bestParams, { noise: 0.1, epochs: result.best.resource });
  });
});
