import { strict as assert } from "assert";
import { Cell } from "../../scripts/notebook-runner/notebook";
import { OutputRecorder } from "../../scripts/notebook-runner/outputs";

const codeCell = (): Cell => ({ cell_type: "code", source: "", metadata: {}, outputs: [] });

describe("notebook runner: output recorder", () => {
  it("updates every output with a display id, across cells, and appends a new display with a known id", () => {
    const recorder = new OutputRecorder();
    const [a, b] = [codeCell(), codeCell()];
    recorder.record(
      a,
      { type: "display", data: { "text/plain": "1" }, metadata: {}, displayId: "x", update: false },
      1,
    );
    recorder.record(
      b,
      { type: "display", data: { "text/plain": "2" }, metadata: {}, displayId: "x", update: false },
      2,
    );
    recorder.record(
      b,
      { type: "display", data: { "text/plain": "3" }, metadata: { m: 1 }, displayId: "x", update: true },
      2,
    );
    const shown = (c: Cell) =>
      c.outputs?.map((o) => (o.output_type === "display_data" ? [o.data["text/plain"], o.metadata] : o));
    assert.deepEqual(shown(a), [["3", { m: 1 }]]);
    assert.deepEqual(shown(b), [["3", { m: 1 }]]);
  });

  it("ignores an update for an id never shown, as Jupyter's client does", () => {
    const recorder = new OutputRecorder();
    const cell = codeCell();
    recorder.record(
      cell,
      { type: "display", data: { "text/plain": "?" }, metadata: {}, displayId: "y", update: true },
      1,
    );
    assert.deepEqual(cell.outputs, []);
  });

  it("starts a new stream output when another output came between two writes", () => {
    const recorder = new OutputRecorder();
    const cell = codeCell();
    recorder.record(cell, { type: "stream", name: "stdout", text: "a" }, 1);
    recorder.record(
      cell,
      { type: "display", data: { "text/html": "<i>x</i>" }, metadata: {}, update: false },
      1,
    );
    recorder.record(cell, { type: "stream", name: "stdout", text: "b" }, 1);
    recorder.record(cell, { type: "stream", name: "stdout", text: "c" }, 1);
    assert.deepEqual(
      cell.outputs?.map((o) => (o.output_type === "stream" ? o.text : o.output_type)),
      ["a", "display_data", "bc"],
    );
  });

  it("rewrites text shown to the reader with the given function, errors included", () => {
    const recorder = new OutputRecorder((t) => t.replace("/root/project/", ""));
    const cell = codeCell();
    recorder.record(
      cell,
      { type: "error", ename: "Error", evalue: "no /root/project/x", traceback: ["at /root/project/y"] },
      1,
    );
    assert.deepEqual(cell.outputs, [
      { output_type: "error", ename: "Error", evalue: "no x", traceback: ["at y"] },
    ]);
  });
});
