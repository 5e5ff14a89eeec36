/**
 * Exports an executed notebook as one self-contained HTML file in the look of Jupyter's lab template:
 * markdown with markdown-it (tables, inline code, raw HTML as Jupyter allows, and KaTeX math where a cell
 * uses $...$), code highlighted with highlight.js, outputs in Jupyter's order of preference. Nothing is
 * fetched when the page opens: charts bring their plotly from the notebook's own output (inlined once by
 * the setup cell), and KaTeX's stylesheet and fonts are inlined only when the notebook has math.
 */
import * as fs from "fs";
import * as path from "path";
import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";
import MarkdownIt from "markdown-it";
import markdownItKatex from "@vscode/markdown-it-katex";
import { Cell, cellSource, Notebook, Output } from "./notebook";
import { NOTEBOOK_CSS } from "./style";

hljs.registerLanguage("typescript", typescript);

const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false }).use(markdownItKatex, {
  throwOnError: false,
});

/** Output MIME types from richest to plainest, as nbconvert picks them. */
const MIME_ORDER = [
  "application/javascript",
  "text/html",
  "text/markdown",
  "text/latex",
  "image/svg+xml",
  "image/png",
  "image/jpeg",
  "text/plain",
];

export interface ExportOptions {
  /** Shown in a banner above the first cell when the run stopped at an error. */
  failure?: string;
}

/** Writes `<outDir>/<notebook>.html` from an executed notebook file; returns its path. */
export function exportHtml(executedNotebook: string, outDir: string, options: ExportOptions = {}): string {
  const nb = JSON.parse(fs.readFileSync(executedNotebook, "utf8")) as Notebook;
  const name = path.basename(executedNotebook, ".ipynb");
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${name}.html`);
  fs.writeFileSync(file, notebookHtml(nb, name, options));
  return file;
}

/** The whole page for a notebook. */
export function notebookHtml(nb: Notebook, name: string, options: ExportOptions = {}): string {
  const cells = nb.cells.map(cellHtml).join("\n");
  const math = cells.includes('class="katex') ? `<style>${katexCss()}</style>` : "";
  const failure = options.failure
    ? `<div class="failure"><strong>This notebook stopped at an error.</strong>` +
      `<pre>${escapeHtml(options.failure)}</pre></div>`
    : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(name)}</title>
<style>${NOTEBOOK_CSS}</style>
${math}
</head>
<body>
<main>
${failure}
${cells}
</main>
</body>
</html>
`;
}

function cellHtml(cell: Cell): string {
  const source = cellSource(cell);
  if (cell.cell_type === "markdown") {
    const body = `<div class="body markdown">${markdown.render(source)}</div>`;
    return `<div class="cell markdown-cell"><div class="row"><div class="prompt"></div>${body}</div></div>`;
  }
  if (cell.cell_type === "raw") {
    const format = (cell.metadata.format ?? cell.metadata.raw_mimetype) as string | undefined;
    return format === "text/html" ? `<div class="cell raw-cell">${source}</div>` : "";
  }
  const count = cell.execution_count ?? "&nbsp;";
  const code = hljs.highlight(source, { language: "typescript" }).value;
  const input =
    `<div class="row"><div class="prompt">In&nbsp;[${count}]:</div>` +
    `<div class="body"><pre class="code hljs language-typescript">${code}</pre></div></div>`;
  const outputs = (cell.outputs ?? []).map(outputHtml).filter((html) => html !== "");
  return `<div class="cell code-cell">${input}\n${outputs.join("\n")}</div>`;
}

function outputHtml(output: Output): string {
  switch (output.output_type) {
    case "stream":
      return outputRow("", output.name, `<pre>${escapeHtml(stripAnsi(joined(output.text)))}</pre>`);
    case "error": {
      const text =
        output.traceback.length > 0 ? output.traceback.join("\n") : `${output.ename}: ${output.evalue}`;
      return outputRow("", "error", `<pre>${escapeHtml(stripAnsi(text))}</pre>`);
    }
    case "execute_result":
    case "display_data": {
      const body = richHtml(output.data);
      if (body === "") return "";
      const prompt = output.output_type === "execute_result" ? `Out[${output.execution_count ?? " "}]:` : "";
      return outputRow(prompt, output.output_type.replace("_", "-"), body);
    }
  }
}

function outputRow(prompt: string, kind: string, body: string): string {
  const promptHtml = `<div class="prompt out">${prompt.replace(" ", "&nbsp;")}</div>`;
  return `<div class="row">${promptHtml}<div class="body output ${kind}">${body}</div></div>`;
}

/** The richest representation of a display or result; "" for an empty text (tslab's readiness probe). */
function richHtml(data: Record<string, unknown>): string {
  const mime = MIME_ORDER.find((m) => m in data);
  if (!mime) return "";
  const value = joined(data[mime] as string | string[]);
  switch (mime) {
    case "application/javascript":
      return `<script type="text/javascript">${value.replace(/<\/script/gi, "<\\/script")}</script>`;
    case "text/html":
    case "image/svg+xml":
      return value;
    case "text/markdown":
      return `<div class="markdown">${markdown.render(value)}</div>`;
    case "text/latex":
      return `<div class="markdown">${markdown.render(value.trim().startsWith("$") ? value : `$$\n${value}\n$$`)}</div>`;
    case "image/png":
    case "image/jpeg":
      return `<img src="data:${mime};base64,${value.replace(/\s/g, "")}" alt="">`;
    default:
      return value === "" ? "" : `<pre>${escapeHtml(stripAnsi(value))}</pre>`;
  }
}

function joined(text: string | string[]): string {
  return Array.isArray(text) ? text.join("") : text;
}

function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** KaTeX's stylesheet with its woff2 fonts inlined, so math renders offline. */
function katexCss(): string {
  const cssFile = require.resolve("katex/dist/katex.min.css");
  const fonts = path.join(path.dirname(cssFile), "fonts");
  return fs
    .readFileSync(cssFile, "utf8")
    .replace(/src:url\(fonts\/([^)]+\.woff2)\) format\("woff2"\)[^;}]*/g, (_, font: string) => {
      const data = fs.readFileSync(path.join(fonts, font)).toString("base64");
      return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
    });
}
