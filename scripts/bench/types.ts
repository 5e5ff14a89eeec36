/**
 * One measured figure. `value` is the median of the rounds, with `min` and `max` beside it; `ratio`
 * compares our median to the peer's median measured in the same run, in interleaved rounds (ours /
 * peer for rates, so above 1 is better for us either way round: for times it is peer / ours).
 */
export interface BenchRow {
  group: string;
  name: string;
  value: number;
  unit: string;
  min?: number;
  max?: number;
  /** How many rounds the median is over. */
  rounds?: number;
  peer?: string;
  peerValue?: number;
  peerMin?: number;
  peerMax?: number;
  ratio?: number;
  target?: string;
  note?: string;
}

export interface BenchOptions {
  quick: boolean;
  /** Interleaved rounds per measurement (each module has its own default when undefined). */
  rounds?: number;
  /** Whether the speedrun module also trains the accuracy preset (many minutes). */
  accuracyPreset: boolean;
}

/** A benchmark module in scripts/bench/ exports `title` and `run`. */
export interface BenchModule {
  title: string;
  run(options: BenchOptions): Promise<BenchRow[]>;
}
