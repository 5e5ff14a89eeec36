/**
 * The look of Jupyter's "lab" HTML template (nbconvert --to html): In/Out prompts in a left column, code
 * in a grey box with JupyterLab's syntax colours, stderr and errors on red. Unlike that template, long
 * code and text lines wrap instead of being cut off.
 */
export const NOTEBOOK_CSS = `
:root { --prompt-width: 72px; --mono: "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; }
body { margin: 0; padding: 24px 32px 64px; color: rgba(0,0,0,0.87); background: #fff;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1160px; margin: 0 auto; }
.failure { margin: 0 0 16px var(--prompt-width); padding: 10px 14px; background: #fdd; border-left: 4px solid #d32f2f; }
.failure pre { margin: 6px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; font: 12px/1.4 var(--mono); }
.cell { display: flex; flex-direction: column; padding: 4px 0; }
.row { display: flex; align-items: flex-start; min-width: 0; }
.prompt { flex: 0 0 var(--prompt-width); box-sizing: border-box; padding: 6px 8px 0 0; text-align: right;
  font: 13px/1.3 var(--mono); white-space: nowrap; color: #307fc1; user-select: none; }
.prompt.out { color: #bf5b3d; }
.body { flex: 1 1 auto; min-width: 0; }
.code { margin: 0; padding: 6px 8px; background: #f5f5f5; border: 1px solid #e0e0e0; border-radius: 2px;
  font: 13px/1.35 var(--mono); white-space: pre-wrap; overflow-wrap: anywhere; tab-size: 2; }
.output { padding: 4px 0 4px 2px; overflow-x: auto; }
.output pre { margin: 0; font: 13px/1.35 var(--mono); white-space: pre-wrap; overflow-wrap: anywhere; }
.output.stderr, .output.error { background: #fdd; padding: 4px 6px; }
.output img { max-width: 100%; }
.output table, .markdown table { border-collapse: collapse; border-spacing: 0; font-size: 12px; margin: 4px 0; }
.output th, .output td, .markdown th, .markdown td { padding: 4px 8px; border: none; text-align: right; }
.output thead, .markdown thead { border-bottom: 1px solid #bdbdbd; }
.output tbody tr:nth-child(odd), .markdown tbody tr:nth-child(odd) { background: #f5f5f5; }
.markdown { padding: 2px 8px 2px 2px; }
.markdown h1 { font-size: 1.9em; margin: 0.6em 0 0.4em; }
.markdown h2 { font-size: 1.5em; margin: 1em 0 0.4em; }
.markdown h3 { font-size: 1.2em; margin: 1em 0 0.3em; }
.markdown p, .markdown ul, .markdown ol { margin: 0.4em 0 0.7em; }
.markdown code { background: #eee; padding: 1px 4px; border-radius: 2px; font: 0.92em var(--mono); }
.markdown pre code { display: block; padding: 6px 8px; white-space: pre-wrap; overflow-wrap: anywhere; }
.markdown th, .markdown td { text-align: left; }
.markdown blockquote { margin: 0.5em 0; padding: 0 1em; color: #616161; border-left: 4px solid #e0e0e0; }
.hljs-keyword, .hljs-built_in, .hljs-literal { color: #008000; font-weight: bold; }
.hljs-type, .hljs-title.class_ { color: #008000; }
.hljs-title.function_, .hljs-title { color: #0000ff; }
.hljs-string, .hljs-regexp, .hljs-template-tag { color: #ba2121; }
.hljs-subst { color: #a45a77; }
.hljs-number { color: #008800; }
.hljs-comment { color: #408080; font-style: italic; }
.hljs-operator, .hljs-meta { color: #aa22ff; }
.hljs-attr, .hljs-property { color: #212121; }
.hljs-variable.language_ { color: #008000; font-weight: bold; }
`;
