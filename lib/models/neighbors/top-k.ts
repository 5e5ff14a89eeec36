/**
 * The k best (smallest distance) candidates seen so far, best first. Order: smaller distance, then
 * lower training index, so ties resolve the same way whatever order candidates arrive in.
 */
export class TopK {
  readonly k: number;
  readonly distances: Float64Array;
  readonly indices: Int32Array;
  size = 0;

  constructor(k: number) {
    this.k = k;
    this.distances = new Float64Array(k);
    this.indices = new Int32Array(k);
  }

  clear(): void {
    this.size = 0;
  }

  /** The k-th best distance, or Infinity while fewer than k are kept. */
  get worst(): number {
    return this.size < this.k ? Infinity : this.distances[this.k - 1];
  }

  has(index: number): boolean {
    for (let i = 0; i < this.size; i++) if (this.indices[i] === index) return true;
    return false;
  }

  /** Keeps (distance, index) if it ranks among the k best; the caller never offers an index twice. */
  offer(distance: number, index: number): void {
    let i: number;
    if (this.size < this.k) i = this.size++;
    else if (this.ranksAfter(this.k - 1, distance, index)) i = this.k - 1;
    else return;
    while (i > 0 && this.ranksAfter(i - 1, distance, index)) {
      this.distances[i] = this.distances[i - 1];
      this.indices[i] = this.indices[i - 1];
      i--;
    }
    this.distances[i] = distance;
    this.indices[i] = index;
  }

  /** Whether the kept entry at `slot` ranks after (distance, index). */
  private ranksAfter(slot: number, distance: number, index: number): boolean {
    return (
      this.distances[slot] > distance || (this.distances[slot] === distance && this.indices[slot] > index)
    );
  }
}
