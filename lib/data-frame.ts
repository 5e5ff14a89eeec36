/**
 * Results as danfojs DataFrames (the pandas of JavaScript): one row per record. At the bottom of the
 * library so that a search or a study can return a table without importing the plots that render it.
 */
export type Row = Record<string, string | number | boolean>;

/**
 * The part of a danfojs DataFrame the helpers read. Declared here, not imported, because danfojs
 * publishes its types only through package "exports", which tslab's module resolution does not follow.
 */
export interface FrameLike {
  columns: string[];
  values: unknown[][];
  toString(): string;
}

/** A danfojs DataFrame from an array of records, columns in the order of the first record's keys. */
export function toDataFrame(rows: Row[]): FrameLike {
  if (rows.length === 0) throw new RangeError("toDataFrame: no rows");
  const dfd = require("danfojs");
  return new dfd.DataFrame(rows, { columns: Object.keys(rows[0]) });
}
