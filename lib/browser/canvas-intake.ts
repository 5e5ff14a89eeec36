/**
 * The drawing canvas's intake: RGBA bytes → ink → the 28×28 image an MNIST model expects. An ordinary
 * module of the library, and also shipped to the page compiled, with the library modules it requires
 * (./runtime.ts), so the browser runs lib/intake's own `fitDigitToMnist` and nothing written twice.
 * A drawing needs none of the recipe's earlier steps: it is already bright ink on a black, evenly lit
 * background, with the pen's width chosen to match MNIST's strokes.
 */
import { fitDigitToMnist } from "../intake/mnist-recipe";

/** Ink in [0, 1] from the canvas's RGBA bytes (white pen on black: the mean of red, green and blue). */
export function inkFromRgba(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = (rgba[4 * i] + rgba[4 * i + 1] + rgba[4 * i + 2]) / 765;
  return ink;
}

/**
 * The 28×28 image (ink = 1) an MNIST model expects from a width × height ink image, or null when
 * there is no ink at all (a blank canvas is not an error while the person has not drawn yet).
 */
export function mnistFromInk(ink: Float32Array, width: number, height: number): Float32Array | null {
  if (!ink.some((value) => value > 0)) return null;
  return fitDigitToMnist({ width, height, data: ink });
}
