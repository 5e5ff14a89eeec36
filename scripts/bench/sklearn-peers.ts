/**
 * Ours against scikit-learn, side by side in the same run on the same machine: logistic regression
 * (fit), k-NN with k = 3 (predict, raw pixels), and the RBF SVM (scikit-learn's exact SVC on 20k
 * samples, which is quadratic in n, against ours on the full training set with PCA + random Fourier
 * features). The peer runs `/usr/bin/python3 scripts/bench/sklearn_peers.py`; without scikit-learn the
 * rows carry a note and no peer value.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import type { BenchRow } from "./types";
import { initBackend } from "../../lib/backend";
import { loadMnist } from "../../lib/data/mnist";
import { take, toMatrix, type ImageDataset } from "../../lib/data/dataset";
import { projectRoot } from "../../lib/paths";
import { PCA } from "../../lib/preprocessing/pca";
import { deskew } from "../../lib/preprocessing/deskew";
import { mapImages } from "../../lib/preprocessing/images";
import { KNeighborsClassifier } from "../../lib/models/neighbors/knn";
import { RbfSvmClassifier } from "../../lib/models/svm/rbf-svm";
import { TfSoftmaxRegression } from "../../lib/models/tfjs/softmax-regression";

export const title = "Classic models: ours vs scikit-learn";

interface PeerResults {
  version: string;
  lr: { fitSeconds: number; accuracy: number };
  knn: { predictSeconds: number; accuracy: number };
  svm: { fitSeconds: number; predictSeconds: number; accuracy: number };
}

export async function run({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const sizes = quick ? { train: 5000, test: 1000, svmTrain: 2000, lrMaxIter: 100 } : { train: 60000, test: 10000, svmTrain: 20000, lrMaxIter: 100 };
  const mnist = loadMnist();
  const train = take(mnist.train, sizes.train);
  const test = take(mnist.test, sizes.test);
  const x = toMatrix(train);
  const xTest = toMatrix(test);
  const peer = runPeer(mnist.source, sizes);
  const peerName = peer.results ? `scikit-learn ${peer.results.version}` : "scikit-learn";
  const rows: BenchRow[] = [];
  const add = (name: string, value: number, unit: string, peerValue: number | undefined, extra: Partial<BenchRow> = {}) => {
    const ratio = peerValue !== undefined && peerValue > 0 ? value / peerValue : undefined;
    rows.push({ group: "sklearn peers", name, value, unit, peer: peerName, peerValue, ratio, note: peer.note, ...extra });
  };

  await initBackend();
  const lr = new TfSoftmaxRegression({ epochs: quick ? 3 : 10, batchSize: 2048, learningRate: 0.01, seed: 1 });
  const lrFit = await seconds(() => lr.fit(x, train.labels));
  add("logistic regression: fit", lrFit, "s", peer.results?.lr.fitSeconds, { target: "< 11.5 s (sklearn, measured earlier)" });
  add("logistic regression: accuracy", 100 * lr.score(xTest, test.labels), "%", pct(peer.results?.lr.accuracy), { target: "≥ 92.5%" });
  lr.dispose();

  const knn = await new KNeighborsClassifier({ k: 3 }).fit(x, train.labels);
  let knnPredicted = new Uint8Array(0);
  const knnPredict = await seconds(async () => (knnPredicted = knn.predict(xTest)));
  add("k-NN k=3: predict", knnPredict, "s", peer.results?.knn.predictSeconds, { target: "< 10.8 s (sklearn, measured earlier)" });
  add("k-NN k=3: accuracy", 100 * accuracy(knnPredicted, test.labels), "%", pct(peer.results?.knn.accuracy), { target: "≥ 97.0%" });

  // Ours: deskew, PCA to 50 dimensions, then random Fourier features, on the whole training set.
  let svm: RbfSvmClassifier | null = null;
  let pca: PCA | null = null;
  const svmFit = await seconds(async () => {
    const deskewedX = toMatrix(deskewed(train));
    pca = new PCA({ nComponents: 50 }).fit(deskewedX);
    svm = new RbfSvmClassifier({ nComponents: quick ? 1024 : 8192, alpha: 1e-5, epochs: quick ? 5 : 15, learningRate: 1, seed: 1 });
    await svm.fit(pca.transform(deskewedX), train.labels);
  });
  let svmPredicted = new Uint8Array(0);
  const svmPredict = await seconds(async () => (svmPredicted = svm!.predict(pca!.transform(toMatrix(deskewed(test))))));
  const svmNote = `ours: deskew + PCA 50 + random Fourier features on ${train.count}; peer: exact SVC on ${sizes.svmTrain} raw`;
  add("RBF SVM: fit", svmFit, "s", peer.results?.svm.fitSeconds, { target: "< 31.5 s (SVC on 20k, measured earlier)", note: joinNotes(svmNote, peer.note) });
  add("RBF SVM: predict", svmPredict, "s", peer.results?.svm.predictSeconds, { target: "< 24.8 s", note: joinNotes(svmNote, peer.note) });
  add("RBF SVM: accuracy", 100 * accuracy(svmPredicted, test.labels), "%", pct(peer.results?.svm.accuracy), { target: "≥ 98.0%", note: joinNotes(svmNote, peer.note) });
  return rows;
}

/** Runs the Python peer; on any failure returns a note saying why instead of results. */
function runPeer(dataDir: string, sizes: object): { results?: PeerResults; note?: string } {
  const script = path.join(projectRoot(), "scripts", "bench", "sklearn_peers.py");
  const result = spawnSync("/usr/bin/python3", [script, dataDir, JSON.stringify(sizes)], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (result.error) return { note: `peer skipped: /usr/bin/python3 not runnable (${result.error.message})` };
  if (result.status !== 0) {
    const reason = /No module named '?(\w+)/.exec(result.stderr)?.[1];
    return { note: reason ? `peer skipped: python module ${reason} not installed` : `peer failed: ${result.stderr.trim().split("\n").pop()}` };
  }
  return { results: JSON.parse(result.stdout) as PeerResults };
}

function deskewed(dataset: ImageDataset): ImageDataset {
  return { ...dataset, images: mapImages(dataset.images, dataset.height, dataset.width, (image) => deskew(image)) };
}

async function seconds(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return (performance.now() - started) / 1000;
}

function accuracy(predicted: Uint8Array, labels: Uint8Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

function pct(fraction: number | undefined): number | undefined {
  return fraction === undefined ? undefined : 100 * fraction;
}

function joinNotes(...notes: (string | undefined)[]): string {
  return notes.filter(Boolean).join("; ");
}
