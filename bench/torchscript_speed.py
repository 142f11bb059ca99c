#!/usr/bin/env python3
"""Issue 30: the same TorchScript file in Python PyTorch, the reference for pixelguard's TorchScript path.

Times ResNet-20 (.pt) on the first 400 CIFAR-10 fixture images, with as many intra-op threads as pixelguard's
engine uses (one per core): fixed batches of 50 and 400, and a seeded sequence of batch sizes from 1 to 400 (not the same
draws as Java's generator, the same distribution), each with the graph executor's optimisation on (the default) and
off. Debian's python3-torch; nothing is downloaded. Usage: bench/torchscript_speed.py SHARED [SECONDS=20]
"""
import os
import random
import sys
import time

import numpy as np
import torch


def images(shared):
    raw = np.fromfile(os.path.join(shared, "data/cifar10/test_batch_subset.bin"), dtype=np.uint8)
    rows = raw.reshape(-1, 1 + 3 * 32 * 32)[:400, 1:]
    return torch.from_numpy(rows.reshape(-1, 3, 32, 32).astype(np.float32) / 255.0)


def rate(model, pool, seconds, varied, size=400):
    rnd = random.Random(1)
    with torch.inference_mode():
        for _ in range(5):
            model(pool[: 1 + rnd.randrange(400)] if varied else pool[:size])
        rnd = random.Random(1)
        done = 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            n = 1 + rnd.randrange(400) if varied else size
            model(pool[:n].contiguous())
            done += n
        return done / (time.perf_counter() - t0)


def main():
    shared = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0
    torch.set_num_threads(os.cpu_count())
    pool = images(shared)
    model = torch.jit.load(os.path.join(shared, "models/cifar10-resnet20.pt"))
    model.eval()
    print(f"python pytorch {torch.__version__}, {torch.get_num_threads()} threads, load {os.getloadavg()}")
    for size in (50, 400):
        print(f"pytorch batch {size:3d}: {rate(model, pool, seconds / 2, False, size):7,.0f} images/s", flush=True)
    for optimize in (True, False, True):
        torch._C._set_graph_executor_optimize(optimize)
        fixed = rate(model, pool, seconds, False)
        varied = rate(model, pool, seconds, True)
        label = "pytorch" + ("" if optimize else ", optimizer off")
        print(f"{label:27s} batch 400: {fixed:7,.0f} images/s; sizes 1-400: {varied:7,.0f} images/s", flush=True)


if __name__ == "__main__":
    main()
