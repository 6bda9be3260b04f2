#!/usr/bin/env python3
"""Reference figures for SharpFlow's speed targets (issue 5), measured with PyTorch on the same machine.

    apt-get install python3-torch libopenblas0-pthread
    python3 benchmarks/pytorch_reference.py            # 2 threads, as the machine has

    python3 benchmarks/pytorch_reference.py resnet18   # only the ResNet18 figures
    python3 benchmarks/pytorch_reference.py peak-memory  # alone in its process: load Fashion-MNIST, 300 LeNet-5 steps

Prints single-precision GEMM GFLOP/s at 1024x1024 and images/s of one training step (forward, backward, Adam)
for LeNet-5 (32x32 input, batch 64 and 256), TensorFlow's tutorial convnet (28x28 input, batch 100) and ResNet18
(224x224x3 input, 1000 classes, batch 32; written here as torchvision's resnet18, which Debian's python3-torch
lacks), and inference images/s (ResNet18 at batch 1 and 8), on a fixed random batch after warm-up steps, the way
`sharpflow bench` measures SharpFlow. `peak-memory` reports the process's peak resident set (getrusage's
ru_maxrss) after loading Fashion-MNIST (Debian's dataset-fashion-mnist) and 300 LeNet-5 training steps at batch
64 on its shuffled batches, as `sharpflow bench lenet5 --peak-memory` does.
"""
import gzip
import resource
import sys
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


class BasicBlock(nn.Module):
    """torchvision's BasicBlock: two 3x3 convolutions with batch norm, a 1x1 projection where the shape changes."""

    def __init__(self, inputs, filters, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, filters, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(filters)
        self.conv2 = nn.Conv2d(filters, filters, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(filters)
        self.relu = nn.ReLU(inplace=True)
        self.shortcut = None
        if stride != 1 or inputs != filters:
            self.shortcut = nn.Sequential(nn.Conv2d(inputs, filters, 1, stride, bias=False), nn.BatchNorm2d(filters))

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.relu(y + (x if self.shortcut is None else self.shortcut(x)))


def resnet18(classes=1000):
    """torchvision.models.resnet18 (11,689,512 parameters with 1000 classes)."""
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1)]
    inputs = 64
    for stage, filters in enumerate((64, 128, 256, 512)):
        for block in range(2):
            layers.append(BasicBlock(inputs, filters, 2 if stage > 0 and block == 0 else 1))
            inputs = filters
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, classes)]
    return nn.Sequential(*layers)


def training(model, batch, size, steps=50, warmup=10, channels=1, classes=10):
    x = torch.rand(batch, channels, size, size)
    y = torch.randint(0, classes, (batch,))
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


def inference(model, batch, size, steps=50, warmup=10, channels=1):
    x = torch.rand(batch, channels, size, size)
    model.eval()
    with torch.no_grad():
        for _ in range(warmup):
            model(x)
        start = time.perf_counter()
        for _ in range(steps):
            model(x)
    return steps * batch / (time.perf_counter() - start)


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def peak_memory(steps=300, batch=64, directory="/usr/share/datasets/fashion-mnist"):
    """Loads Fashion-MNIST as float images in [0, 1], then trains LeNet-5 on shuffled batches (padded to 32x32)."""
    images = read_idx(f"{directory}/train-images-idx3-ubyte.gz").float().div_(255).unsqueeze(1)
    labels = read_idx(f"{directory}/train-labels-idx1-ubyte.gz").long()
    model = lenet5()
    optimizer = torch.optim.Adam(model.parameters(), 1e-3)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(images))
    start = time.perf_counter()
    for step in range(steps):
        index = order[(step * batch) % len(images):][:batch]
        x = nn.functional.pad(images[index], (2, 2, 2, 2))
        optimizer.zero_grad()
        loss_fn(model(x), labels[index]).backward()
        optimizer.step()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"LeNet-5: {len(images)} images loaded, batch {batch}, {steps} training steps in {seconds:.1f} s")
    print(f"peak memory (load data + {steps} steps): {peak:.1f} MiB (ru_maxrss)")


def resnet18_figures():
    model = resnet18()
    print(f"ResNet18 ({sum(p.numel() for p in model.parameters()):,} parameters) training, batch 32: "
          f"{training(model, 32, 224, steps=5, warmup=2, channels=3, classes=1000):.1f} images/s")
    for batch in (1, 8):
        print(f"ResNet18 inference, batch {batch}: {inference(resnet18(), batch, 224, steps=40 // batch, warmup=3, channels=3):.1f} images/s")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what not in ("all", "lenet5", "convnet", "resnet18", "peak-memory"):
        sys.exit(f"usage: {sys.argv[0]} [all|lenet5|convnet|resnet18|peak-memory]")
    if what == "peak-memory":
        peak_memory()
        sys.exit()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    if what == "all":
        print(f"sgemm 1024x1024: {gemm():.0f} GFLOP/s")
    if what in ("all", "lenet5"):
        for batch in (64, 256):
            print(f"LeNet-5 training, batch {batch}: {training(lenet5(), batch, 32):.0f} images/s")
        print(f"LeNet-5 inference, batch 64: {inference(lenet5(), 64, 32):.0f} images/s")
    if what in ("all", "convnet"):
        print(f"tutorial convnet training, batch 100: {training(convnet(), 100, 28, steps=20):.0f} images/s")
        print(f"tutorial convnet inference, batch 100: {inference(convnet(), 100, 28, steps=20):.0f} images/s")
    if what in ("all", "resnet18"):
        resnet18_figures()
