/**
 * A search's time budget. Before every fit the search asks whether time is left; models trained by
 * epochs also check after every epoch (and stop through the epoch loop's "stop"), so a long fit is cut
 * short rather than overrunning the budget by a whole trial. A trial cut short is dropped, and the
 * result says how many trials ran. Worker threads check the same deadline as wall-clock time.
 */
import { checkPositiveReal } from "../validation";

/** Thrown (and caught by the search) to abandon a fit when the budget is spent. */
export class BudgetSpent extends Error {
  constructor(who: string, seconds: number) {
    super(`${who}: time budget of ${seconds} s spent`);
    this.name = "BudgetSpent";
  }
}

export class TimeBudget {
  readonly seconds: number;
  private readonly started = performance.now();
  /** The same start as wall-clock time, which worker threads share. */
  private readonly startedAt = Date.now();

  /** `seconds` must be > 0; Infinity means no limit. */
  constructor(
    readonly who: string,
    seconds = Infinity,
  ) {
    this.seconds = seconds === Infinity ? Infinity : checkPositiveReal(who, "timeBudgetSeconds", seconds);
  }

  get elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** The wall-clock time (Date.now()) at which the budget is spent; Infinity without a limit. */
  get deadline(): number {
    return this.startedAt + this.seconds * 1000;
  }

  get spent(): boolean {
    return this.elapsedSeconds >= this.seconds;
  }

  /** Throws BudgetSpent once the budget is used up. */
  check(): void {
    if (this.spent) throw new BudgetSpent(this.who, this.seconds);
  }
}
