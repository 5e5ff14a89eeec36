/** `npm run download [-- --fashion]`: fetch and verify the dataset into data/. */
import { downloadDataset } from "../lib/data/download";

const dataset = process.argv.includes("--fashion") ? "fashion-mnist" : "mnist";
downloadDataset({ dataset }).then(
  (dir) => console.log(`${dataset} is ready in ${dir}`),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
