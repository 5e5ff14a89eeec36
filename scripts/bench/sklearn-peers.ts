/**
 * Ours against scikit-learn, side by side in the same run on the same machine: logistic regression
 * (fit), k-NN with k = 3 (predict, raw pixels), and the RBF SVM (scikit-learn's exact SVC on 20k
 * samples, which is quadratic in n, against ours on the full training set with PCA + random Fourier
 * features). The peer runs `/usr/bin/python3 scripts/bench/sklearn_peers.py`; without scikit-learn the
 * rows carry a note and no peer value. Ours and the peer take turns for a few rounds; each figure is
 * the median round with min and max beside it, and ratios are of medians (above 1 when ours is faster
 * or more accurate).
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { compared, spread, type Spread } from "./rounds";
import type { BenchOptions, BenchRow } from "./types";
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

interface OurResults {
  lrFit: number;
  lrAccuracy: number;
  knnPredict: number;
  knnAccuracy: number;
  svmFit: number;
  svmPredict: number;
  svmAccuracy: number;
}

export async function run({ quick, rounds: asked }: BenchOptions): Promise<BenchRow[]> {
  const sizes = quick
    ? { train: 5000, test: 1000, svmTrain: 2000, lrMaxIter: 100 }
    : { train: 60000, test: 10000, svmTrain: 20000, lrMaxIter: 100 };
  const rounds = asked ?? (quick ? 1 : 3);
  const mnist = loadMnist();
  const train = take(mnist.train, sizes.train);
  const test = take(mnist.test, sizes.test);
  await initBackend();

  const ours: OurResults[] = [];
  const peers: PeerResults[] = [];
  let peerNote: string | undefined;
  for (let round = 0; round < rounds; round++) {
    ours.push(await runOurs(train, test, quick));
    const peer = runPeer(mnist.source, sizes);
    peerNote = peer.note;
    if (peer.results) peers.push(peer.results);
  }
  const peerName = peers.length > 0 ? `scikit-learn ${peers[0].version}` : "scikit-learn";
  const ourSpread = (pick: (r: OurResults) => number) => spread(ours.map(pick));
  const peerSpread = (pick: (r: PeerResults) => number) =>
    peers.length > 0 ? spread(peers.map(pick)) : undefined;
  const percent = (s: Spread | undefined) =>
    s && { median: 100 * s.median, min: 100 * s.min, max: 100 * s.max, rounds: s.rounds };
  const svmNote = joinNotes(
    `ours: deskew + PCA 50 + random Fourier features on ${train.count}; peer: exact SVC on ${sizes.svmTrain} raw`,
    peerNote,
  );
  const earlier = " (sklearn, measured earlier)";
  const svcOn20k = " (SVC on 20k, measured earlier)";
  /** name, unit, our figure, the peer's, and the target; accuracies are higher-is-better percentages. */
  const measurements: [string, "s" | "%", (r: OurResults) => number, (p: PeerResults) => number, string][] = [
    ["logistic regression: fit", "s", (r) => r.lrFit, (p) => p.lr.fitSeconds, `< 11.5 s${earlier}`],
    ["logistic regression: accuracy", "%", (r) => r.lrAccuracy, (p) => p.lr.accuracy, "≥ 92.5%"],
    ["k-NN k=3: predict", "s", (r) => r.knnPredict, (p) => p.knn.predictSeconds, `< 10.8 s${earlier}`],
    ["k-NN k=3: accuracy", "%", (r) => r.knnAccuracy, (p) => p.knn.accuracy, "≥ 97.0%"],
    ["RBF SVM: fit", "s", (r) => r.svmFit, (p) => p.svm.fitSeconds, `< 31.5 s${svcOn20k}`],
    ["RBF SVM: predict", "s", (r) => r.svmPredict, (p) => p.svm.predictSeconds, "< 24.8 s"],
    ["RBF SVM: accuracy", "%", (r) => r.svmAccuracy, (p) => p.svm.accuracy, "≥ 98.0%"],
  ];
  return measurements.map(([name, unit, mine, theirs, target]): BenchRow => {
    const accuracy = unit === "%";
    const ourFigure = accuracy ? percent(ourSpread(mine))! : ourSpread(mine);
    const peerFigure = accuracy ? percent(peerSpread(theirs)) : peerSpread(theirs);
    return {
      group: "sklearn peers",
      name,
      unit,
      peer: peerName,
      ...compared(ourFigure, peerFigure, accuracy),
      note: name.startsWith("RBF SVM") ? svmNote : peerNote,
      target,
    };
  });
}

/** One round of our three models: logistic regression (with its defaults), k-NN, and the RBF SVM. */
async function runOurs(train: ImageDataset, test: ImageDataset, quick: boolean): Promise<OurResults> {
  const x = toMatrix(train);
  const xTest = toMatrix(test);
  const lr = new TfSoftmaxRegression({ seed: 1, ...(quick ? { epochs: 3 } : {}) });
  const lrFit = await seconds(() => lr.fit(x, train.labels));
  const lrAccuracy = lr.score(xTest, test.labels);
  lr.dispose();

  const knn = await new KNeighborsClassifier({ k: 3 }).fit(x, train.labels);
  let knnPredicted: Uint8Array = new Uint8Array(0);
  const knnPredict = await seconds(async () => (knnPredicted = knn.predict(xTest)));

  // Ours: deskew, PCA to 50 dimensions, then random Fourier features, on the whole training set.
  let svm: RbfSvmClassifier | null = null;
  let pca: PCA | null = null;
  const svmFit = await seconds(async () => {
    const deskewedX = toMatrix(deskewed(train));
    pca = new PCA({ nComponents: 50 }).fit(deskewedX);
    svm = new RbfSvmClassifier({
      nComponents: quick ? 1024 : 8192,
      alpha: 1e-5,
      epochs: quick ? 5 : 15,
      learningRate: 1,
      seed: 1,
    });
    await svm.fit(pca.transform(deskewedX), train.labels);
  });
  let svmPredicted: Uint8Array = new Uint8Array(0);
  const svmPredict = await seconds(
    async () => (svmPredicted = svm!.predict(pca!.transform(toMatrix(deskewed(test))))),
  );
  return {
    lrFit,
    lrAccuracy,
    knnPredict,
    knnAccuracy: accuracy(knnPredicted, test.labels),
    svmFit,
    svmPredict,
    svmAccuracy: accuracy(svmPredicted, test.labels),
  };
}

/** Runs the Python peer; on any failure returns a note saying why instead of results. */
function runPeer(dataDir: string, sizes: object): { results?: PeerResults; note?: string } {
  const script = path.join(projectRoot(), "scripts", "bench", "sklearn_peers.py");
  const result = spawnSync("/usr/bin/python3", [script, dataDir, JSON.stringify(sizes)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (result.error) return { note: `peer skipped: /usr/bin/python3 not runnable (${result.error.message})` };
  if (result.status !== 0) {
    const reason = /No module named '?(\w+)/.exec(result.stderr)?.[1];
    return {
      note: reason
        ? `peer skipped: python module ${reason} not installed`
        : `peer failed: ${result.stderr.trim().split("\n").pop()}`,
    };
  }
  return { results: JSON.parse(result.stdout) as PeerResults };
}

function deskewed(dataset: ImageDataset): ImageDataset {
  return {
    ...dataset,
    images: mapImages(dataset.images, dataset.height, dataset.width, (image) => deskew(image)),
  };
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

function joinNotes(...notes: (string | undefined)[]): string {
  return notes.filter(Boolean).join("; ");
}
