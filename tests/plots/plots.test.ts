import { strict as assert } from "assert";
import * as zlib from "zlib";
import { crc32, encodePng } from "../../lib/plots/png";
import { captionedGridHtml, imageGridPng } from "../../lib/plots/image-grid";
import { plotHtml, plotlyLoaderHtml, withTitleObjects } from "../../lib/plots/plotly";
import { tableHtml, toDataFrame } from "../../lib/plots/table";

/** Reads width, height and the unfiltered pixel rows back out of a PNG made by encodePng. */
function decodePng(png: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  let offset = 8;
  const idat: Uint8Array[] = [];
  while (offset < png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    assert.equal(
      view.getUint32(offset + 8 + length),
      crc32(png.subarray(offset + 4, offset + 8 + length)),
      `CRC of ${type}`,
    );
    if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  return { width, height, pixels };
}

describe("plots", () => {
  it("crc32 matches the standard check value", () => {
    assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
  });

  it("encodes a grayscale PNG that decodes to the same pixels", () => {
    const pixels = Uint8Array.from({ length: 6 }, (_, i) => i * 40);
    const decoded = decodePng(encodePng(pixels, 3, 2));
    assert.equal(decoded.width, 3);
    assert.equal(decoded.height, 2);
    assert.deepEqual(Array.from(decoded.pixels), Array.from(pixels));
    assert.throws(() => encodePng(pixels, 4, 2), /needs 8 bytes, got 6/);
  });

  it("lays out an image grid with padding and scale", () => {
    const images = new Uint8Array(3 * 2 * 2).fill(255);
    const { width, height, pixels } = decodePng(
      imageGridPng(images, 3, 2, 2, { columns: 2, scale: 1, padding: 1 }),
    );
    assert.equal(width, 2 * 3 + 1);
    assert.equal(height, 2 * 3 + 1);
    assert.equal(pixels[1 * width + 1], 255);
    assert.equal(pixels[0], 64);
    // The fourth cell is empty background.
    assert.equal(pixels[5 * width + 5], 64);
  });

  it("maps float images by range and stretches minmax", () => {
    const { pixels } = decodePng(
      imageGridPng(Float32Array.of(-1, 1), 1, 1, 2, { range: "minmax", scale: 1, padding: 0 }),
    );
    assert.deepEqual(Array.from(pixels), [0, 255]);
    assert.throws(() => imageGridPng(new Float32Array(3), 1, 2, 2), /need 4 values, got 3/);
  });

  it("rejects bad grid options and sizes, naming them", () => {
    const images = new Uint8Array(8);
    assert.throws(
      () => imageGridPng(images, 2, 2, 2, { colums: 2 } as never),
      /image grid: unknown option "colums" \(did you mean "columns"\?\)/,
    );
    assert.throws(
      () => imageGridPng(images, 2, 2, 2, { scale: 0 }),
      /image grid: scale must be a positive integer, got 0/,
    );
    assert.throws(
      () => imageGridPng(images, 2, 2, 2, { range: "unity" as never }),
      /image grid: range must be one of "bytes", "unit", "minmax", got "unity"/,
    );
    assert.throws(
      () => imageGridPng(images, 2.5, 2, 2),
      /image grid: count must be a positive integer, got 2.5/,
    );
    assert.throws(
      () => encodePng(new Uint8Array(0), 0, 2),
      /encodePng: width must be a positive integer, got 0/,
    );
    assert.throws(
      () => plotHtml([], {}, { heigth: 300 } as never),
      /plot: unknown option "heigth" \(did you mean "height"\?\)/,
    );
  });

  it("captions are escaped", () => {
    assert.match(
      captionedGridHtml([{ pixels: new Uint8Array(4), caption: "<7>", highlight: true }], 2, 2),
      /&lt;7&gt;/,
    );
  });

  it("a chart waits for plotly and carries its data; the loader inlines plotly without a CDN", () => {
    const html = plotHtml([{ type: "bar", x: [1], y: ["</script>"] }], { title: "t" });
    assert.match(html, /Plotly\.newPlot\("mnist-plot-/);
    assert.ok(!html.includes('["</script>"]'), "closing tags inside data must be escaped");
    const loader = plotlyLoaderHtml();
    assert.ok(loader.length > 1_000_000);
    assert.ok(!/<script[^>]*\ssrc=/.test(loader), "no external script");
  });

  it("wraps string titles as plotly 3 expects", () => {
    const layout = withTitleObjects({
      title: "t",
      xaxis: { title: "x", type: "log" },
      yaxis2: { title: { text: "y" } },
    });
    assert.deepEqual(layout.title, { text: "t" });
    assert.deepEqual(layout.xaxis, { title: { text: "x" }, type: "log" });
    assert.deepEqual(layout.yaxis2, { title: { text: "y" } });
    assert.match(plotHtml([], { title: "chart" }), /"title":\{"text":"chart"\}/);
  });

  it("renders a danfojs table", () => {
    const html = tableHtml(toDataFrame([{ model: "knn", accuracy: 0.97051 }]), 3);
    assert.match(html, /<th[^>]*>model<\/th>/);
    assert.match(html, /0\.971/);
  });
});
