/**
 * A search's time budget. Before every fit the search asks whether time is left; models trained by
 * epochs also check after every epoch, so a long fit is cut short rather than overrunning the budget
 * by a whole trial. A trial cut short is dropped, and the result says how many trials ran.
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

  get spent(): boolean {
    return this.elapsedSeconds >= this.seconds;
  }

  /** Throws BudgetSpent once the budget is used up. */
  check(): void {
    if (this.spent) throw new BudgetSpent(this.who, this.seconds);
  }
}
