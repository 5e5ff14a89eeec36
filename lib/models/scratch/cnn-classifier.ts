/**
 * Convolutional network over 28×28 single-channel images (the 784-column rows are already NHWC).
 * The architectures and their training defaults are the presets in ./cnn-presets.ts.
 */
import type { Layer } from "../../nn/layer";
import { checkChoice, checkPositiveInteger } from "../../validation";
import { CNN_PRESETS, CNN_PRESET_SPECS, type CnnPreset } from "./cnn-presets";
import { ScratchNetworkClassifier, type TrainingOptions } from "./network-classifier";

export interface CnnOptions extends TrainingOptions {
  /** "reference" (default), "strong", "speed" or "accuracy"; see ./cnn-presets.ts. */
  preset?: CnnPreset;
  /** Image side; samples are side × side × 1 (default 28). */
  imageSize?: number;
}

export class CnnClassifier extends ScratchNetworkClassifier {
  readonly name: string;
  readonly preset: CnnPreset;
  readonly imageSize: number;

  constructor(options: CnnOptions = {}) {
    const preset = checkChoice("CnnClassifier", "preset", options.preset ?? "reference", CNN_PRESETS);
    const spec = CNN_PRESET_SPECS[preset];
    super(options, spec.defaults, ["preset", "imageSize"]);
    this.preset = preset;
    this.imageSize = checkPositiveInteger("CnnClassifier", "imageSize", options.imageSize ?? 28);
    this.name = `CNN ${preset} (scratch)`;
    // Options the preset cannot honour fail here, before any training, rather than deep in a layer.
    if (this.batchSize > spec.maxBatchSize) {
      throw new RangeError(
        `CnnClassifier: the "${preset}" preset accepts a batchSize of at most ${spec.maxBatchSize} ` +
          `(its buffers must fit the kernels' memory), got ${this.batchSize}`,
      );
    }
    if (this.imageSize < spec.minImageSize) {
      throw new RangeError(
        `CnnClassifier: the "${preset}" preset needs an imageSize of at least ${spec.minImageSize} ` +
          `(its convolutions and pools shrink the image), got ${this.imageSize}`,
      );
    }
  }

  protected sampleShape(features: number): number[] {
    const side = this.imageSize;
    if (features !== side * side)
      throw new RangeError(
        `${this.name}: expects ${side}×${side} = ${side * side} features per image, got ${features}`,
      );
    return [side, side, 1];
  }

  protected buildLayers(): Layer[] {
    return CNN_PRESET_SPECS[this.preset].layers(this.numClasses);
  }

  protected architecture(): unknown {
    return { preset: this.preset, imageSize: this.imageSize };
  }
}
