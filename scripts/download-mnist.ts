/** `npm run download [-- --fashion]`: fetch and verify the dataset into data/. */
import { downloadDataset } from "../lib/data/download";
import { parseCli } from "./cli";

const USAGE = `Usage: npm run download [-- --fashion]

Fetches the four gzipped IDX files of MNIST (or Fashion-MNIST) into data/<dataset>/ and verifies each
against its SHA-256 checksum. Verified files already present are kept; damaged ones are fetched again.

Options:
  --fashion   download Fashion-MNIST instead of MNIST
  --help      print this help and exit`;

function main(): void {
  const values = parseCli("download", USAGE, { fashion: { type: "boolean" } }, process.argv.slice(2));
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
