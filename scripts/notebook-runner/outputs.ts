/**
 * Turns what the kernel publishes into nbformat 4 outputs the way Jupyter's notebook client does:
 * display updates by id rewrite every earlier output with that id, a display with a known id updates
 * those and is also appended, and consecutive writes to one stream are kept as one output (as JupyterLab
 * stores them).
 */
import { Cell, Output } from "./notebook";
import type { KernelMessage } from "./protocol";

export class OutputRecorder {
  /** display id → the outputs (objects inside cells) that show it. */
  private readonly displays = new Map<string, Output[]>();

  /**
   * @param relativize rewrites text shown to the reader (absolute project paths → relative ones).
   */
  constructor(private readonly relativize: (text: string) => string = (t) => t) {}

  /** Records one kernel message into `cell`; `executionCount` numbers an execute_result. */
  record(cell: Cell, message: KernelMessage, executionCount: number): void {
    const outputs = (cell.outputs ??= []);
    switch (message.type) {
      case "stream": {
        const text = this.relativize(message.text);
        const last = outputs[outputs.length - 1];
        if (last?.output_type === "stream" && last.name === message.name) last.text += text;
        else outputs.push({ output_type: "stream", name: message.name, text });
        break;
      }
      case "display": {
        const shown = message.displayId ? this.displays.get(message.displayId) : undefined;
        for (const output of shown ?? []) {
          if (output.output_type === "display_data") {
            output.data = message.data;
            output.metadata = message.metadata;
          }
        }
        if (message.update) break;
        const output: Output = {
          output_type: "display_data",
          data: message.data,
          metadata: message.metadata,
        };
        outputs.push(output);
        if (message.displayId) this.displays.set(message.displayId, [...(shown ?? []), output]);
        break;
      }
      case "result":
        outputs.push({
          output_type: "execute_result",
          execution_count: executionCount,
          data: { "text/plain": this.relativize(message.text) },
          metadata: {},
        });
        break;
      case "error":
        outputs.push({
          output_type: "error",
          ename: message.ename,
          evalue: this.relativize(message.evalue),
          traceback: message.traceback.map(this.relativize),
        });
        break;
    }
  }
}
