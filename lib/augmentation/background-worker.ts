/**
 * The worker of BackgroundAugmenter (background.ts): waits for a job, augments the batch in place with
 * the Random state it came with, hands back the advanced state, and marks the job done.
 */
import { workerData } from "worker_threads";
import { Random } from "../random";
import { augmenterFromConfig } from "./augmenter";
import { readRandomState, Slot, writeRandomState, type BackgroundChannels } from "./background";
import type { AugmentConfig } from "./options";

const { config, channels } = workerData as { config: AugmentConfig; channels: BackgroundChannels };
const { control, images, failure } = channels;
const augment = augmenterFromConfig(config);
// Only the state matters: every job restores the trainer's state into it first.
const random = new Random(0);

process.on("exit", () => {
  Atomics.store(control, Slot.Dead, 1);
  Atomics.notify(control, Slot.Done);
});

Atomics.store(control, Slot.Ready, 1);
// Jobs are numbered from 1: a job submitted before this thread got here is still to do.
let seen = 0;
for (;;) {
  const submitted = Atomics.load(control, Slot.Submitted);
  if (submitted === seen) {
    // A timed wait, so that terminate() (and the process's exit) never waits on a sleeping thread.
    Atomics.wait(control, Slot.Submitted, seen, 1000);
    continue;
  }
  seen = submitted;
  try {
    random.restoreState(readRandomState(channels));
    augment(images, control[Slot.BatchSize], random);
    writeRandomState(channels, random.saveState());
  } catch (error) {
    const message = Buffer.from(error instanceof Error ? error.message : String(error), "utf8");
    failure.fill(0);
    failure.set(message.subarray(0, failure.length - 1));
    Atomics.store(control, Slot.Failed, 1);
  }
  Atomics.store(control, Slot.Done, seen);
  Atomics.notify(control, Slot.Done);
}
