/**
 * PyTorch (Debian's python3-torch, CPU) training the reference CNN, as the peer both CNN benches
 * measure against: scripts/bench/torch_cnn.py run for `seconds`, reporting samples per second.
 */
import { spawnSync } from "child_process";
import * as path from "path";

const projectRoot = path.resolve(__dirname, "..", "..", "..");

export function torchSamplesPerSecond(
  seconds: number,
  threads: number,
  batchSize: number,
): { value?: number; note: string } {
  const script = path.join(projectRoot, "scripts", "bench", "torch_cnn.py");
  const args = [
    script,
    "--batch-size",
    String(batchSize),
    "--threads",
    String(threads),
    "--seconds",
    String(seconds),
  ];
  const run = spawnSync("/usr/bin/python3", args, { encoding: "utf8", timeout: (seconds + 120) * 1000 });
  if (run.status !== 0) {
    const why = /No module named 'torch'/.test(run.stderr ?? "")
      ? "import torch failed"
      : (run.stderr || run.error?.message || "failed").trim().split("\n").pop();
    return { note: `PyTorch skipped: ${why}` };
  }
  const result = JSON.parse(run.stdout.trim().split("\n").pop()!);
  return { value: result.samples_per_second, note: `torch ${result.torch}, ${result.threads} threads` };
}
