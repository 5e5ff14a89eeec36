/**
 * Progress of a run of epochs, shown where the person is looking:
 *  - in a notebook, one live line (a tslab display updated in place), not a wall of lines;
 *  - in a terminal, a progress bar (cli-progress) with the rate and the time left;
 *  - anywhere else (CI logs, pipes), one line per epoch.
 * Nothing is shown unless the run is verbose.
 */
import type * as CliProgress from "cli-progress";
import type * as Tslab from "tslab";
import { inNotebook } from "../display";
import type { EpochLog } from "./epoch-log";
import { formatEpoch } from "./format-epoch";

export interface Progress {
  /** `done` of `total` steps of epoch `epoch` are finished. */
  step(epoch: number, done: number, total: number): void;
  epochDone(log: EpochLog): void;
  finish(): void;
}

/** Redraws at most this often: a redraw per batch would cost more than some batches. */
const REDRAW_MS = 250;

export function createProgress(who: string, epochs: number, verbose: boolean): Progress {
  if (!verbose) return { step() {}, epochDone() {}, finish() {} };
  if (inNotebook()) return new NotebookLine(who, epochs);
  if (process.stdout.isTTY) return new TerminalBar(who, epochs);
  return new EpochLines(who, epochs);
}

class EpochLines implements Progress {
  constructor(
    private readonly who: string,
    private readonly epochs: number,
  ) {}
  step(): void {}
  epochDone(log: EpochLog): void {
    console.log(formatEpoch(this.who, log, this.epochs));
  }
  finish(): void {}
}

class NotebookLine implements Progress {
  // Loaded here, not at the top: only a notebook needs tslab, and loading it is slow (lib/display.ts).
  private readonly display = (require("tslab") as typeof Tslab).newDisplay();
  private lastEpoch = "";
  private drawnAt = 0;
  private readonly started = performance.now();

  constructor(
    private readonly who: string,
    private readonly epochs: number,
  ) {
    this.display.text(`${who}: starting ${epochs} epoch${epochs === 1 ? "" : "s"}…`);
  }

  step(epoch: number, done: number, total: number): void {
    const now = performance.now();
    if (now - this.drawnAt < REDRAW_MS && done < total) return;
    this.drawnAt = now;
    const fraction = (epoch - 1 + done / total) / this.epochs;
    const elapsed = (now - this.started) / 1000;
    const left = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : NaN;
    const status = `${this.who} epoch ${epoch}/${this.epochs} ${bar(done / total)} ${Math.round((100 * done) / total)}%`;
    const eta = Number.isFinite(left) ? `  about ${Math.ceil(left)} s left` : "";
    this.display.text(this.lastEpoch ? `${this.lastEpoch}\n${status}${eta}` : `${status}${eta}`);
  }

  epochDone(log: EpochLog): void {
    this.lastEpoch = formatEpoch(this.who, log, this.epochs);
    this.display.text(this.lastEpoch);
  }

  finish(): void {
    const seconds = (performance.now() - this.started) / 1000;
    this.display.text(`${this.lastEpoch}\n${this.who}: ${this.epochs} epochs in ${seconds.toFixed(1)} s`);
  }
}

class TerminalBar implements Progress {
  private readonly bar: CliProgress.SingleBar;

  constructor(
    private readonly who: string,
    private readonly epochs: number,
  ) {
    // Loaded here, not at the top: cli-progress pulls in readline, a tenth of a second that every
    // importer of the estimators (npm run predict among them) would pay without ever showing a bar.
    const { SingleBar } = require("cli-progress") as typeof CliProgress;
    this.bar = new SingleBar({
      format: `${who} epoch {epoch}/${epochs} [{bar}] {percentage}% | ETA {eta_formatted} | {last}`,
      hideCursor: true,
      clearOnComplete: false,
    });
    this.bar.start(epochs, 0, { epoch: 1, last: "" });
  }

  step(epoch: number, done: number, total: number): void {
    this.bar.update(epoch - 1 + done / total, { epoch });
  }

  epochDone(log: EpochLog): void {
    const summary = formatEpoch(this.who, log, this.epochs).slice(this.who.length + 1);
    this.bar.update(log.epoch, { epoch: log.epoch, last: summary });
  }

  finish(): void {
    this.bar.stop();
  }
}

function bar(fraction: number, width = 20): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}
