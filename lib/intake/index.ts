/**
 * Image intake: a person's PNG or JPEG file → the 28×28 image an MNIST model expects. Shared by
 * `npm run predict`, notebook 07 and the personalisation notebook and app.
 */
import * as fs from "fs";
import { decodeImage, type DecodeOptions } from "./decode";
import { toMnistDigit, type IntakeOptions, type IntakeResult } from "./mnist-recipe";

export * from "./decode";
export * from "./mnist-recipe";
export { connectedComponents, type Component } from "./components";
export { resizeArea, crop } from "./resize";

/** Reads one image file and applies the MNIST recipe; errors name the file. */
export function readDigitFile(file: string, options: DecodeOptions & IntakeOptions = {}): IntakeResult {
  const { maxPixels, ...intake } = options;
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new Error(
      `${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  try {
    return toMnistDigit(decodeImage(bytes, { maxPixels }), intake);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}
