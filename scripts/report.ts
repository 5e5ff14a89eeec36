/**
 * `npm run report [-- --quick] [-- --only 01]`: executes every notebook with the tslab kernel and writes
 * reports/<notebook>.html, the executed notebooks in reports/executed/, and reports/index.html.
 */
import * as fs from "fs";
import * as path from "path";
import { checkJupyter, executeNotebook, exportHtml, listNotebooks, ROOT } from "./jupyter";
import { escapeHtml } from "../lib/plots/image-grid";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick") || process.env.MNIST_QUICK === "1";
  const onlyIndex = args.indexOf("--only");
  const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
  try {
    console.log(`Using nbconvert ${checkJupyter()}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const reportDir = path.join(ROOT, "reports");
  const notebooks = listNotebooks().filter((nb) => !only || path.basename(nb).startsWith(only));
  const entries: { name: string; html?: string; seconds: number; error?: string }[] = [];
  for (const notebook of notebooks) {
    const name = path.basename(notebook, ".ipynb");
    console.log(`\n▶ ${name}${quick ? " (quick mode)" : ""}`);
    const started = Date.now();
    try {
      const executed = await executeNotebook(notebook, { quick, outDir: path.join(reportDir, "executed"), echo: true });
      const html = await exportHtml(executed, reportDir);
      const seconds = (Date.now() - started) / 1000;
      console.log(`✔ ${path.relative(ROOT, html)} (${seconds.toFixed(1)} s)`);
      entries.push({ name, html: path.basename(html), seconds });
    } catch (err) {
      const seconds = (Date.now() - started) / 1000;
      console.error(`✘ ${name} failed after ${seconds.toFixed(1)} s:\n${(err as Error).message}`);
      entries.push({ name, seconds, error: (err as Error).message });
    }
  }
  writeIndex(reportDir, entries, quick);
  console.log(`\nIndex: ${path.relative(ROOT, path.join(reportDir, "index.html"))}`);
  if (entries.some((e) => e.error)) process.exit(1);
}

function writeIndex(reportDir: string, entries: { name: string; html?: string; seconds: number; error?: string }[], quick: boolean): void {
  // Keep links to reports from earlier runs that this run (e.g. with --only) did not redo.
  const existing = fs.existsSync(reportDir)
    ? fs.readdirSync(reportDir).filter((f) => /^\d\d-.*\.html$/.test(f) && !entries.some((e) => e.html === f))
    : [];
  const rows = [
    ...entries.map((e) =>
      e.html
        ? `<li><a href="${e.html}">${escapeHtml(e.name)}</a> — ${e.seconds.toFixed(1)} s</li>`
        : `<li>${escapeHtml(e.name)} — <strong style="color:#c62828">failed</strong><pre>${escapeHtml(e.error ?? "")}</pre></li>`,
    ),
    ...existing.map((f) => `<li><a href="${f}">${escapeHtml(f.replace(/\.html$/, ""))}</a> (earlier run)</li>`),
  ].sort((a, b) => a.replace(/<[^>]+>/g, "").localeCompare(b.replace(/<[^>]+>/g, "")));
  const extras = ["bench.md", "metrics.json"].filter((f) => fs.existsSync(path.join(reportDir, f)));
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>mnist-notebooks reports</title></head>
<body style="font:15px sans-serif;max-width:50em;margin:2em auto;">
<h1>mnist-notebooks reports</h1>
<p>Generated ${new Date().toISOString()}${quick ? " in quick mode (small subsets: figures are not the full-data results)" : ""}.</p>
<ul>
${rows.join("\n")}
</ul>
${extras.length ? `<h2>Other results</h2><ul>${extras.map((f) => `<li><a href="${f}">${f}</a></li>`).join("")}</ul>` : ""}
</body></html>
`;
  fs.writeFileSync(path.join(reportDir, "index.html"), html);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
