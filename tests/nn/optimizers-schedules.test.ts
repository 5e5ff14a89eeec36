/** Optimizer updates and learning-rate schedules against hand-computed values. */
import * as assert from "assert";
import type { Param } from "../../lib/nn/layer";
import { Adam, AdamW } from "../../lib/nn/optimizers/adam";
import { Sgd } from "../../lib/nn/optimizers/sgd";
import { cosineSchedule, oneCycleSchedule, stepSchedule } from "../../lib/nn/schedules";

function param(value: number, grad: number, decay = true): Param {
  return { name: "w", value: Float32Array.of(value), grad: Float32Array.of(grad), decay };
}

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} ≠ ${expected}`);

describe("nn: optimizers", () => {
  it("SGD with momentum accumulates velocity; Nesterov looks ahead", () => {
    const heavy = param(1, 1);
    const nesterov = param(1, 1);
    const sgd = new Sgd({ momentum: 0.5 });
    const nag = new Sgd({ momentum: 0.5, nesterov: true });
    sgd.step([heavy], 0.1); // v = 1, w = 0.9
    sgd.step([heavy], 0.1); // v = 1.5, w = 0.75
    nag.step([nesterov], 0.1); // v = 1, w = 1 − 0.1·(1 + 0.5) = 0.85
    close(heavy.value[0], 0.75, "momentum");
    close(nesterov.value[0], 0.85, "nesterov");
  });

  it("L2 weight decay skips parameters marked decay = false", () => {
    const weight = param(2, 0);
    const bias = param(2, 0, false);
    new Sgd({ weightDecay: 0.5 }).step([weight, bias], 0.1);
    close(weight.value[0], 1.9, "decayed weight");
    close(bias.value[0], 2, "bias");
  });

  it("Adam's first step moves each weight by the learning rate, whatever the gradient's scale", () => {
    const small = param(0, 1e-3);
    const large = param(0, -50);
    new Adam().step([small, large], 0.01);
    close(small.value[0], -0.01, "small gradient");
    close(large.value[0], 0.01, "large gradient");
  });

  it("AdamW decays the weights directly, Adam through the gradient", () => {
    const decoupled = param(1, 0);
    new AdamW({ weightDecay: 0.1 }).step([decoupled], 0.5);
    close(decoupled.value[0], 0.95, "AdamW: w·(1 − lr·λ) with a zero gradient");
    const coupled = param(1, 0);
    new Adam({ weightDecay: 0.1 }).step([coupled], 0.5);
    close(coupled.value[0], 0.5, "Adam: the decay term is a gradient of 0.1, normalised to a step of lr");
  });
});

describe("nn: learning-rate schedules", () => {
  const at = (step: number) => ({ step, stepsPerEpoch: 10, totalSteps: 101 });

  it("step halves every epoch", () => {
    const schedule = stepSchedule({ everyEpochs: 1, gamma: 0.5 });
    assert.deepStrictEqual(
      [0, 9, 10, 25].map((s) => schedule(1, at(s))),
      [1, 1, 0.5, 0.25],
    );
  });

  it("cosine goes from the base rate to the floor, through the midpoint halfway", () => {
    const schedule = cosineSchedule({ minFraction: 0.1 });
    close(schedule(2, at(0)), 2, "start");
    close(schedule(2, at(50)), 1.1, "middle");
    close(schedule(2, at(100)), 0.2, "end");
  });

  it("one-cycle warms up to the peak, then anneals far below the start", () => {
    const schedule = oneCycleSchedule({ warmupFraction: 0.2, divFactor: 10, finalDivFactor: 100 });
    const rates = Array.from({ length: 101 }, (_, s) => schedule(1, at(s)));
    close(rates[0], 0.1, "start");
    close(Math.max(...rates), 1, "peak");
    assert.strictEqual(rates.indexOf(Math.max(...rates)), 20);
    close(rates[100], 0.001, "end");
  });
});
