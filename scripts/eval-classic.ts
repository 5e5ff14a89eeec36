/**
 * Reproduces the accuracy and timing figures of the classic and TensorFlow.js models (notebook 03).
 *
 *   node dist/scripts/eval-classic.js               train on all 60k, score on the official 10k test set
 *   node dist/scripts/eval-classic.js --validation  train on 50k, score on a held-out 10k of the training
 *                                                   set: where the hyperparameters below were chosen
 *   --quick                                          small subsets, to check the script runs
 *   --only NAME                                      models whose name contains NAME (e.g. "k-NN")
 *
 * Times are wall-clock on whatever else the machine is doing; run twice when comparing.
 */
import { parseCli } from "./cli";
import { initBackend, describeBackend } from "../lib/backend";
import { describeKernels } from "../lib/kernels/index";
import { loadMnist } from "../lib/data/mnist";
import { take, toMatrix, trainValidationSplit, type ImageDataset } from "../lib/data/dataset";
import { Matrix } from "../lib/matrix";
import { Classifier } from "../lib/models/estimator";
import { PCA } from "../lib/preprocessing/pca";
import { deskew } from "../lib/preprocessing/deskew";
import { mapImages } from "../lib/preprocessing/images";
import { KNeighborsClassifier } from "../lib/models/neighbors/knn";
import { RbfSvmClassifier } from "../lib/models/svm/rbf-svm";
import { TfSoftmaxRegression } from "../lib/models/tfjs/softmax-regression";
import { TfMlpClassifier } from "../lib/models/tfjs/mlp";

interface Candidate {
  name: string;
  /** Deskew every image first (train and evaluation alike; no statistics are learned). */
  deskew?: boolean;
  /** PCA components applied first (fitted on the training part only), or none. */
  pca?: number;
  make: () => Classifier;
}

/** The chosen configurations (see the header for how they were chosen). */
const CANDIDATES: Candidate[] = [
  {
    name: "Logistic regression (tfjs)",
    // The defaults, as in notebook 03 (chosen on validation: see SoftmaxRegression's doc comment).
    make: () => new TfSoftmaxRegression({ seed: 1 }),
  },
  { name: "k-NN k=3", make: () => new KNeighborsClassifier({ k: 3 }) },
  {
    name: "k-NN k=4 distance-weighted, PCA 45",
    pca: 45,
    make: () => new KNeighborsClassifier({ k: 4, weights: "distance" }),
  },
  {
    name: "RBF SVM, deskewed, PCA 50",
    deskew: true,
    pca: 50,
    make: () =>
      new RbfSvmClassifier({
        nComponents: 8192,
        gamma: "scale",
        alpha: 1e-5,
        epochs: 15,
        learningRate: 1,
        seed: 1,
      }),
  },
  {
    name: "MLP 512-256 (tfjs)",
    make: () => new TfMlpClassifier({ hiddenSizes: [512, 256], dropout: 0.2, epochs: 15, seed: 1 }),
  },
];

const EVAL_USAGE = `Usage: node dist/scripts/eval-classic.js [--quick] [--validation] [--only NAME]

Fits the classic models on MNIST and prints each one's accuracy and times.
  --quick        5,000 training images
  --validation   score on a 10,000-image validation split instead of the test set
  --only NAME    only the models whose name contains NAME`;

async function main(): Promise<void> {
  const values = parseCli(
    "eval-classic",
    EVAL_USAGE,
    {
      quick: { type: "boolean", default: false },
      validation: { type: "boolean", default: false },
      only: { type: "string" },
    },
    process.argv.slice(2),
  );
  const quick = values.quick === true;
  const onValidation = values.validation === true;
  const only = values.only as string | undefined;

  console.log(describeBackend(await initBackend()));
  console.log(`Kernels: ${describeKernels()}`);
  const mnist = loadMnist();
  let train: ImageDataset = mnist.train;
  let evaluation: ImageDataset = mnist.test;
  if (onValidation)
    ({ train, validation: evaluation } = trainValidationSplit(mnist.train, {
      validationSize: 10000,
      seed: 0,
    }));
  if (quick) {
    train = take(train, 5000);
    evaluation = take(evaluation, 1000);
  }
  console.log(
    `Training on ${train.count}, scoring on ${evaluation.count} ${onValidation ? "validation" : "test"} samples\n`,
  );
  const x = toMatrix(train);
  const xEval = toMatrix(evaluation);

  console.log("| model | accuracy | fit s | predict s |\n|---|---|---|---|");
  for (const candidate of CANDIDATES.filter((c) => !only || c.name.includes(only))) {
    const started = performance.now();
    let [fitX, evalX]: Matrix[] = candidate.deskew
      ? [toMatrix(deskewed(train)), toMatrix(deskewed(evaluation))]
      : [x, xEval];
    if (candidate.pca) {
      const pca = new PCA({ nComponents: candidate.pca }).fit(x);
      [fitX, evalX] = [pca.transform(x), pca.transform(xEval)];
    }
    const model = candidate.make();
    await model.fit(fitX, train.labels, { verbose: false });
    const fitSeconds = (performance.now() - started) / 1000;
    const predictStarted = performance.now();
    const predicted = model.predict(evalX);
    const predictSeconds = (performance.now() - predictStarted) / 1000;
    let correct = 0;
    for (let i = 0; i < predicted.length; i++) if (predicted[i] === evaluation.labels[i]) correct++;
    const accuracy = (100 * correct) / predicted.length;
    // Fit time includes deskewing both sets, fitting PCA and projecting both sets; predict time does not.
    console.log(
      `| ${candidate.name} | ${accuracy.toFixed(2)}% | ${fitSeconds.toFixed(1)} | ${predictSeconds.toFixed(1)} |`,
    );
    (model as { dispose?: () => void }).dispose?.();
  }
}

function deskewed(dataset: ImageDataset): ImageDataset {
  return {
    ...dataset,
    images: mapImages(dataset.images, dataset.height, dataset.width, (image) => deskew(image)),
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
