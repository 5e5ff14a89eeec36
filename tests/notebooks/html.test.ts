import { strict as assert } from "assert";
import { notebookHtml } from "../../scripts/notebook-runner/html";
import { Notebook } from "../../scripts/notebook-runner/notebook";

function notebook(cells: Notebook["cells"]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "tslab" } }, cells };
}

const code = (source: string, count: number | null, outputs: Notebook["cells"][0]["outputs"] = []) =>
  ({ cell_type: "code", source, metadata: {}, execution_count: count, outputs }) as const;

describe("notebook runner: HTML export", () => {
  it("shows In and Out prompts with counts, and highlights TypeScript", () => {
    const html = notebookHtml(
      notebook([
        code("const x = 1;\nx + 1", 7, [
          { output_type: "execute_result", execution_count: 7, data: { "text/plain": "2" }, metadata: {} },
        ]),
      ]),
      "t",
    );
    assert.match(html, /<div class="prompt">In&nbsp;\[7\]:<\/div>/);
    assert.match(
      html,
      /<div class="prompt out">Out\[7\]:<\/div><div class="body output execute-result"><pre>2<\/pre>/,
    );
    assert.match(html, /<span class="hljs-keyword">const<\/span> x = <span class="hljs-number">1<\/span>;/);
  });

  it("leaves the prompt of a cell that did not run empty", () => {
    assert.match(notebookHtml(notebook([code("1", null)]), "t"), /In&nbsp;\[&nbsp;\]:/);
  });

  it("wraps long code and text lines instead of cutting them off", () => {
    const html = notebookHtml(notebook([code("x".repeat(300), 1)]), "t");
    assert.match(html, /\.code \{[^}]*white-space: pre-wrap;[^}]*overflow-wrap: anywhere;/);
    assert.match(html, /\.output pre \{[^}]*white-space: pre-wrap;/);
  });

  it("renders markdown tables and inline code; HTML outputs as they are; text escaped", () => {
    const html = notebookHtml(
      notebook([
        { cell_type: "markdown", source: ["| a | b |\n", "|---|---|\n", "| 1 | `x<y` |\n"], metadata: {} },
        code("", 1, [
          {
            output_type: "display_data",
            data: { "text/html": "<b>bold</b>", "text/plain": "bold" },
            metadata: {},
          },
          { output_type: "stream", name: "stdout", text: "a < b\n" },
          { output_type: "stream", name: "stderr", text: "\x1b[31mred\x1b[0m" },
        ]),
      ]),
      "t",
    );
    assert.match(html, /<table>\s*<thead>\s*<tr>\s*<th>a<\/th>/);
    assert.match(html, /<td><code>x&lt;y<\/code><\/td>/);
    assert.match(html, /<div class="body output display-data"><b>bold<\/b><\/div>/);
    assert.match(html, /<pre>a &lt; b\n<\/pre>/);
    assert.match(
      html,
      /<div class="body output stderr"><pre>red<\/pre>/,
      "stderr shown apart, without terminal colour codes",
    );
  });

  it("shows an error's traceback and puts the failure above the first cell", () => {
    const html = notebookHtml(
      notebook([
        code("boom()", 1, [
          {
            output_type: "error",
            ename: "Error",
            evalue: "boom",
            traceback: ["Error: boom", "    at <cell>"],
          },
        ]),
      ]),
      "t",
      { failure: "t.ipynb: cell 1 of 1 failed: boom()" },
    );
    assert.match(html, /<div class="body output error"><pre>Error: boom\n    at &lt;cell&gt;<\/pre>/);
    assert.match(html, /<div class="failure">.*cell 1 of 1 failed: boom\(\)/s);
  });

  it("typesets $...$ math with KaTeX and inlines its stylesheet and fonts only when a notebook has math", () => {
    const withMath = notebookHtml(
      notebook([{ cell_type: "markdown", source: "Loss $L = -\\log p$, price $5.", metadata: {} }]),
      "t",
    );
    assert.match(withMath, /class="katex"/);
    assert.match(withMath, /@font-face\{[^}]*src:url\(data:font\/woff2;base64,/);
    assert.doesNotMatch(withMath, /url\(fonts\//, "no font is fetched from a path the report does not have");
    const withoutMath = notebookHtml(
      notebook([{ cell_type: "markdown", source: "It costs $5 or $10.", metadata: {} }]),
      "t",
    );
    assert.doesNotMatch(withoutMath, /katex/);
    assert.match(withoutMath, /It costs \$5 or \$10\./);
  });

  it("shows PNG images inline and skips tslab's empty readiness probe", () => {
    const html = notebookHtml(
      notebook([
        code("", 1, [
          { output_type: "display_data", data: { "image/png": "iVBORw0K" }, metadata: {} },
          { output_type: "display_data", data: { "text/plain": "" }, metadata: {} },
        ]),
      ]),
      "t",
    );
    assert.match(html, /<img src="data:image\/png;base64,iVBORw0K" alt="">/);
    assert.equal(html.match(/class="row"/g)?.length, 2, "the code row and the image row only");
  });
});
