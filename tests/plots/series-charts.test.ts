import { strict as assert } from "assert";
import {
  barChart,
  barPanels,
  boxChart,
  classScatter,
  epochSeries,
  labelledScatter,
  lineChart,
  reliabilityDiagram,
} from "../../lib/plots/series-charts";
import { tableHtml, toDataFrame } from "../../lib/plots/table";

type Obj = Record<string, unknown>;

describe("series charts", () => {
  it("lineChart draws one trace per series with the axis titles, log axes and step", () => {
    const chart = lineChart(
      [
        { name: "a", x: [1, 2], y: Float32Array.of(0.5, 0.25) },
        { name: "b", x: [1, 2], y: [3, 4] },
      ],
      { title: "loss", xTitle: "epoch", yTitle: "cross-entropy", logY: true, xStep: 1, yRange: [1, 100] },
    );
    assert.equal(chart.traces.length, 2);
    assert.deepEqual(chart.traces[0], {
      type: "scatter",
      mode: "lines+markers",
      name: "a",
      x: [1, 2],
      y: [0.5, 0.25],
    });
    const layout = chart.layout as Obj;
    assert.deepEqual(layout.title, { text: "loss" });
    assert.deepEqual(layout.xaxis, { title: { text: "epoch" }, dtick: 1 });
    // plotly takes a log axis's range in powers of ten.
    assert.deepEqual(layout.yaxis, { title: { text: "cross-entropy" }, type: "log", range: [0, 2] });
    assert.equal(lineChart([{ name: "a", x: [1], y: [1] }], { title: "t" }, false).traces[0].mode, "lines");
  });

  it("rejects a series whose x and y differ in length, naming it, and an empty chart", () => {
    assert.throws(
      () => lineChart([{ name: "odd", x: [1, 2], y: [1] }], { title: "t" }),
      /series "odd" has 2 x values but 1 y values/,
    );
    assert.throws(() => barChart([], { title: "t" }), /barChart: no series/);
    assert.throws(() => boxChart([], { title: "t" }), /boxChart: no groups/);
  });

  it("barChart groups bars, shows a legend only for several series and labels values when asked", () => {
    const one = barChart([{ name: "n", x: ["0", "1"], y: [1, 2] }], { title: "t", categoryX: true });
    assert.equal((one.layout as Obj).showlegend, false);
    assert.equal((one.layout as Obj).barmode, "group");
    assert.deepEqual(((one.layout as Obj).xaxis as Obj).type, "category");
    const two = barChart(
      [
        { name: "a", x: ["0"], y: [96.64] },
        { name: "b", x: ["0"], y: [3.4] },
      ],
      { title: "t" },
      (v) => v.toFixed(2),
    );
    assert.equal((two.layout as Obj).showlegend, true);
    assert.deepEqual(two.traces[1].text, ["3.40"]);
  });

  it("classScatter splits points by label into one trace per class", () => {
    const chart = classScatter([1, 2, 3, 4], [5, 6, 7, 8], [0, 1, 0, 2], ["zero", "one", "two"], {
      title: "t",
    });
    assert.deepEqual(
      chart.traces.map((t) => [t.name, t.x, t.y]),
      [
        ["zero", [1, 3], [5, 7]],
        ["one", [2], [6]],
        ["two", [4], [8]],
      ],
    );
    assert.throws(
      () => classScatter([1], [1, 2], [0], ["a"], { title: "t" }),
      /1 x values, 2 y values and 1 labels differ/,
    );
  });

  it("barPanels puts each series on its own axes, titled", () => {
    const chart = barPanels(
      [
        { name: "a", x: [0], y: [1], xTitle: "raw" },
        { name: "b", x: [0], y: [1], xTitle: "scaled" },
      ],
      { title: "t", yTitle: "pixels", logY: true },
    );
    assert.deepEqual([chart.traces[0].xaxis, chart.traces[1].yaxis], ["x1", "y2"]);
    const layout = chart.layout as Obj;
    assert.deepEqual(layout.xaxis2, { title: { text: "scaled" } });
    assert.deepEqual(layout.yaxis, { type: "log", title: { text: "pixels" } });
    assert.deepEqual(layout.yaxis2, { type: "log" });
    assert.deepEqual((layout.grid as Obj).columns, 2);
  });

  it("labelledScatter and boxChart carry their labels and values", () => {
    const scatter = labelledScatter([{ name: "g", points: [{ label: "k-NN", x: 0.01, y: 97 }] }], {
      title: "t",
      logX: true,
    });
    assert.deepEqual([scatter.traces[0].text, scatter.traces[0].x], [["k-NN"], [0.01]]);
    const box = boxChart([{ name: "0", values: Float64Array.of(1, 2) }], { title: "t", height: 300 });
    assert.deepEqual(box.traces[0].y, [1, 2]);
    assert.deepEqual(box.options, { height: 300 });
  });

  it("epochSeries picks one metric, scaled, skipping epochs that did not log it", () => {
    const history = [
      { epoch: 1, loss: 0.5, valAccuracy: 0.9 },
      { epoch: 2, loss: 0.4 },
      { epoch: 3, loss: 0.3, valAccuracy: 0.95 },
    ];
    assert.deepEqual(epochSeries("m", history, "valAccuracy", 100), { name: "m", x: [1, 3], y: [90, 95] });
    assert.deepEqual(epochSeries("m", history, "loss").y, [0.5, 0.4, 0.3]);
  });

  it("reliabilityDiagram draws the diagonal and the filled bins on [0, 1]", () => {
    const chart = reliabilityDiagram([
      {
        name: "cnn",
        bins: [
          { meanConfidence: 0.5, accuracy: 0.4, count: 0 },
          { meanConfidence: 0.95, accuracy: 0.97, count: 10 },
        ],
      },
    ]);
    assert.equal(chart.traces.length, 2);
    assert.deepEqual(chart.traces[1].x, [0.95]);
    assert.deepEqual(((chart.layout as Obj).xaxis as Obj).range, [0, 1]);
  });
});

describe("table precision", () => {
  it("prints every number of a fractional column with the same decimals, and integer columns as integers", () => {
    const html = tableHtml(
      toDataFrame([
        { model: "a", "test %": 72, errors: 28 },
        { model: "b", "test %": 47.6, errors: 52 },
      ]),
      2,
    );
    assert.match(html, />72\.00</);
    assert.match(html, />47\.60</);
    assert.match(html, />28</);
    assert.doesNotMatch(html, /28\.00/);
  });

  it("takes decimals per column by name, 4 for columns not named", () => {
    const frame = toDataFrame([{ "accuracy %": 97.123, "log loss": 0.12345, other: 0.5 }]);
    const html = tableHtml(frame, { "accuracy %": 2, "log loss": 3 });
    assert.match(html, />97\.12</);
    assert.match(html, />0\.123</);
    assert.match(html, />0\.5000</);
  });
});
