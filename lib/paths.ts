import * as fs from "fs";
import * as path from "path";

/** The project's root folder (where package.json is), found from this compiled file's location. */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === "mnist-notebooks")
      return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`projectRoot: no mnist-notebooks package.json above ${__dirname}`);
    dir = parent;
  }
}

/**
 * A folder named by environment variable `name`, resolved against the current folder; `fallback` when the
 * variable is unset or empty (an empty value is how shells and CI files often "unset" it, and a path of ""
 * would make mkdir fail with an unhelpful ENOENT).
 */
export function folderFromEnv(name: string, fallback: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  return value === undefined || value.trim() === "" ? fallback : path.resolve(value);
}
