/**
 * Searches through the model store: a search whose inputs are unchanged (the searched model's class
 * and parameters, the grid, space or candidates, the search's options including its seed and time
 * budget, the data checksum and the library version) loads the result it saved instead of running
 * again, so a second `npm run report` skips notebook 05's minutes of tuning. A loaded result is the
 * saved one, timings as they were measured, marked `origin.status === "loaded"`: a search that a time
 * budget stopped is not reproducible, so the key is what went in, never what came out.
 *
 * Each search is saved as one `search.json` in its own folder beside the models (written atomically),
 * so the store's `--retrain` / MNIST_RETRAIN=1 reruns searches as it retrains models. A damaged file
 * is not an error: the search runs again, with a warning naming the file, and replaces it.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Classifier } from "../models/estimator";
import type { Params } from "../params";
import { gridSearch } from "../tuning/grid-search";
import { checkLabelledData, type LabelledData } from "../tuning/labelled-data";
import { learningCurve, type LearningCurvePoint } from "../tuning/learning-curve";
import { learningRateRangeTest, type LrRangeOptions, type LrRangeResult } from "../tuning/lr-range-test";
import { expandGrid, type ParamGrid } from "../tuning/param-grid";
import { randomSearch, sampleCandidates, type RandomSearchOptions } from "../tuning/random-search";
import type { SearchSpace } from "../tuning/random-search";
import type { SearchOptions } from "../tuning/search-options";
import { SearchResult, type SearchOrigin } from "../tuning/search-result";
import { successiveHalving } from "../tuning/successive-halving";
import { assertNotTestSet } from "../tuning/test-set-guard";
import type { Trial } from "../tuning/trial";
import { libraryVersion } from "./card";
import { dataChecksum, keyParams } from "./fit-key";
import { ModelStore, type ModelStoreOptions } from "./model-store";
import { writeFolderAtomically } from "./save-load";

export const SEARCH_FILE = "search.json";
const SEARCH_FORMAT = "mnist-notebooks-search";
const SEARCH_VERSION = 1;

/** What makes two searches the same search; kept in the file so a changed key can say what changed. */
export interface SearchKeyParts {
  name: string;
  /** "gridSearch", "randomSearch", "successiveHalving", "learningRateRangeTest", "learningCurve". */
  search: string;
  kind: string;
  params: unknown;
  /** The grid, the drawn candidates, the sizes: what the search tries. */
  inputs: unknown;
  /** The search's options (seed, validation scheme, time budget, ...) but those that only change speed. */
  options: unknown;
  dataChecksum: string;
  libraryVersion: string;
}

/** Options that change how a search runs, not what it finds: threads give the scores of a serial run. */
const IGNORED_OPTIONS = new Set(["verbose", "parallel"]);

interface SearchFile {
  format: typeof SEARCH_FORMAT;
  version: number;
  key: string;
  keyParts: SearchKeyParts;
  /** ISO date the search finished, and how long it ran. */
  date: string;
  searchSeconds: number;
  result: unknown;
}

/** How one kind of search result goes to JSON and back, and how it is counted in a status line. */
interface ResultCodec<T> {
  encode(value: T): unknown;
  decode(json: unknown, origin: SearchOrigin): T;
  count(value: T): string;
}

export class SearchStore {
  readonly models: ModelStore;

  /** The same options as ModelStore: root (MNIST_MODELS_DIR), retrain (MNIST_RETRAIN=1), verbose, prefix. */
  constructor(options: ModelStoreOptions = {}) {
    this.models = new ModelStore(options);
  }

  get retrain(): boolean {
    return this.models.retrain;
  }

  /** The folder of the search saved under `name`. */
  dir(name: string): string {
    return this.models.dir(name);
  }

  /** `tuning.gridSearch`, loaded when saved under `name` with the same inputs. */
  readonly gridSearch = this.storedSearch("gridSearch", gridSearch, (grid: ParamGrid) => ({
    grid: expandGrid("gridSearch", grid),
  }));

  /** `tuning.randomSearch`: the key holds the candidates drawn, so space, nTrials and seed all count. */
  readonly randomSearch = this.storedSearch(
    "randomSearch",
    randomSearch,
    (space: SearchSpace, options: RandomSearchOptions = {}) => ({
      space: Object.fromEntries(
        Object.entries(space).map(([k, v]) => [
          k,
          Array.isArray(v) ? v : (v as { describe(): string }).describe(),
        ]),
      ),
      candidates: sampleCandidates(space, options.nTrials ?? 10, options.seed ?? 0, "randomSearch"),
    }),
  );

  /** `tuning.successiveHalving`, loaded when saved under `name` with the same inputs. */
  readonly successiveHalving = this.storedSearch(
    "successiveHalving",
    successiveHalving,
    (candidates: Params[]) => ({ candidates }),
  );

  /** `tuning.learningRateRangeTest`, loaded when saved under `name` with the same inputs. */
  async learningRateRangeTest(
    name: string,
    estimator: Classifier,
    train: LabelledData,
    options: LrRangeOptions = {},
  ): Promise<LrRangeResult> {
    const run = () => learningRateRangeTest(estimator, train, options);
    const codec: ResultCodec<LrRangeResult> = {
      encode: (value) => ({
        points: value.points,
        minimumRate: value.minimumRate,
        suggestedRate: value.suggestedRate,
      }),
      decode: (json, origin) => ({ ...(json as LrRangeResult), origin }),
      count: (value) => `${value.points.length} rates`,
    };
    return this.searchOrLoad(name, "learningRateRangeTest", estimator, train, {}, options, run, codec);
  }

  /** `tuning.learningCurve`, loaded when saved under `name` with the same inputs. */
  async learningCurve(
    name: string,
    estimator: Classifier,
    train: LabelledData,
    sizes: number[],
    options: SearchOptions = {},
  ): Promise<LearningCurvePoint[]> {
    const run = () => learningCurve(estimator, train, sizes, options);
    const codec: ResultCodec<LearningCurvePoint[]> = {
      encode: (points) => points,
      decode: (json) => json as LearningCurvePoint[],
      count: (points) => `${points.length} sizes`,
    };
    return this.searchOrLoad(name, "learningCurve", estimator, train, { sizes }, options, run, codec);
  }

  /**
   * One of the three searches that return a `SearchResult` (grid, random, halving), wrapped so that it
   * takes a name in the store first and loads its saved result when `inputsOf` (what it tries) and
   * its options are unchanged.
   */
  private storedSearch<Space, Options extends object>(
    search: string,
    run: (
      estimator: Classifier,
      space: Space,
      train: LabelledData,
      options: Options,
    ) => Promise<SearchResult>,
    inputsOf: (space: Space, options: Options) => unknown,
  ) {
    return (
      name: string,
      estimator: Classifier,
      space: Space,
      train: LabelledData,
      options: Options,
    ): Promise<SearchResult> => {
      const inputs = inputsOf(space, options);
      const searchNow = () => run(estimator, space, train, options);
      const codec = resultCodec(estimator, train);
      return this.searchOrLoad(name, search, estimator, train, inputs, options ?? {}, searchNow, codec);
    };
  }

  /**
   * The saved result of `name` when its key matches; otherwise `run()`, saved. The test-set guard runs
   * either way, so a loaded search is refused the test set as a fresh one is.
   */
  private async searchOrLoad<T>(
    name: string,
    search: string,
    estimator: Classifier,
    train: LabelledData,
    inputs: unknown,
    options: object,
    run: () => Promise<T>,
    codec: ResultCodec<T>,
  ): Promise<T> {
    const dir = this.dir(name);
    checkLabelledData(search, train);
    assertNotTestSet(search, train);
    const parts: SearchKeyParts = {
      name: path.basename(dir),
      search,
      kind: estimator.constructor.name,
      params: keyParams(estimator.getParams() as Params),
      inputs: toKeyJson(inputs),
      options: searchOptionsKey(options),
      dataChecksum: dataChecksum(train.x, train.y),
      libraryVersion: libraryVersion(),
    };
    const key = createHash("sha256").update(JSON.stringify(parts)).digest("hex");
    const file = path.join(dir, SEARCH_FILE);
    let reason = this.retrain ? "a rerun was asked for (retrain option or MNIST_RETRAIN=1)" : "";
    if (!this.retrain && fs.existsSync(file)) {
      try {
        const saved = readSearchFile(file);
        if (saved.key === key) {
          const origin: SearchOrigin = {
            status: "loaded",
            date: saved.date,
            seconds: saved.searchSeconds,
            dir,
          };
          const value = codec.decode(saved.result, origin);
          const when = saved.date.slice(0, 16).replace("T", " ");
          const seconds = saved.searchSeconds.toFixed(1);
          this.say(
            `${parts.name}: loaded search (${codec.count(value)}, searched in ${seconds} s on ${when} UTC)`,
          );
          return value;
        }
        reason = `its inputs changed: ${partsDifference(saved.keyParts, parts)}`;
      } catch (error) {
        console.warn(`warning: ${(error as Error).message}; searching again`);
        reason = "the saved search was damaged";
      }
    }
    if (reason) this.say(`${parts.name}: searching, because ${reason}`);
    const started = performance.now();
    const value = await run();
    const searchSeconds = (performance.now() - started) / 1000;
    const date = new Date().toISOString();
    if (value instanceof SearchResult)
      value.origin = { status: "searched", date, seconds: searchSeconds, dir };
    if (value instanceof SearchResult && value.trialsRun === 0) {
      // Nothing to reuse, and under a heavier load a rerun may well finish some trials.
      console.warn(`warning: ${parts.name}: not saved, as no trial finished within the time budget`);
      return value;
    }
    try {
      const result = codec.encode(value);
      const saved: SearchFile = {
        format: SEARCH_FORMAT,
        version: SEARCH_VERSION,
        key,
        keyParts: parts,
        date,
        searchSeconds,
        result,
      };
      writeFolderAtomically(dir, new Map([[SEARCH_FILE, encodeJson(saved)]]));
      this.say(`${parts.name}: searched in ${searchSeconds.toFixed(1)} s, saved to ${dir}`);
    } catch (error) {
      console.warn(`warning: ${parts.name}: the search was not saved (${(error as Error).message})`);
    }
    return value;
  }

  private say(line: string): void {
    if (this.models.verbose) console.log(line);
  }
}

/** How a SearchResult goes to JSON and back: trials, summary and flags; estimator and data are the caller's. */
function resultCodec(estimator: Classifier, train: LabelledData): ResultCodec<SearchResult> {
  return {
    encode: (result) => ({
      trials: result.trials.map(checkJsonTrial),
      summary: result.summary,
      includesDefault: result.includesDefault,
      resourceName: result.resourceName,
    }),
    decode: (json, origin) => {
      const saved = json as Pick<SearchResult, "trials" | "summary" | "includesDefault" | "resourceName">;
      if (!Array.isArray(saved?.trials) || typeof saved.summary?.who !== "string")
        throw new Error("the saved result has no trials or summary");
      const result = new SearchResult(estimator, train, saved.trials, saved.summary);
      result.includesDefault = saved.includesDefault;
      result.resourceName = saved.resourceName;
      result.origin = origin;
      return result;
    },
    count: ({ trialsRun, summary }) =>
      summary.stoppedByBudget
        ? `${trialsRun} of ${summary.planned} trials, stopped by its ${summary.budgetSeconds} s budget`
        : `${trialsRun} trials`,
  };
}

/** A trial whose parameters JSON keeps as they are (a function or class instance would come back changed). */
function checkJsonTrial(trial: Trial): Trial {
  for (const [name, value] of Object.entries(trial.params)) {
    const plain = (v: unknown): boolean =>
      v === null ||
      ["number", "string", "boolean"].includes(typeof v) ||
      (Array.isArray(v) && v.every(plain)) ||
      (typeof v === "object" &&
        Object.getPrototypeOf(v) === Object.prototype &&
        Object.values(v!).every(plain));
    if (!plain(value))
      throw new TypeError(
        `trial ${trial.index}'s parameter "${name}" is not plain JSON, so it cannot be saved`,
      );
  }
  return trial;
}

function searchOptionsKey(options: object): unknown {
  const kept = Object.fromEntries(Object.entries(options).filter(([k]) => !IGNORED_OPTIONS.has(k)));
  return toKeyJson(keyParams(kept as Params));
}

/** Key material as JSON would keep it, non-finite numbers included (an unlimited budget is Infinity). */
function toKeyJson(value: unknown): unknown {
  return JSON.parse(encodeJson(value));
}

/** JSON with NaN and ±Infinity kept (a diverged trial scores NaN; JSON alone would make it null). */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    typeof v === "number" && !Number.isFinite(v) ? { $number: String(v) } : v,
  );
}

export function decodeJson(text: string): unknown {
  return JSON.parse(text, (_, v: unknown) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const special = (v as { $number?: unknown }).$number;
      if (keys.length === 1 && typeof special === "string") return Number(special);
    }
    return v;
  });
}

function readSearchFile(file: string): SearchFile {
  let saved: SearchFile;
  try {
    saved = decodeJson(fs.readFileSync(file, "utf8")) as SearchFile;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message})`);
  }
  if (saved?.format !== SEARCH_FORMAT || saved.version !== SEARCH_VERSION)
    throw new Error(`${file} is not a saved search of format ${SEARCH_FORMAT} version ${SEARCH_VERSION}`);
  if (
    typeof saved.key !== "string" ||
    typeof saved.date !== "string" ||
    typeof saved.searchSeconds !== "number"
  )
    throw new Error(`${file} lacks its key, date or search time`);
  return saved;
}

/** Which parts of a search's key differ, in words: "options.seed 1 → 2, inputs". */
function partsDifference(saved: Partial<SearchKeyParts> | undefined, wanted: SearchKeyParts): string {
  if (!saved) return "the saved search has no key";
  const changes: string[] = [];
  for (const part of Object.keys(wanted) as (keyof SearchKeyParts)[]) {
    const [a, b] = [saved[part], wanted[part]];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const nested = [a, b].every((v) => v !== null && typeof v === "object" && !Array.isArray(v));
    if (!nested || part === "inputs") {
      changes.push(part === "dataChecksum" ? "the data" : part);
      continue;
    }
    const [x, y] = [a, b] as Record<string, unknown>[];
    for (const k of [...new Set([...Object.keys(x), ...Object.keys(y)])]) {
      if (JSON.stringify(x[k]) === JSON.stringify(y[k])) continue;
      const show = (v: unknown) => (v === undefined ? "unset" : JSON.stringify(v));
      changes.push(`${part}.${k} ${show(x[k])} → ${show(y[k])}`);
    }
  }
  return changes.length > 0 ? changes.join(", ") : "the key";
}
