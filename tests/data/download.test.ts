import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { spawnSync } from "child_process";
import { AddressInfo } from "net";
import { downloadDataset } from "../../lib/data/download";
import { loadMnist, resolveDatasetDir } from "../../lib/data/mnist";

describe("dataset download", function () {
  this.timeout(120000);
  let server: http.Server;
  let baseUrl: string;
  const files = new Map<string, Buffer>();

  before(async () => {
    // Serve the real MNIST files, gzipped, from this machine only; corrupt one copy under another path.
    const source = resolveDatasetDir("mnist");
    for (const name of fs.readdirSync(source)) {
      const raw = fs.readFileSync(path.join(source, name));
      const gz = name.endsWith(".gz") ? raw : zlib.gzipSync(raw, { level: 1 });
      files.set(`/good/${name.replace(/\.gz$/, "")}.gz`, gz);
    }
    const label = zlib.gunzipSync(files.get("/good/t10k-labels-idx1-ubyte.gz")!);
    label[100] = (label[100] + 1) % 10;
    files.set("/corrupt/t10k-labels-idx1-ubyte.gz", zlib.gzipSync(label));
    for (const [key, value] of files) if (key.startsWith("/good/") && !key.includes("t10k-labels")) files.set(key.replace("/good/", "/corrupt/"), value);
    server = http.createServer((req, res) => {
      const body = files.get(req.url ?? "");
      // No keep-alive: fetch could otherwise reuse a socket the server is closing, and see ECONNRESET.
      res.writeHead(body ? 200 : 404, { Connection: "close" });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => server.close());

  const quiet = () => undefined;

  it("downloads, verifies and loads the four files, and keeps verified files on a second run", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-dl-"));
    await downloadDataset({ dir, mirrors: [`${baseUrl}/missing/`, `${baseUrl}/good/`], log: quiet });
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith(".gz")).length, 4);
    assert.equal(loadMnist({ dir }).test.count, 10000);
    const lines: string[] = [];
    await downloadDataset({ dir, mirrors: [`${baseUrl}/nothing-here/`], log: (l) => lines.push(l) });
    assert.equal(lines.filter((l) => l.includes("present and verified")).length, 4);
  });

  it("replaces a truncated .gz already in the folder when a good copy can be fetched", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-dl-"));
    const good = files.get("/good/t10k-labels-idx1-ubyte.gz")!;
    const target = path.join(dir, "t10k-labels-idx1-ubyte.gz");
    fs.writeFileSync(target, good.subarray(0, good.length >> 1));
    const lines: string[] = [];
    await downloadDataset({ dir, mirrors: [`${baseUrl}/good/`], log: (l) => lines.push(l) });
    assert.ok(fs.readFileSync(target).equals(good), "the truncated file was not replaced");
    assert.ok(lines.some((l) => l.includes(target) && /corrupt gzip data.*fetching it again/.test(l)), lines.join("\n"));
    assert.equal(loadMnist({ dir }).test.count, 10000);
  });

  it("names a damaged .gz already in the folder when no good copy can be fetched", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-dl-"));
    const good = files.get("/good/train-images-idx3-ubyte.gz")!;
    fs.writeFileSync(path.join(dir, "train-images-idx3-ubyte.gz"), good.subarray(0, 1000));
    await assert.rejects(
      downloadDataset({ dir, mirrors: [`${baseUrl}/missing/`], log: quiet }),
      /Could not download train-images-idx3-ubyte\.gz[\s\S]*HTTP 404[\s\S]*The copy already in .*train-images-idx3-ubyte\.gz is unusable \(corrupt gzip data/,
    );
  });

  it("keeps the last path segment of a mirror given without a trailing slash", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-dl-"));
    await downloadDataset({ dir, mirrors: [`${baseUrl}/good`], log: quiet });
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith(".gz")).length, 4);
  });

  it("rejects an unknown dataset, a bad timeout and misspelled options", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-dl-"));
    const cifar = "cifar" as unknown as "mnist";
    await assert.rejects(downloadDataset({ dir, dataset: cifar }), /downloadDataset: dataset must be one of "mnist", "fashion-mnist", got "cifar"/);
    await assert.rejects(downloadDataset({ dir, timeoutMs: -1 }), /downloadDataset: timeoutMs must be a positive integer, got -1/);
    const misspelled = { dir, mirror: [baseUrl] } as unknown as { dir: string };
    await assert.rejects(downloadDataset(misspelled), /unknown option "mirror" \(did you mean "mirrors"\?\)/);
    const oneString = { dir, mirrors: `${baseUrl}/good/` } as unknown as { dir: string };
    await assert.rejects(downloadDataset(oneString), /downloadDataset: mirrors must be an array of URLs, got "http/);
    await assert.rejects(downloadDataset({ dir, mirrors: ["not a url"] }), /downloadDataset: mirrors must be URLs, got "not a url"/);
  });

  it("rejects a file whose content does not match its checksum", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-dl-"));
    await assert.rejects(downloadDataset({ dir, mirrors: [`${baseUrl}/corrupt/`], log: quiet }), /t10k-labels-idx1-ubyte\.gz[\s\S]*checksum mismatch/);
    assert.ok(!fs.existsSync(path.join(dir, "t10k-labels-idx1-ubyte.gz")));
  });

  it("fails clearly without a network", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-dl-"));
    // A loopback port that was just freed has no listener: the connection is refused at once, as offline.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await assert.rejects(downloadDataset({ dir, mirrors: [`http://127.0.0.1:${port}/`], log: quiet }), /network error \(ECONNREFUSED\)[\s\S]*Is there a network connection\?/);
  });
});

describe("npm run download (scripts/download-mnist)", () => {
  const script = path.join(__dirname, "..", "..", "scripts", "download-mnist.js");
  const run = (args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 30000 });

  it("prints usage for --help and exits 0 without downloading", () => {
    const result = run(["--help"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Usage: npm run download/);
  });

  it("rejects an unknown flag with exit code 2 instead of downloading MNIST", () => {
    const result = run(["--fashon"]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /download: Unknown option '--fashon'[\s\S]*Usage:/);
  });
});
