/** The from-scratch neural-network engine: layers, loss, optimizers, schedules, Sequential and the training loop. */
export * from "./tensor";
export * from "./layer";
export * from "./init";
export { Dense, type DenseOptions } from "./layers/dense";
export { Conv2D, type Conv2DOptions } from "./layers/conv2d";
export { MaxPool2D } from "./layers/max-pool";
export { ConvPool2D, fuseLayers } from "./layers/conv-pool";
export { ReLU } from "./layers/relu";
export { Dropout } from "./layers/dropout";
export { Flatten } from "./layers/flatten";
export { BatchNorm, type BatchNormOptions } from "./layers/batch-norm";
export * from "./loss";
export type { Optimizer } from "./optimizers/optimizer";
export { Sgd, type SgdOptions } from "./optimizers/sgd";
export { Adam, AdamW, type AdamOptions } from "./optimizers/adam";
export * from "./schedules";
export { Sequential, type SequentialBuildOptions } from "./sequential";
export * from "./train";
