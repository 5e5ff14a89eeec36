/** `npm run download [-- --fashion]`: fetch and verify the dataset into data/. */
import { parseArgs } from "util";
import { downloadDataset } from "../lib/data/download";

const USAGE = `Usage: npm run download [-- --fashion]

Fetches the four gzipped IDX files of MNIST (or Fashion-MNIST) into data/<dataset>/ and verifies each
against its SHA-256 checksum. Verified files already present are kept; damaged ones are fetched again.

Options:
  --fashion   download Fashion-MNIST instead of MNIST
  --help      print this help and exit`;

function main(): void {
  let values: { fashion?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { fashion: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`download: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const dataset = values.fashion ? "fashion-mnist" : "mnist";
  downloadDataset({ dataset }).then(
    (dir) => console.log(`${dataset} is ready in ${dir}`),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}

main();
