/**
 * A person's own labelled samples: image files under data/personal/<name>/, each named by its digit
 * (`3_anything.png`, `7_2.jpg`), read through the MNIST recipe (lib/intake) into MNIST rows.
 * Files without a PNG or JPEG extension (a README, notes) are skipped; an image file whose name does
 * not start with one digit 0–9 and an underscore, or whose bytes are not an image, stops the read with
 * an error naming the file, so a mislabelled sample never trains a model silently.
 */
import * as fs from "fs";
import * as path from "path";
import { readDigitFile } from "../intake";
import { matrix, type Matrix } from "../matrix";

export interface PersonalSamples {
  /** rows × 784 images in [0, 1], ink = 1. */
  x: Matrix;
  y: Int32Array;
  /** The file each row came from, in the same order (sorted by name). */
  files: string[];
}

const IMAGE_EXTENSION = /\.(png|jpe?g)$/i;
const SAMPLE_NAME = /^(\d+)_[^/\\]*\.(png|jpe?g)$/i;

/** The digit a sample file's name gives, or an error saying what the name should look like. */
export function labelFromFileName(file: string): number {
  const base = path.basename(file);
  const match = SAMPLE_NAME.exec(base);
  if (!match) {
    throw new RangeError(
      `${file}: a sample's name must be <digit>_<anything>.png or .jpg (e.g. 3_a.png), got "${base}"`,
    );
  }
  const label = Number(match[1]);
  if (match[1].length !== 1 || label > 9) {
    throw new RangeError(`${file}: the label must be a digit 0–9, got ${match[1]}`);
  }
  return label;
}

/** Reads every sample image in `dir` (not its subfolders), sorted by file name. */
export function readPersonalSamples(dir: string): PersonalSamples {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such folder" : code === "ENOTDIR" ? "not a folder" : code;
    throw new Error(`readPersonalSamples: cannot read ${dir} (${reason ?? (err as Error).message})`);
  }
  const names = entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith(".") && IMAGE_EXTENSION.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  const data = new Float32Array(names.length * 784);
  const y = new Int32Array(names.length);
  const files = names.map((name) => path.join(dir, name));
  files.forEach((file, row) => {
    y[row] = labelFromFileName(file);
    data.set(readDigitFile(file).pixels, row * 784);
  });
  return { x: matrix(data, names.length, 784), y, files };
}
