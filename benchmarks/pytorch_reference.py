#!/usr/bin/env python3
"""Reference figures for SharpFlow's speed targets (issue 5), measured with PyTorch on the same machine.

    apt-get install python3-torch libopenblas0-pthread
    python3 benchmarks/pytorch_reference.py            # 2 threads, as the machine has

Prints single-precision GEMM GFLOP/s at 1024x1024 and images/s of one training step (forward, backward, Adam)
for LeNet-5 (32x32 input, batch 64 and 256) and TensorFlow's tutorial convnet (28x28 input, batch 100), on a
fixed random batch after warm-up steps, the way `sharpflow bench` measures SharpFlow.
"""
import time

import torch
import torch.nn as nn

torch.set_num_threads(2)
torch.manual_seed(1)


def gemm(n=1024, reps=20):
    a, b = torch.rand(n, n), torch.rand(n, n)
    for _ in range(3):
        a @ b
    start = time.perf_counter()
    for _ in range(reps):
        a @ b
    seconds = (time.perf_counter() - start) / reps
    return 2 * n ** 3 / seconds / 1e9


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def convnet():
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 1024), nn.ReLU(), nn.Dropout(0.4), nn.Linear(1024, 10))


def training(model, batch, size, steps=50, warmup=10):
    x = torch.rand(batch, 1, size, size)
    y = torch.randint(0, 10, (batch,))
    optimizer = torch.optim.Adam(model.parameters(), 1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * batch / (time.perf_counter() - start)


def inference(model, batch, size, steps=50, warmup=10):
    x = torch.rand(batch, 1, size, size)
    model.eval()
    with torch.no_grad():
        for _ in range(warmup):
            model(x)
        start = time.perf_counter()
        for _ in range(steps):
            model(x)
    return steps * batch / (time.perf_counter() - start)


if __name__ == "__main__":
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"sgemm 1024x1024: {gemm():.0f} GFLOP/s")
    for batch in (64, 256):
        print(f"LeNet-5 training, batch {batch}: {training(lenet5(), batch, 32):.0f} images/s")
    print(f"LeNet-5 inference, batch 64: {inference(lenet5(), 64, 32):.0f} images/s")
    print(f"tutorial convnet training, batch 100: {training(convnet(), 100, 28, steps=20):.0f} images/s")
    print(f"tutorial convnet inference, batch 100: {inference(convnet(), 100, 28, steps=20):.0f} images/s")
