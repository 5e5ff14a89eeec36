/**
 * Rectified linear unit, computed in place: it overwrites its input and, in backward, the incoming
 * gradient. That saves a buffer and a pass over memory per layer; it is safe because no layer's
 * backward reads its own output (see layer.ts).
 */
import { Layer } from "../layer";
import type { Tensor } from "../tensor";

export class ReLU extends Layer {
  readonly kind = "relu";
  private lastOutput: Tensor | null = null;

  protected setup(inputShape: readonly number[]): readonly number[] {
    return inputShape;
  }

  forward(input: Tensor, training: boolean): Tensor {
    this.checkInput(input);
    this.kernels.relu(input.data, input.data);
    this.lastOutput = training ? input : null;
    return input;
  }

  backward(gradOutput: Tensor): Tensor | null {
    const output = this.lastOutput;
    if (!output) throw new Error(`${this.name}: backward without a training-mode forward`);
    // The output is positive exactly where the input was, so it serves as the mask.
    this.kernels.reluBackward(output.data, gradOutput.data, gradOutput.data);
    return gradOutput;
  }
}
