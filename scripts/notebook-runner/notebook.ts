/**
 * Reading a notebook file as nbformat 4, with errors that name the file and say what was expected.
 */
import * as fs from "fs";
import * as path from "path";

export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | {
      output_type: "execute_result";
      execution_count: number;
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
    }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: Output[];
  execution_count?: number | null;
  id?: string;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, any>;
  cells: Cell[];
}

/** A cell's source as one string (nbformat allows a string or a list of lines). */
export function cellSource(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** The first non-blank line of a cell, shortened for messages. */
export function firstLine(cell: Cell): string {
  const line =
    cellSource(cell)
      .split("\n")
      .find((l) => l.trim() !== "") ?? "";
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/**
 * Parses `file` as an nbformat 4 notebook for the tslab kernel. Throws naming the file when it is not
 * JSON, not nbformat 4, or meant for another kernel.
 */
export function readNotebook(file: string): Notebook {
  const name = path.basename(file);
  let nb: any;
  try {
    nb = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${name}: not a valid notebook: ${(err as Error).message}`);
  }
  if (nb === null || typeof nb !== "object" || Array.isArray(nb)) {
    throw new Error(`${name}: not a valid notebook: expected a JSON object, found ${JSON.stringify(nb)}`);
  }
  if (nb.nbformat !== 4) {
    throw new Error(
      `${name}: nbformat is ${JSON.stringify(nb.nbformat)}, expected 4 (open and save it in JupyterLab)`,
    );
  }
  if (!Array.isArray(nb.cells)) throw new Error(`${name}: nbformat 4 notebook without a "cells" list`);
  const kernel = nb.metadata?.kernelspec?.name;
  if (kernel !== "tslab") {
    throw new Error(
      `${name}: kernel is ${JSON.stringify(kernel ?? null)}, expected "tslab" (TypeScript): ` +
        `this runner executes TypeScript notebooks only`,
    );
  }
  for (const [i, cell] of nb.cells.entries()) {
    if (!["code", "markdown", "raw"].includes(cell?.cell_type)) {
      throw new Error(
        `${name}: cell ${i + 1} has cell_type ${JSON.stringify(cell?.cell_type)}, expected code, markdown or raw`,
      );
    }
  }
  return nb as Notebook;
}
