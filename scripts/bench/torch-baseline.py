#!/usr/bin/env python3
"""PyTorch tokens/s baseline for `npm run bench`: the notes' char-GPT (post-LN, the same modules as
scripts/reference/gpt_reference.py) trained with AdamW on the synthetic stream (7i + i//8) mod V that
src/model/tfjs/bench.ts uses, timed on the CPU. It answers "what would a reader get with PyTorch instead?".

usage: /usr/bin/python3 scripts/bench/torch-baseline.py [tiny|small|notes] [steps] [threads] [--json]
       /usr/bin/python3 scripts/bench/torch-baseline.py V C H L T B steps [threads] [--json]
Presets mirror src/model/config.ts (vocabulary 96).
"""
import json
import sys
import time

import torch
import torch.nn as nn
from torch.nn import functional as F

PRESETS = {  # V, C, H, L, T, B — src/model/config.ts
    'tiny': (96, 32, 2, 2, 32, 8),
    'small': (96, 128, 4, 4, 64, 32),
    'notes': (96, 512, 8, 8, 128, 64),
}


def build(V, C, H, L, T):
    """The notes' modules with dropout 0 (timing only)."""

    class Head(nn.Module):
        def __init__(self, hs):
            super().__init__()
            self.key = nn.Linear(C, hs, bias=False)
            self.query = nn.Linear(C, hs, bias=False)
            self.value = nn.Linear(C, hs, bias=False)
            self.register_buffer('tril', torch.tril(torch.ones(T, T)))

        def forward(self, x):
            _, t, _ = x.shape
            k, q = self.key(x), self.query(x)
            w = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5
            w = F.softmax(w.masked_fill(self.tril[:t, :t] == 0, float('-inf')), dim=-1)
            return w @ self.value(x)

    class MultiHeadAttention(nn.Module):
        def __init__(self):
            super().__init__()
            self.heads = nn.ModuleList([Head(C // H) for _ in range(H)])
            self.proj = nn.Linear(C, C)

        def forward(self, x):
            return self.proj(torch.cat([h(x) for h in self.heads], dim=-1))

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.sa = MultiHeadAttention()
            self.ffwd = nn.Sequential(nn.Linear(C, 4 * C), nn.ReLU(), nn.Linear(4 * C, C))
            self.ln1 = nn.LayerNorm(C)
            self.ln2 = nn.LayerNorm(C)

        def forward(self, x):
            x = self.ln1(x + self.sa(x))
            return self.ln2(x + self.ffwd(x))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.token_embedding_table = nn.Embedding(V, C)
            self.position_embedding_table = nn.Embedding(T, C)
            self.blocks = nn.Sequential(*[Block() for _ in range(L)])
            self.ln_f = nn.LayerNorm(C)
            self.lm_head = nn.Linear(C, V)

        def forward(self, idx, targets):
            b, t = idx.shape
            x = self.token_embedding_table(idx) + self.position_embedding_table(torch.arange(t))
            logits = self.lm_head(self.ln_f(self.blocks(x)))
            return F.cross_entropy(logits.view(b * t, V), targets.view(b * t))

    return GPT()


def main(argv):
    as_json = '--json' in argv
    argv = [a for a in argv if a != '--json']
    if argv and argv[0] in PRESETS:
        name = argv[0]
        V, C, H, L, T, B = PRESETS[name]
        steps = int(argv[1]) if len(argv) > 1 else 20
        threads = int(argv[2]) if len(argv) > 2 else 2
    else:
        name = 'custom'
        V, C, H, L, T, B, steps = map(int, argv[:7])
        threads = int(argv[7]) if len(argv) > 7 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = build(V, C, H, L, T)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    data = torch.tensor([(i * 7 + (i >> 3)) % V for i in range(20000)])

    def batch():
        ix = torch.randint(len(data) - T - 1, (B,))
        return torch.stack([data[i:i + T] for i in ix]), torch.stack([data[i + 1:i + T + 1] for i in ix])

    times = []
    cpu_times = []  # process CPU time (all threads): what a step costs, whatever else loads the machine
    loss = None
    for s in range(steps + 2):
        t0 = time.perf_counter()
        c0 = time.process_time()
        x, y = batch()
        loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if s >= 2:  # two warm-up steps
            times.append(time.perf_counter() - t0)
            cpu_times.append(time.process_time() - c0)
    times.sort()
    cpu_times.sort()
    ms = times[len(times) // 2] * 1000
    result = {
        'preset': name,
        'torch': torch.__version__,
        'threads': threads,
        'params': sum(p.numel() for p in model.parameters()),
        'msPerStep': ms,
        'cpuMsPerStep': cpu_times[len(cpu_times) // 2] * 1000,
        'tokensPerSec': B * T / ms * 1000,
        'finalLoss': loss.item(),
    }
    if as_json:
        print(json.dumps(result))
    else:
        print(f"torch {result['torch']} {name} threads={threads} params={result['params']} "
              f"ms/step={ms:.1f} tok/s={result['tokensPerSec']:.0f} loss={result['finalLoss']:.3f}")


if __name__ == '__main__':
    main(sys.argv[1:])
