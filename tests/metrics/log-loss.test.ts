import { strict as assert } from "assert";
import { logLoss } from "../../lib/metrics";
import { assertClose, probabilityRows } from "./close";

describe("metrics: logLoss", () => {
  it("averages −ln of the probability of the true class", () => {
    // −(ln 0.5 + ln 0.75) / 2 = (0.693147 + 0.287682) / 2 = 0.490415
    const loss = logLoss(
      Uint8Array.of(0, 1),
      probabilityRows([
        [0.5, 0.5],
        [0.25, 0.75],
      ]),
      undefined,
      2,
    );
    assertClose(loss, 0.4904146265058631, 1e-12);
  });

  it("reads the true class's column, not the predicted one", () => {
    // true class 1 gets 0.25: −ln 0.25 = 1.386294
    assertClose(
      logLoss(Uint8Array.of(1), probabilityRows([[0.75, 0.25]]), undefined, 2),
      -Math.log(0.25),
      1e-12,
    );
  });

  it("clips a zero probability to ε so one confident mistake stays finite", () => {
    const wrong = probabilityRows([[0, 1]]);
    assertClose(logLoss(Uint8Array.of(0), wrong, undefined, 2), 34.538776394910684, 1e-9); // −ln 1e-15
    assertClose(logLoss(Uint8Array.of(0), wrong, 0.01, 2), 4.605170185988091, 1e-12); // −ln 0.01
  });

  it("clips probability 1 to 1 − ε", () => {
    // −ln 0.99 = 0.0100503
    assertClose(logLoss(Uint8Array.of(0), probabilityRows([[1, 0]]), 0.01, 2), 0.01005033585350145, 1e-12);
  });

  it("is (almost) 0 for one-hot perfect predictions", () => {
    const y = Uint8Array.of(2, 0, 1);
    const oneHot = probabilityRows([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
    assertClose(logLoss(y, oneHot, undefined, 3), 0, 1e-14);
  });

  it("rejects probabilities that are not rows × classes, and a bad ε", () => {
    assert.throws(
      () => logLoss(Uint8Array.of(0, 1), Float32Array.of(0.5, 0.5, 1), undefined, 2),
      /3 values but 2 samples × 2 classes needs 4/,
    );
    assert.throws(() => logLoss(Uint8Array.of(0), Float32Array.of(1, 0), 0, 2), /epsilon/);
    assert.throws(
      () => logLoss(Uint8Array.of(0), [1, 0] as unknown as Float32Array, undefined, 2),
      TypeError,
    );
  });
});
