/**
 * The browser runtime as source text, taken from the compiled library so the page runs exactly the
 * code the Node tests call. Inline it in a <script> (it declares functions and variables only):
 *  - the forward pass: the self-contained functions of ./forward-pass.ts, by `Function.prototype.toString`;
 *  - the canvas intake: ./canvas-intake.js and every library module it requires (lib/intake,
 *    lib/preprocessing, …), shipped as the CommonJS modules tsc wrote, behind a small `require`.
 */
import * as fs from "fs";
import * as path from "path";
import * as forward from "./forward-pass";

const FORWARD_PASS: Array<(...args: never[]) => unknown> = [
  forward.decodeFloat32Base64,
  forward.prepareNetwork,
  forward.convolve,
  forward.maxPool,
  forward.convolvePool,
  forward.dense,
  forward.scaleShift,
  forward.relu,
  forward.softmax,
  forward.networkLogits,
  forward.classify,
];

/** The compiled library (dist/lib), where this file's own compiled copy sits in browser/. */
const LIBRARY_ROOT = path.join(__dirname, "..");

/** The page's entry module: it defines `inkFromRgba` and `mnistFromInk` for ./canvas-controller.ts. */
const CANVAS_INTAKE = "browser/canvas-intake";

let cachedSource: string | null = null;

export function browserRuntimeSource(): string {
  cachedSource ??= [
    ...FORWARD_PASS.map((f) => f.toString()),
    pageModulesSource(libraryModules(CANVAS_INTAKE)),
    `var { inkFromRgba, mnistFromInk } = requireLibrary(${JSON.stringify(CANVAS_INTAKE)});`,
  ].join("\n");
  return cachedSource;
}

/**
 * The compiled text of `entry` (a path below dist/lib without ".js") and of every module it requires,
 * by name, each `require` rewritten to the required module's name. Only the library's own modules can
 * go to a page: a require of a package (or of Node's fs, crypto, …) is refused with the module's name.
 */
export function libraryModules(entry: string): Map<string, string> {
  const modules = new Map<string, string>();
  const pending = [entry];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (modules.has(name)) continue;
    const compiled = fs.readFileSync(path.join(LIBRARY_ROOT, `${name}.js`), "utf8");
    const text = compiled
      .replace(/^\/\/# sourceMappingURL=.*$/m, "")
      .replace(/require\("([^"]+)"\)/g, (_, required: string) => {
        if (!required.startsWith(".")) {
          throw new Error(
            `browser runtime: ${name}.js requires "${required}", which a page cannot load ` +
              "(only modules of lib/ that require no package can be shipped)",
          );
        }
        const target = path.posix.join(path.posix.dirname(name), required);
        pending.push(target);
        return `require(${JSON.stringify(target)})`;
      });
    // The text goes inside a <script> element, which "</script>" would close early.
    if (/<\/script|<!--/i.test(text)) {
      throw new Error(`browser runtime: ${name}.js holds "</script" or "<!--"`);
    }
    modules.set(name, text);
  }
  return modules;
}

/**
 * The modules as page code: a table of module functions, each run once on its first `requireLibrary`
 * with its own `exports`, as Node runs a CommonJS module.
 */
function pageModulesSource(modules: Map<string, string>): string {
  const table = [...modules]
    .map(([name, text]) => `${JSON.stringify(name)}: function (exports, require) {\n${text}\n}`)
    .join(",\n");
  return `var libraryModules = {\n${table}\n};
var libraryExports = {};
function requireLibrary(name) {
  if (!(name in libraryExports)) {
    libraryExports[name] = {};
    libraryModules[name](libraryExports[name], requireLibrary);
  }
  return libraryExports[name];
}`;
}

/** JSON safe to put inside a <script> element (no "</script>" or "<!--" can close or confuse it). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
