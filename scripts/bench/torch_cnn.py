"""Training throughput of the reference CNN in PyTorch (CPU), the peer of scripts/bench/cnn-training.ts.

Same architecture (conv3x3x32-ReLU, maxpool2, conv3x3x64-ReLU, maxpool2, dense128-ReLU, dense10,
valid padding), Adam, cross-entropy, synthetic uniform images with random labels. Prints one JSON line.
Usage: python3 torch_cnn.py --batch-size 64 --threads 2 --seconds 10
"""
import argparse
import json
import time

import torch
from torch import nn


def reference_cnn() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0, help="time spent measuring, after warm-up")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = reference_cnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    batches = [(torch.rand(args.batch_size, 1, 28, 28), torch.randint(0, 10, (args.batch_size,))) for _ in range(16)]

    def step(i: int) -> None:
        x, y = batches[i % len(batches)]
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        optimizer.step()

    for i in range(10):  # warm-up: allocator, oneDNN primitive caches
        step(i)
    steps = 0
    started = time.perf_counter()
    while time.perf_counter() - started < args.seconds:
        step(steps)
        steps += 1
    elapsed = time.perf_counter() - started
    print(json.dumps({
        "samples_per_second": steps * args.batch_size / elapsed,
        "steps": steps,
        "batch_size": args.batch_size,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
