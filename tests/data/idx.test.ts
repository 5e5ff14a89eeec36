import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { encodeIdx, IdxFormatError, parseIdx, readIdxFile } from "../../lib/data/idx";

describe("IDX parser", () => {
  const images = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);
  const encoded = encodeIdx(images, [2, 3, 4]);

  it("round-trips raw and gzipped files", () => {
    for (const bytes of [encoded, zlib.gzipSync(encoded)]) {
      const parsed = parseIdx(bytes, "x", 3);
      assert.deepEqual(parsed.shape, [2, 3, 4]);
      assert.deepEqual(Array.from(parsed.data), Array.from(images));
    }
  });

  it("rejects a wrong magic number, naming the file", () => {
    const bad = encoded.slice();
    bad[0] = 0x12;
    assert.throws(() => parseIdx(bad, "bad.idx"), (e: Error) => e instanceof IdxFormatError && /bad\.idx: wrong magic number 0x12/.test(e.message));
  });

  it("rejects an unsupported value type", () => {
    const bad = encoded.slice();
    bad[2] = 0x0d;
    assert.throws(() => parseIdx(bad, "f.idx"), /unsupported IDX value type 0x0d \(float32\)/);
  });

  it("rejects a file with fewer values than its header promises", () => {
    assert.throws(() => parseIdx(encoded.subarray(0, encoded.length - 5), "cut.idx"), /cut\.idx: truncated: header promises 2×3×4 = 24 values but only 19 bytes follow/);
  });

  it("rejects a truncated header and a too-short file", () => {
    assert.throws(() => parseIdx(encoded.subarray(0, 9), "h.idx"), /truncated header: 3 dimensions need 16 bytes, the file has 9/);
    assert.throws(() => parseIdx(Uint8Array.of(0, 0), "tiny.idx"), /truncated: 2 bytes/);
  });

  it("rejects trailing bytes", () => {
    const longer = new Uint8Array(encoded.length + 3);
    longer.set(encoded);
    assert.throws(() => parseIdx(longer, "t.idx"), /3 unexpected trailing bytes/);
  });

  it("rejects the wrong number of dimensions (images passed as labels)", () => {
    assert.throws(() => parseIdx(encoded, "img.idx", 1), /expected 1 dimension\(s\) but the header declares 3/);
  });

  it("rejects a zero dimension", () => {
    assert.throws(() => parseIdx(encodeIdx(new Uint8Array(0), [0, 28, 28]), "z.idx"), /dimension 0 is 0/);
  });

  it("rejects corrupt gzip data", () => {
    const gz = zlib.gzipSync(encoded);
    assert.throws(() => parseIdx(gz.subarray(0, gz.length - 12), "c.gz"), /c\.gz: gzip data is corrupt or truncated/);
  });

  it("reports a missing file clearly", () => {
    const missing = path.join(os.tmpdir(), "no-such-file.idx");
    assert.throws(() => readIdxFile(missing), /no-such-file\.idx: cannot read file \(ENOENT\)/);
  });

  it("reads from disk", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "idx-")), "a.idx");
    fs.writeFileSync(file, encoded);
    assert.deepEqual(readIdxFile(file, 3).shape, [2, 3, 4]);
  });
});
