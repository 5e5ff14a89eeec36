/**
 * `npm run train`: trains the final models into models/ through the model store (lib/store): the
 * ensemble's members (lib/ensemble/members.ts), then the ensemble. By default the "final" tier
 * (lib/ensemble/tiers.ts), the product's model: its members train on all 60,000 training images and
 * vote with equal weights; `--tier report` the report's shorter members, which notebook 07 shares,
 * trained on 55,000 with weights chosen on the 5,000 held out. Each member shows a progress bar with
 * the time left; a member already trained with the same settings, data and library version is loaded
 * instead. Ends with each model's test accuracy (the test
 * set's only use) and writes them to reports/metrics.json.
 */
import type { EnsembleTier } from "../lib/ensemble/tiers";
import { exitWithUsage, parseCli } from "./cli";

const USAGE = `Usage: npm run train -- [options]

Trains the final models (the ensemble's CNN members, then the ensemble) into models/, prints each
model's test accuracy and writes reports/metrics.json. Models already trained with the same settings
and data are loaded, not trained again.

Options:
  --tier NAME    which ensemble: "final" (default), three accuracy-preset CNNs at full length (15
                 epochs) on all 60,000 training images, equal weights, about 30 minutes on a quiet
                 2-core machine, saved as final-ensemble; or "report", the three shorter members
                 notebook 07 trains within a report's budget on 55,000 images, weights chosen on the
                 5,000 held out (about 8 minutes), saved as ensemble
  --member NAME  train (or load) only this member of the tier and stop, without the ensemble: run
                 one process per member to train them side by side, then once more without it
  --threads N    kernel threads per member (default every core; 1 when members train side by side)
  --quick        small subsets and two small members, in seconds (as MNIST_QUICK=1)
  --retrain      train every member again even when a saved one matches (as MNIST_RETRAIN=1)
  -h, --help     print this help and exit`;

async function main(): Promise<void> {
  const values = parseCli(
    "train",
    USAGE,
    {
      tier: { type: "string", default: "final" },
      member: { type: "string" },
      threads: { type: "string" },
      quick: { type: "boolean" },
      retrain: { type: "boolean" },
    },
    process.argv.slice(2),
  );
  // Before the library loads: quick mode also picks the store's folder (a temporary one).
  if (values.quick) process.env.MNIST_QUICK = "1";
  const { isQuickMode } = await import("../lib/quick");
  const { readTunedSettings } = await import("../lib/tuning/tuned-settings");
  const { ModelStore } = await import("../lib/store/model-store");
  const ensembleModule = await import("../lib/ensemble");
  const { finalMemberSpecs, loadFinalData, trainFinalModels, trainMembers, scoreFinalModels, metricsRows } =
    ensembleModule;
  const tier = checkTierOrExit(ensembleModule.checkTier, values.tier);
  const { mergeMetrics } = await import("../lib/models/metrics-file");
  const { formatBytes, formatSeconds } = await import("./report-index");

  const quick = isQuickMode();
  const tuned = readTunedSettings();
  const tunedCnn = tuned?.models.cnn ? { quick: tuned.quick, params: tuned.models.cnn.params } : null;
  const tierSpecs = finalMemberSpecs({ quick, tuned: tunedCnn, tier });
  const specs = values.member === undefined ? tierSpecs : tierSpecs.filter((s) => s.name === values.member);
  if (specs.length === 0) {
    const names = tierSpecs.map((s) => s.name).join(", ");
    exitWithUsage(
      "train",
      `--member: the ${tier} tier has no member "${values.member}" (it has ${names})`,
      USAGE,
    );
  }
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1))
    exitWithUsage("train", `--threads must be a positive integer, got "${values.threads}"`, USAGE);
  const ensembleName = ensembleModule.TIER_ENSEMBLE_NAMES[tier];
  const trainOn = ensembleModule.TIER_TRAINING_DATA[tier];
  const store = new ModelStore({ retrain: values.retrain === true ? true : undefined });
  console.log(`Models folder: ${store.root}${quick ? " (quick mode)" : ""}`);
  console.log(
    tuned
      ? `Tuned settings: reports/tuned.json of ${tuned.date}`
      : "Tuned settings: none (reports/tuned.json not found), preset defaults",
  );
  const data = loadFinalData({ quick });
  console.log(
    trainOn === "train"
      ? `Data: ${data.train.x.rows} training, ${data.validation.x.rows} validation, ${data.test.x.rows} test images`
      : `Data: ${data.train.x.rows + data.validation.x.rows} training images (validation included), ` +
          `${data.test.x.rows} test images`,
  );
  const started = performance.now();
  console.log(`Tier: ${tier} (members ${specs.map((s) => s.name).join(", ")}; ensemble ${ensembleName})`);
  if (values.member !== undefined) {
    const [member] = await trainMembers(store, specs, data, { threads, trainOn });
    console.log(
      `${member.name}: ${member.status} in ${formatSeconds(member.seconds)}, saved in ${member.dir}`,
    );
    console.log(`When every member is saved, \`npm run train -- --tier ${tier}\` combines them.`);
    return;
  }
  const final = await trainFinalModels(store, specs, data, { ensembleName, threads, trainOn });
  const scores = scoreFinalModels(final, data);
  // Each card (the ensemble's too) keeps its model's figures, for predict's default and the README.
  for (const { model, testAccuracy, validationAccuracy } of scores)
    store.recordMetrics(
      model,
      validationAccuracy === undefined ? { testAccuracy } : { testAccuracy, validationAccuracy },
    );
  const file = mergeMetrics(metricsRows(scores, "npm run train"));

  const width = Math.max(18, ...scores.map((s) => s.model.length));
  console.log(
    `\n${"model".padEnd(width)} ${"validation".padStart(10)} ${"test".padStart(8)}  95% interval     training   this run`,
  );
  // Members trained on the validation images have no validation score: "trained on" says so.
  const validation = (s: (typeof scores)[number]) =>
    s.validationAccuracy === undefined ? "trained on" : `${(100 * s.validationAccuracy).toFixed(2)}%`;
  for (const s of scores) {
    const interval = `${(100 * s.interval!.lower).toFixed(2)}–${(100 * s.interval!.upper).toFixed(2)}%`;
    console.log(
      `${s.model.padEnd(width)} ${validation(s).padStart(10)} ${(100 * s.testAccuracy).toFixed(2).padStart(7)}%  ` +
        `${interval.padEnd(15)}  ${formatSeconds(s.trainingSeconds ?? 0).padStart(9)}  ${s.status}`,
    );
  }
  console.log(`\nDone in ${formatSeconds((performance.now() - started) / 1000)}; figures in ${file}.`);
  // maxRSS (KiB) covers the kernels' worker threads too: they are threads of this process.
  console.log(`Peak memory: ${formatBytes(process.resourceUsage().maxRSS * 1024)}.`);
  console.log(`Try it: npm run predict -- path/to/digit.png`);
}

/** The tier, or the usage error and exit code 2 for an unknown one (as for a bad flag). */
function checkTierOrExit(check: (tier: unknown) => EnsembleTier, tier: unknown): EnsembleTier {
  try {
    return check(tier);
  } catch (err) {
    exitWithUsage("train", `--tier: ${(err as Error).message}`, USAGE);
  }
}

main().then(
  // The kernels' worker threads keep the event loop alive; exit once the work is done.
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? `train: ${err.stack ?? err.message}` : err);
    process.exit(1);
  },
);
