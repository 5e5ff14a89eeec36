/** Saving, loading and sharing trained models: the model store (`mn.store`). */
export {
  ModelStore,
  defaultModelsRoot,
  storeName,
  type StoreEntry,
  type ModelStoreOptions,
} from "./model-store";
export type { FitOrLoadOptions } from "./model-store";
export { SearchStore, SEARCH_FILE, type SearchKeyParts } from "./search-store";
export {
  saveModel,
  loadModel,
  writeFolderAtomically,
  MANIFEST_FILE,
  TF_MODEL_FILE,
  WEIGHTS_FILE,
} from "./save-load";
export { cardReadme, libraryVersion, type ModelCard, type Implementation } from "./card";
export { dataChecksum, keyParams, keyDifference, type KeyParts } from "./fit-key";
export { SAVABLE_CLASSES, type EncodedModel, type Estimator } from "./codecs";
export { packArrays, unpackArrays, type ArrayEntry, type NamedArray } from "./weights-file";
