import { strict as assert } from "assert";
import { matrix } from "../../lib/matrix";
import { gridSearch } from "../../lib/tuning/grid-search";
import { learningCurve } from "../../lib/tuning/learning-curve";
import {
  clearRegisteredTestSets,
  dataChecksum,
  registerTestSet,
  TestSetLeakError,
} from "../../lib/tuning/test-set-guard";
import { blobs, PlantedClassifier } from "./helpers";

describe("tuning: the tuner cannot receive test data", () => {
  const train = blobs(90, 1);
  const test = blobs(30, 99);
  beforeEach(() => clearRegisteredTestSets());
  after(() => clearRegisteredTestSets());

  it("the search API takes training data only and refuses the registered test set by its checksum", async () => {
    const checksum = registerTestSet(test);
    assert.equal(
      checksum,
      dataChecksum({ x: matrix(test.x.data.slice(), 30, 8), y: test.y.slice() }),
      "a copy has the same checksum",
    );
    PlantedClassifier.fits = 0;
    await assert.rejects(gridSearch(new PlantedClassifier(), { noise: [0.1] }, test), (e: Error) => {
      assert.ok(e instanceof TestSetLeakError);
      assert.match(
        e.message,
        new RegExp(`gridSearch: the data passed in is the registered test set \\(checksum ${checksum}\\)`),
      );
      return true;
    });
    await assert.rejects(learningCurve(new PlantedClassifier(), test, [10]), TestSetLeakError);
    assert.equal(PlantedClassifier.fits, 0, "refused before any training");
  });

  it("also refuses training data with the test rows mixed in, and accepts the training set", async () => {
    registerTestSet(test);
    const rows = train.x.rows + test.x.rows;
    const x = new Float32Array(rows * 8);
    x.set(train.x.data);
    x.set(test.x.data, train.x.data.length);
    const y = new Uint8Array(rows);
    y.set(train.y);
    y.set(test.y, train.y.length);
    await assert.rejects(
      gridSearch(new PlantedClassifier(), { noise: [0.1] }, { x: matrix(x, rows, 8), y }),
      /30 of the 30 rows of the registered test set/,
    );
    const result = await gridSearch(new PlantedClassifier(), { noise: [0.1] }, train, { cv: 2 });
    assert.equal(result.trialsRun, 1);
  });
});
