/**
 * Small notebooks written on the fly for the runner's tests: each a list of cell sources in nbformat 4.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface FixtureCell {
  markdown?: string;
  code?: string;
}

/** An nbformat 4 notebook for `kernel` (default tslab) with these cells, without outputs. */
export function fixtureNotebook(cells: FixtureCell[], kernel = "tslab"): object {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: {
        name: kernel,
        display_name: kernel,
        language: kernel === "tslab" ? "typescript" : "python",
      },
    },
    cells: cells.map((c, i) =>
      c.markdown !== undefined
        ? { cell_type: "markdown", id: `c${i}`, metadata: {}, source: c.markdown }
        : {
            cell_type: "code",
            id: `c${i}`,
            metadata: {},
            source: c.code ?? "",
            outputs: [],
            execution_count: null,
          },
    ),
  };
}

/** A fresh temporary folder under the OS's temp dir. */
export function tempFolder(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mnist-${prefix}-`));
}

/** Writes `content` (an object as JSON, or a string as is) to dir/name; returns the path. */
export function writeFixture(dir: string, name: string, content: object | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 1));
  return file;
}

/**
 * Chromium for the browser tests: CHROMIUM_PATH when set (and only it, so a wrong path is noticed), else
 * the usual install locations; undefined if none is there.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.CHROMIUM_PATH
    ? [env.CHROMIUM_PATH]
    : ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  return candidates.find((c) => fs.existsSync(c));
}

export const NO_CHROMIUM_NOTICE =
  "browser tests skipped: no Chromium found; install it (apt-get install chromium) or set CHROMIUM_PATH to enable them";
