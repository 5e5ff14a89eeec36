/**
 * A separate process that saves a model under a name, for the store's atomic-write test:
 *   node save-worker.js ROOT NAME WRITER   (WRITER "slow" writes for a long time, to be killed mid-write)
 */
import * as fs from "fs";
import * as path from "path";
import { KNeighborsClassifier } from "../../lib/models/neighbors/knn";
import { matrix } from "../../lib/matrix";
import { saveModel, writeFolderAtomically } from "../../lib/store/save-load";

async function main(): Promise<void> {
  const [root, name, writer] = process.argv.slice(2);
  const dir = path.join(root, name);
  if (writer === "slow") {
    // Big enough that the kill lands mid-write (a synchronous write loop of a few hundred megabytes).
    const files = new Map<string, Uint8Array>();
    for (let i = 0; i < 40; i++) files.set(`part-${i}.bin`, new Uint8Array(16 << 20).fill(i));
    fs.writeSync(1, "writing\n");
    writeFolderAtomically(dir, files);
    return;
  }
  const rows = 200;
  const x = new Float32Array(rows * 784);
  const y = new Uint8Array(rows);
  for (let i = 0; i < x.length; i++) x[i] = ((i * (writer === "a" ? 7 : 13)) % 255) / 255;
  for (let i = 0; i < rows; i++) y[i] = i % 10;
  const model = await new KNeighborsClassifier({ k: 1 }).fit(matrix(x, rows, 784), y);
  for (let i = 0; i < 5; i++) {
    await saveModel(model, dir, {
      name,
      kind: "KNeighborsClassifier",
      implementation: "classic",
      params: {},
      seed: 0,
      dataChecksum: writer,
      libraryVersion: "0.0.0",
      date: new Date().toISOString(),
      trainingSeconds: 0,
      metrics: { writer },
    });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
