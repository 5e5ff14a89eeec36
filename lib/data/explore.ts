/**
 * Exploratory statistics over an image dataset: what notebook 01 shows, computed here so it is tested.
 */
import { createHash } from "crypto";
import { ImageDataset } from "./dataset";

/** Mean image of each class (values 0..255 as floats), class c at offset c·height·width. */
export function meanImagePerClass(dataset: ImageDataset, numClasses = 10): Float64Array {
  const size = dataset.height * dataset.width;
  const sums = new Float64Array(numClasses * size);
  const counts = new Float64Array(numClasses);
  for (let i = 0; i < dataset.count; i++) {
    const label = dataset.labels[i];
    counts[label]++;
    const offset = label * size;
    for (let p = 0; p < size; p++) sums[offset + p] += dataset.images[i * size + p];
  }
  for (let c = 0; c < numClasses; c++) for (let p = 0; p < size; p++) sums[c * size + p] /= counts[c] || 1;
  return sums;
}

/** How many pixels take each intensity 0..255. */
export function pixelHistogram(dataset: ImageDataset): Float64Array {
  const counts = new Float64Array(256);
  for (let i = 0; i < dataset.images.length; i++) counts[dataset.images[i]]++;
  return counts;
}

/** Tightest rectangle holding all non-zero pixels; width and height 0 for a blank image. */
export function boundingBox(image: Uint8Array, height: number, width: number): { top: number; left: number; width: number; height: number } {
  let top = height;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (image[y * width + x] === 0) continue;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
      if (x < left) left = x;
      if (x > right) right = x;
    }
  }
  if (bottom < 0) return { top: 0, left: 0, width: 0, height: 0 };
  return { top, left, width: right - left + 1, height: bottom - top + 1 };
}

export interface InkStatistics {
  /** Per image: total ink, the sum of intensities / 255 (≈ number of fully inked pixels). */
  ink: Float64Array;
  /** Per image: bounding-box width and height in pixels. */
  boxWidth: Uint8Array;
  boxHeight: Uint8Array;
}

export function inkStatistics(dataset: ImageDataset): InkStatistics {
  const size = dataset.height * dataset.width;
  const ink = new Float64Array(dataset.count);
  const boxWidth = new Uint8Array(dataset.count);
  const boxHeight = new Uint8Array(dataset.count);
  for (let i = 0; i < dataset.count; i++) {
    const image = dataset.images.subarray(i * size, (i + 1) * size);
    let sum = 0;
    for (let p = 0; p < size; p++) sum += image[p];
    ink[i] = sum / 255;
    const box = boundingBox(image, dataset.height, dataset.width);
    boxWidth[i] = box.width;
    boxHeight[i] = box.height;
  }
  return { ink, boxWidth, boxHeight };
}

/** Mean of `values` over the samples of each class. */
export function meanPerClass(values: ArrayLike<number>, labels: Uint8Array, numClasses = 10): number[] {
  const sums = new Array<number>(numClasses).fill(0);
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    sums[labels[i]] += values[i];
    counts[labels[i]]++;
  }
  return sums.map((s, c) => (counts[c] ? s / counts[c] : NaN));
}

export interface DuplicateGroup {
  /** Indices into the first dataset holding the same pixels. */
  first: number[];
  /** Indices into the second dataset holding those pixels (empty when comparing a dataset with itself). */
  second: number[];
  /** Whether the copies disagree on the label. */
  conflictingLabels: boolean;
}

/**
 * Groups of images with byte-identical pixels: within `first` alone, or shared between `first` and
 * `second` (e.g. train and test, where a shared image would leak test answers into training).
 */
export function findExactDuplicates(first: ImageDataset, second?: ImageDataset): DuplicateGroup[] {
  const firstGroups = hashGroups(first);
  const groups: DuplicateGroup[] = [];
  if (!second) {
    for (const indices of firstGroups.values()) {
      if (indices.length > 1) groups.push({ first: indices, second: [], conflictingLabels: labelsDiffer(first, indices, [], first) });
    }
    return groups;
  }
  for (const [hash, indices] of hashGroups(second)) {
    const match = firstGroups.get(hash);
    if (match) groups.push({ first: match, second: indices, conflictingLabels: labelsDiffer(first, match, indices, second) });
  }
  return groups;
}

function hashGroups(dataset: ImageDataset): Map<string, number[]> {
  const size = dataset.height * dataset.width;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < dataset.count; i++) {
    const hash = createHash("sha1").update(dataset.images.subarray(i * size, (i + 1) * size)).digest("base64");
    const list = groups.get(hash);
    if (list) list.push(i);
    else groups.set(hash, [i]);
  }
  return groups;
}

function labelsDiffer(a: ImageDataset, aIndices: number[], bIndices: number[], b: ImageDataset): boolean {
  const labels = new Set<number>([...aIndices.map((i) => a.labels[i]), ...bIndices.map((i) => b.labels[i])]);
  return labels.size > 1;
}
