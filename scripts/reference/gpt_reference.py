#!/usr/bin/env python3
"""Write the golden files that pin src/model's GPT to the notes' PyTorch modules.

Usage (from the repository root, with a Python that has torch; Debian's python3-torch works):
    /usr/bin/python3 scripts/reference/gpt_reference.py
    /usr/bin/python3 scripts/reference/gpt_reference.py --verify FILE.safetensors
        loads a .safetensors file written by src/model (exportSafetensors) into the notes' modules with
        load_state_dict(strict=True) and prints the loss on the golden batch (compare with the golden's)

Writes
    tests/golden/model/gpt_tiny.json         config, every parameter by its PyTorch name, a fixed batch,
                                              logits, loss, gradients, parameters after one and two
                                              AdamW steps, and logits for a shorter context (T < block_size)
    tests/golden/model/gpt_tiny.safetensors  the same initial state_dict (including the `tril` buffers that
                                              PyTorch keeps in a state_dict), written by hand per the
                                              safetensors spec, for the importer's test

The module definitions are copied from the notes with dropout = 0 (deterministic). The notes' init
(normal std 0.02, LayerNorm at 1/0) makes attention almost uniform and the LayerNorm affine an identity,
which would hide bugs such as a transposed key or a swapped LayerNorm weight, so after construction the
golden overwrites every parameter with O(1) random values (embeddings ~N(0, 1), Linear weights
~N(0, 1/in), biases and LayerNorm offsets ~N(0, 0.1²), LayerNorm gains ~1 + N(0, 0.1²)).
Everything is float32 and written with 9 significant digits (enough to round-trip float32).
"""
import json
import os
import struct

import torch
import torch.nn as nn
from torch.nn import functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'tests', 'golden', 'model')

# The tiny configuration (names as in the notes).
vocab_size = 11
block_size = 8
n_embd = 16
n_head = 2
n_layer = 2
batch_size = 3
dropout = 0.0
learning_rate = 1e-2
weight_decay = 0.01
short_T = 5
device = 'cpu'


# ------------------------------------------------------------------ the notes' modules, copied faithfully
class Head(nn.Module):
    """ one head of self-attention """

    def __init__(self, head_size):
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        self.register_buffer('tril', torch.tril(torch.ones(block_size, block_size)))

        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        # input of size (batch, time-step, channels)
        # output of size (batch, time-step, head size)
        B, T, C = x.shape
        k = self.key(x)  # (B,T,hs)
        q = self.query(x)  # (B,T,hs)
        # compute attention scores ("affinities")
        wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5  # (B, T, hs) @ (B, hs, T) -> (B, T, T)
        wei = wei.masked_fill(self.tril[:T, :T] == 0, float('-inf'))  # (B, T, T)
        wei = F.softmax(wei, dim=-1)  # (B, T, T)
        wei = self.dropout(wei)
        # perform the weighted aggregation of the values
        v = self.value(x)  # (B,T,hs)
        out = wei @ v  # (B, T, T) @ (B, T, hs) -> (B, T, hs)
        return out


class MultiHeadAttention(nn.Module):
    """ multiple heads of self-attention in parallel """

    def __init__(self, num_heads, head_size):
        super().__init__()
        self.heads = nn.ModuleList([Head(head_size) for _ in range(num_heads)])
        self.proj = nn.Linear(head_size * num_heads, n_embd)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        out = torch.cat([h(x) for h in self.heads], dim=-1)  # (B, T, F) -> (B, T, [h1, h1, h2, h2])
        out = self.dropout(self.proj(out))
        return out


class FeedFoward(nn.Module):
    """ a simple linear layer followed by a non-linearity """

    def __init__(self, n_embd):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(n_embd, 4 * n_embd),
            nn.ReLU(),
            nn.Linear(4 * n_embd, n_embd),
            nn.Dropout(dropout),
        )

    def forward(self, x):
        return self.net(x)


class Block(nn.Module):
    """ Transformer block: communication followed by computation """

    def __init__(self, n_embd, n_head):
        # n_embd: embedding dimension, n_head: the number of heads we'd like
        super().__init__()
        head_size = n_embd // n_head
        self.sa = MultiHeadAttention(n_head, head_size)
        self.ffwd = FeedFoward(n_embd)
        self.ln1 = nn.LayerNorm(n_embd)
        self.ln2 = nn.LayerNorm(n_embd)

    def forward(self, x):
        y = self.sa(x)
        x = self.ln1(x + y)
        y = self.ffwd(x)
        x = self.ln2(x + y)
        return x


class GPTLanguageModel(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.token_embedding_table = nn.Embedding(vocab_size, n_embd)
        self.position_embedding_table = nn.Embedding(block_size, n_embd)
        self.blocks = nn.Sequential(*[Block(n_embd, n_head=n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)  # final layer norm
        self.lm_head = nn.Linear(n_embd, vocab_size)

        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, index, targets=None):
        B, T = index.shape

        # idx and targets are both (B,T) tensor of integers
        tok_emb = self.token_embedding_table(index)  # (B,T,C)
        pos_emb = self.position_embedding_table(torch.arange(T, device=device))  # (T,C)
        x = tok_emb + pos_emb  # (B,T,C)
        x = self.blocks(x)  # (B,T,C)
        x = self.ln_f(x)  # (B,T,C)
        logits = self.lm_head(x)  # (B,T,vocab_size)

        if targets is None:
            loss = None
        else:
            B, T, C = logits.shape
            logits = logits.view(B * T, C)
            targets = targets.view(B * T)
            loss = F.cross_entropy(logits, targets)

        return logits, loss


# ------------------------------------------------------------------------------------------ helpers
def f32(x):
    """A float32 value as a short decimal that round-trips (9 significant digits)."""
    return float(f'{float(x):.9g}')


def flat(t):
    return [f32(v) for v in t.detach().reshape(-1).tolist()]


def named(tensors):
    return {name: {'shape': list(t.shape), 'data': flat(t)} for name, t in tensors}


def write_safetensors(path, tensors, metadata):
    """The safetensors layout: u64 LE header length, JSON header (space-padded to 8 bytes), raw LE data."""
    header = {'__metadata__': metadata}
    blobs = []
    offset = 0
    for name, t in sorted(tensors.items()):
        raw = t.detach().contiguous().to(torch.float32).numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def read_safetensors(path):
    """A minimal reader (this Python has no safetensors package): F32 tensors only."""
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        assert info['dtype'] == 'F32', info['dtype']
        begin, end = info['data_offsets']
        out[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(info['shape'])
    return out


def verify(path):
    with open(os.path.join(OUT, 'gpt_tiny.json'), encoding='utf-8') as f:
        golden = json.load(f)
    model = GPTLanguageModel(vocab_size)
    model.load_state_dict(read_safetensors(path), strict=True)
    idx = torch.tensor(golden['idx'])
    targets = torch.tensor(golden['targets'])
    _, loss = model(idx, targets)
    print(f'strict load_state_dict OK; loss {loss.item():.7f} (golden {golden["loss"]:.7f})')


def main():
    torch.manual_seed(7)
    model = GPTLanguageModel(vocab_size)
    gen = torch.Generator().manual_seed(2024)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith('embedding_table.weight'):
                p.copy_(torch.randn(p.shape, generator=gen))
            elif name.startswith('blocks') and ('.ln1.' in name or '.ln2.' in name) or name.startswith('ln_f'):
                base = 1.0 if name.endswith('.weight') else 0.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=gen))
            elif name.endswith('.weight'):
                p.copy_(torch.randn(p.shape, generator=gen) / p.shape[1] ** 0.5)
            else:
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))

    idx = torch.randint(vocab_size, (batch_size, block_size), generator=gen)
    targets = torch.randint(vocab_size, (batch_size, block_size), generator=gen)

    initial = [(n, p.detach().clone()) for n, p in model.named_parameters()]
    state_dict = {k: v.clone() for k, v in model.state_dict().items()}

    logits, loss = model(idx, targets)
    loss.backward()
    grads = [(n, p.grad.detach().clone()) for n, p in model.named_parameters()]
    logits_short, _ = model(idx[:, :short_T])

    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=weight_decay)
    optimizer.step()
    after_one = [(n, p.detach().clone()) for n, p in model.named_parameters()]
    optimizer.zero_grad(set_to_none=True)
    _, loss1 = model(idx, targets)
    loss1.backward()
    optimizer.step()
    after_two = [(n, p.detach().clone()) for n, p in model.named_parameters()]

    golden = {
        'meta': {
            'generator': 'scripts/reference/gpt_reference.py',
            'torch': torch.__version__,
            'dtype': 'float32',
        },
        'config': {
            'vocabSize': vocab_size,
            'blockSize': block_size,
            'nEmbd': n_embd,
            'nHead': n_head,
            'nLayer': n_layer,
            'dropout': dropout,
            'batchSize': batch_size,
            'learningRate': learning_rate,
            'maxIters': 2,
            'evalInterval': 1,
            'evalIters': 1,
            'weightDecay': weight_decay,
            'seed': 7,
        },
        'adamw': {'lr': learning_rate, 'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-8, 'weightDecay': weight_decay},
        'idx': idx.tolist(),
        'targets': targets.tolist(),
        'params': named(initial),
        'logits': {'shape': list(logits.shape), 'data': flat(logits)},
        'loss': f32(loss.item()),
        'grads': named(grads),
        'logitsShort': {'shape': list(logits_short.shape), 'data': flat(logits_short)},
        'paramsAfterOneStep': named(after_one),
        'lossAfterOneStep': f32(loss1.item()),
        'paramsAfterTwoSteps': named(after_two),
    }
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, 'gpt_tiny.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(golden, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes), loss {loss.item():.6f}')
    nonzero = [g.abs()[g != 0].min().item() for _, g in grads if (g != 0).any()]
    print(f'smallest non-zero |grad| {min(nonzero):.3g} (AdamW parity is ill-conditioned near eps = 1e-8)')

    st_path = os.path.join(OUT, 'gpt_tiny.safetensors')
    write_safetensors(st_path, state_dict, {'format': 'pt', 'source': 'scripts/reference/gpt_reference.py'})
    print(f'wrote {os.path.relpath(st_path, ROOT)} ({os.path.getsize(st_path)} bytes)')


if __name__ == '__main__':
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == '--verify':
        verify(sys.argv[2])
    else:
        main()
