/**
 * What every classifier trained by epochs of mini-batches shares (the scratch networks, the linear
 * SVM, the TensorFlow.js models): the options epochs, batchSize, learningRate and seed, checked in one
 * place, so their names, rules and messages are the same whichever model is configured.
 */
import { checkPositiveInteger, checkPositiveReal, checkSeed } from "../validation";
import { BaseClassifier } from "./estimator";

export interface EpochOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Seed of the initial weights and the shuffling (default 0). */
  seed?: number;
}

export abstract class EpochTrainedClassifier<P extends object = object> extends BaseClassifier<P> {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;

  /**
   * @param defaults the model's defaults for epochs, batchSize and learningRate (the seed's is 0)
   * @param paramNames every option of the model that is a hyperparameter, these four included
   */
  constructor(
    options: EpochOptions,
    defaults: Required<Omit<EpochOptions, "seed">>,
    paramNames: readonly string[],
  ) {
    super(options, paramNames);
    const who = new.target.name;
    this.epochs = checkPositiveInteger(who, "epochs", options.epochs ?? defaults.epochs);
    this.batchSize = checkPositiveInteger(who, "batchSize", options.batchSize ?? defaults.batchSize);
    this.learningRate = checkPositiveReal(who, "learningRate", options.learningRate ?? defaults.learningRate);
    this.seed = checkSeed(who, options.seed ?? 0);
  }
}
