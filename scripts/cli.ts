/**
 * Command lines of the small scripts, parsed by Node's own util.parseArgs in strict mode: an unknown
 * flag or a missing value is an error (exit 2) naming it, and --help prints the usage (exit 0).
 */
import { parseArgs, type ParseArgsConfig } from "util";

type Options = NonNullable<ParseArgsConfig["options"]>;
export type CliValues = Record<string, string | boolean | undefined>;

export function parseCli(script: string, usage: string, options: Options, argv: string[]): CliValues {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
    const parsed = values as CliValues;
    if (parsed.help) {
      console.log(usage);
      process.exit(0);
    }
    return parsed;
  } catch (err) {
    console.error(`${script}: ${(err as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}
