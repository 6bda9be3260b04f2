#!/usr/bin/env python3
"""PyTorch side of SharpFlow's LSTM speed comparison (issue 18): training steps per second of

  * the Fashion-MNIST row LSTM: 28 steps of 28 pixels, nn.LSTM(28, 128), its last output through Linear(128, 10),
    batch 128, cross entropy, Adam 1e-3 (SharpFlow: `sharpflow bench lstm`, LSTMBlockFusedCell);
  * the PTB-shaped word language model of examples/ptb-language-model.cs: Embedding(10000, 200), a 2-layer
    nn.LSTM(200, 200) with dropout 0.2 between the layers and on its input and output, Linear(200, 10000),
    batch 20 x 20 steps, cross entropy summed over time and averaged over the batch, clip_grad_norm_(5), SGD lr 1.0,
    the final state carried (detached) into the next step (SharpFlow: the example prints its steps/s).

Debian's python3-torch (apt-get install python3-torch), two threads as SharpFlow's two cores:
    /usr/bin/python3 benchmarks/pytorch/lstm_bench.py [--steps N]
Random inputs of the right shapes; the first steps are warm-up and not timed.
"""
import argparse
import time

import torch
import torch.nn as nn

torch.set_num_threads(2)
torch.manual_seed(1)


def timed(step, steps, warmup):
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps / (time.perf_counter() - start)


def row_lstm(steps, warmup):
    batch, units = 128, 128
    lstm = nn.LSTM(28, units, batch_first=True)
    dense = nn.Linear(units, 10)
    params = list(lstm.parameters()) + list(dense.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    x = torch.rand(batch, 28, 28)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad()
        out, _ = lstm(x)
        loss = nn.functional.cross_entropy(dense(out[:, -1, :]), y)
        loss.backward()
        opt.step()

    return timed(step, steps, warmup)


def ptb_lm(steps, warmup):
    batch, num_steps, hidden, vocab, keep = 20, 20, 200, 10000, 0.8
    emb = nn.Embedding(vocab, hidden)
    lstm = nn.LSTM(hidden, hidden, num_layers=2, dropout=1 - keep)
    drop = nn.Dropout(1 - keep)
    proj = nn.Linear(hidden, vocab)
    params = list(emb.parameters()) + list(lstm.parameters()) + list(proj.parameters())
    for p in params:
        nn.init.uniform_(p, -0.1, 0.1)
    opt = torch.optim.SGD(params, lr=1.0)
    x = torch.randint(0, vocab, (num_steps, batch))
    y = torch.randint(0, vocab, (num_steps, batch))
    state = [(torch.zeros(2, batch, hidden), torch.zeros(2, batch, hidden))]

    def step():
        opt.zero_grad()
        h0 = tuple(s.detach() for s in state[0])
        out, state[0] = lstm(drop(emb(x)), h0)
        logits = proj(drop(out))
        # sequence_loss summed over time, averaged over the batch (the PTB program's cost)
        loss = nn.functional.cross_entropy(logits.view(-1, vocab), y.view(-1), reduction="sum") / batch
        loss.backward()
        nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()

    return timed(step, steps, warmup)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    a = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"row LSTM (batch 128, 28x28, 128 units): {row_lstm(a.steps, a.warmup):.2f} training steps/s")
    print(f"PTB LM (batch 20, 20 steps, 2x200 units, vocab 10000): {ptb_lm(a.steps, a.warmup):.2f} training steps/s")
