/**
 * The browser runtime as source text: the functions of ./forward-pass.ts and ./canvas-intake.ts, taken
 * from the compiled library by `Function.prototype.toString`, so the page runs exactly the code the
 * Node tests call. Inline it in a <script> (it declares only functions).
 */
import * as intake from "./canvas-intake";
import * as forward from "./forward-pass";

const FUNCTIONS: Array<(...args: never[]) => unknown> = [
  forward.decodeFloat32Base64,
  forward.prepareNetwork,
  forward.convolve,
  forward.maxPool,
  forward.convolvePool,
  forward.dense,
  forward.scaleShift,
  forward.relu,
  forward.softmax,
  forward.networkLogits,
  forward.classify,
  intake.inkFromRgba,
  intake.inkBox,
  intake.resizeBoxArea,
  intake.centreOfMassShift,
  intake.bilinearAt,
  intake.mnistFromInk,
];

export function browserRuntimeSource(): string {
  return FUNCTIONS.map((f) => f.toString()).join("\n");
}

/** JSON safe to put inside a <script> element (no "</script>" or "<!--" can close or confuse it). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
