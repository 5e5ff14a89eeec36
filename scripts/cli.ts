/**
 * Command lines of the small scripts, parsed by Node's own util.parseArgs in strict mode: an unknown
 * flag or a missing value is an error (exit 2) naming it, and --help prints the usage (exit 0).
 */
import { parseArgs, type ParseArgsConfig } from "util";

type Options = NonNullable<ParseArgsConfig["options"]>;
export type CliValues = Record<string, string | boolean | string[] | undefined>;

/** Flags only: a stray positional argument is an error. */
export function parseCli(script: string, usage: string, options: Options, argv: string[]): CliValues {
  return parseCommandLine(script, usage, options, argv, false).values;
}

/** Flags and positional arguments (e.g. the files of `predict`). */
export function parseCommandLine(
  script: string,
  usage: string,
  options: Options,
  argv: string[],
  allowPositionals = true,
): { values: CliValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals,
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    return { values: values as CliValues, positionals };
  } catch (err) {
    exitWithUsage(script, (err as Error).message, usage);
  }
}

/** A bad command line: prints `script: message` and the usage to stderr, and exits 2. */
export function exitWithUsage(script: string, message: string, usage: string): never {
  console.error(`${script}: ${message}\n\n${usage}`);
  process.exit(2);
}

/**
 * Runs a script's `main` and exits with its code; an unexpected error is printed with its stack (exit 1).
 * Exiting explicitly matters: the kernels' worker threads would otherwise keep the event loop alive.
 */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
