/** Reshapes [batch, ...] to [batch, features]: a view of the same memory, no copy either way. */
import { Layer } from "../layer";
import { sizeOf, type Tensor } from "../tensor";

export class Flatten extends Layer {
  readonly kind = "flatten";
  private features = 0;
  private flatView: Tensor | null = null;
  private gradView: Tensor | null = null;

  protected setup(inputShape: readonly number[]): readonly number[] {
    this.features = sizeOf(inputShape);
    return [this.features];
  }

  forward(input: Tensor): Tensor {
    const batch = this.checkInput(input);
    if (this.flatView?.data !== input.data)
      this.flatView = { data: input.data, shape: [batch, this.features] };
    return this.flatView;
  }

  backward(gradOutput: Tensor): Tensor | null {
    if (!this.needsInputGradient) return null;
    if (this.gradView?.data !== gradOutput.data)
      this.gradView = { data: gradOutput.data, shape: [gradOutput.shape[0], ...this.inputShape] };
    return this.gradView;
  }
}
