/**
 * Picking examples of each class for a picture: the first `perClass` images of every digit, in class
 * order, ready for a grid with one row per class.
 */
import type { ImageDataset } from "./dataset";

/**
 * Indices of the first `perClass` images of each class 0..numClasses-1, class by class. Throws, naming
 * the class, when the dataset holds fewer than `perClass` images of one.
 */
export function samplesPerClass(dataset: ImageDataset, perClass: number, numClasses = 10): number[] {
  if (!(Number.isInteger(perClass) && perClass > 0)) {
    throw new RangeError(`samplesPerClass: perClass must be a positive integer, got ${perClass}`);
  }
  const picked: number[][] = Array.from({ length: numClasses }, () => []);
  let missing = numClasses * perClass;
  for (let i = 0; i < dataset.count && missing > 0; i++) {
    const bucket = picked[dataset.labels[i]];
    if (bucket && bucket.length < perClass) {
      bucket.push(i);
      missing--;
    }
  }
  const short = picked.findIndex((p) => p.length < perClass);
  if (short >= 0) {
    throw new RangeError(
      `samplesPerClass: class ${short} has ${picked[short].length} images, fewer than ${perClass}`,
    );
  }
  return picked.flat();
}
