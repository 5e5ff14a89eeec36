/** One measured figure. `ratio` compares ours to `peer` measured in the same run (ours / peer for rates). */
export interface BenchRow {
  group: string;
  name: string;
  value: number;
  unit: string;
  peer?: string;
  peerValue?: number;
  ratio?: number;
  target?: string;
  note?: string;
}

/** A benchmark module in scripts/bench/ exports `title` and `run`. */
export interface BenchModule {
  title: string;
  run(options: { quick: boolean }): Promise<BenchRow[]>;
}
