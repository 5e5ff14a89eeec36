/**
 * The library the notebooks import: `import * as mn from "../dist/lib"` (compiled by `npm run build`).
 */
export * from "./random";
export * from "./quick";
export * from "./paths";
export * from "./backend";
export * from "./notebook";
export * from "./data/idx";
export * from "./data/dataset";
export * from "./data/mnist";
export * from "./data/explore";
export * from "./plots/display";
export * from "./plots/plotly";
export * from "./plots/png";
export * from "./plots/image-grid";
export * from "./plots/table";
export * from "./matrix";
export * from "./validation";
export * from "./params";
export * from "./training/epoch-log";
export * from "./models/estimator";
export { getKernels, describeKernels } from "./kernels";
export * from "./metrics";
export * from "./preprocessing";
export * from "./augmentation";
export * as nn from "./nn";
export * from "./models/scratch";
export * from "./models/neighbors/knn";
export * from "./models/svm/linear-svm";
export * from "./models/svm/rbf-svm";
export * from "./models/tfjs/softmax-regression";
export * from "./models/tfjs/mlp";
export * from "./models/tfjs/cnn";
export * from "./plots/charts";
export * from "./models/evaluate";
export * as tuning from "./tuning";
