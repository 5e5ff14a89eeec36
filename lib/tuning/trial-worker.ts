/**
 * A trial worker thread (started by ./trial-workers.ts): builds the search's model once, then runs the
 * fold fits it is sent, one at a time, and posts each result back.
 */
import { parentPort, workerData } from "worker_threads";
import { matrix } from "../matrix";
import { fitFold, type FoldFitTask } from "./fold-fit";
import type { TrialWorkerReply, TrialWorkerSetup } from "./trial-workers";
import { buildEstimator } from "./worker-estimators";

const setup = workerData as TrialWorkerSetup;
const estimator = buildEstimator(setup.estimator);
const data = { x: matrix(setup.x, setup.rows, setup.cols), y: setup.y };

parentPort!.on("message", async ({ id, task }: { id: number; task: FoldFitTask }) => {
  let reply: TrialWorkerReply;
  try {
    const result = await fitFold(setup.who, estimator, data, setup.folds, task, setup.settings);
    reply = { id, result };
  } catch (error) {
    reply = { id, error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
