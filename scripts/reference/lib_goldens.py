#!/usr/bin/env python3
"""Write the golden JSON files that pin src/lib to PyTorch (float64) and to the notes' Python.

Usage (from the repository root, with a Python that has torch):
    /usr/bin/python3 scripts/reference/lib_goldens.py            # writes tests/golden/lib/*.json

Every file holds fixed inputs and the reference outputs; the Vitest suites in tests/unit/lib read them.
JSON has no NaN/Infinity, so those are written as the strings "NaN", "Infinity", "-Infinity".
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'tests', 'golden', 'lib')


def plain(x):
    """Tensors → nested lists; non-finite floats → strings."""
    if isinstance(x, torch.Tensor):
        return plain(x.tolist())
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, bool) or x is None or isinstance(x, (int, str)):
        return x
    if isinstance(x, float):
        if math.isnan(x):
            return 'NaN'
        if math.isinf(x):
            return 'Infinity' if x > 0 else '-Infinity'
        return x
    raise TypeError(type(x))


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    meta = {'generator': 'scripts/reference/lib_goldens.py', 'torch': torch.__version__, 'dtype': 'float64'}
    with open(os.path.join(OUT, name + '.json'), 'w', encoding='utf-8') as f:
        json.dump({'meta': meta, **plain(data)}, f, ensure_ascii=False, indent=1)
        f.write('\n')
    print('wrote', name)


def T(x):
    return torch.tensor(x, dtype=torch.float64)


def rand(gen, *shape, scale=1.0):
    return (torch.randn(*shape, generator=gen) * scale).tolist()


# ---------------------------------------------------------------------------------------------- rng
def mulberry32(seed, n):
    s = seed & 0xFFFFFFFF
    out = []
    for _ in range(n):
        s = (s + 0x6D2B79F5) & 0xFFFFFFFF
        t = s
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        out.append(((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296)
    return out


def gen_rng():
    write('rng', {'cases': [{'seed': s, 'values': mulberry32(s, 6)} for s in [0, 1, 42, 123456789, 4294967295]]})


# ---------------------------------------------------------------------------------------------- tokenize
def char_reference(text, probe):
    chars = sorted(list(set(text)))  # the notes' vocabulary
    stoi = {ch: i for i, ch in enumerate(chars)}
    unk = len(chars)
    ids = [stoi.get(c, unk) for c in probe]
    unknown = [{'position': i, 'text': c} for i, c in enumerate(probe) if c not in stoi]
    return {'text': text, 'probe': probe, 'chars': chars, 'ids': ids, 'unknown': unknown}


def bpe_reference(text, num_merges, probe, min_count=2):
    base = sorted(set(text))
    unk = len(base)
    vocab = base + ['\ufffd']
    index = {c: i for i, c in enumerate(base)}
    ids = [index[c] for c in text]

    def stats(seq):
        counts = {}
        for a, b in zip(seq, seq[1:]):
            if a == unk or b == unk:
                continue
            counts[(a, b)] = counts.get((a, b), 0) + 1
        return counts

    def merge(seq, pair, new):
        out, i = [], 0
        while i < len(seq):
            if i + 1 < len(seq) and (seq[i], seq[i + 1]) == pair:
                out.append(new)
                i += 2
            else:
                out.append(seq[i])
                i += 1
        return out

    merges = []
    for rank in range(num_merges):
        counts = stats(ids)
        if not counts:
            break
        pair = max(counts, key=counts.get)  # first-occurring pair among ties
        if counts[pair] < min_count:
            break
        new = len(vocab)
        vocab.append(vocab[pair[0]] + vocab[pair[1]])
        ids = merge(ids, pair, new)
        merges.append({'rank': rank, 'pair': list(pair), 'token': vocab[new], 'count': counts[pair],
                       'id': new, 'lengthAfter': len(ids)})
    ranks = {tuple(m['pair']): m for m in merges}
    enc = [index.get(c, unk) for c in probe]
    steps = 0
    while True:
        counts = stats(enc)
        cands = [p for p in counts if p in ranks]
        if not cands:
            break
        p = min(cands, key=lambda q: ranks[q]['rank'])
        enc = merge(enc, p, ranks[p]['id'])
        steps += 1
    return {'text': text, 'numMerges': num_merges, 'probe': probe, 'base': base, 'merges': merges,
            'ids': enc, 'tokens': [vocab[i] for i in enc], 'steps': steps}


def gen_tokenize():
    chars = [
        char_reference('hello world', 'hello there'),
        # U+FF21 (BMP, above the surrogates) vs astral emoji/math letters: code point order ≠ UTF-16 order.
        char_reference('a\uFF21😀b𝒳\uE000c', 'c😀\uFF21𝒳z'),
        char_reference('cafe\u0301 👩\u200d💻 x', '👩\u200d💻e\u0301!'),
        char_reference('line1\r\nline2\n', 'line3\r\n'),
        char_reference('ab', ''),
    ]
    bpe = [
        bpe_reference('aaabdaaabac', 3, 'aaabdaaabac'),
        bpe_reference('the cat sat on the mat; the hat', 8, 'that cat? the mat'),
        bpe_reference('🙂🙂 x🙂🙂 y🙂🙂', 4, '🙂🙂🙂 z'),
        bpe_reference('abab', 10, 'ababab'),
    ]
    write('tokenize', {'char': chars, 'bpe': bpe})


# ---------------------------------------------------------------------------------------------- embeddings
def sign_fix(vec):
    big = int(torch.argmax(vec.abs()))
    return -vec if vec[big] < 0 else vec


def gen_embeddings():
    g = torch.Generator().manual_seed(1)
    table = T(rand(g, 8, 4))
    table[5] = table[2] * 3.0  # a parallel row: cosine exactly 1 with row 2
    table[6] = 0.0  # a zero row: cosine 0 (eps guard)
    ids = [3, 0, 5, 5]
    cos = F.cosine_similarity(table.unsqueeze(1), table.unsqueeze(0), dim=-1, eps=1e-8)
    pairs = [[0, 1], [2, 5], [2, 6], [3, 3]]
    nn = []
    for q in [0, 2]:
        sims = [(float(cos[q, i]), i) for i in range(8) if i != q]
        sims.sort(key=lambda t: (-t[0], t[1]))
        nn.append({'query': q, 'k': 3, 'neighbors': [{'index': i, 'similarity': s} for s, i in sims[:3]]})
    pts = T(rand(g, 7, 3))
    pts[:, 2] = pts[:, 0] * 2 + 0.1 * pts[:, 2]  # correlated columns: a dominant axis
    mean = pts.mean(0)
    centered = pts - mean
    cov = torch.cov(pts.T)
    vals, vecs = torch.linalg.eigh(cov)
    order = torch.argsort(vals, descending=True)
    comps = torch.stack([sign_fix(vecs[:, order[i]]) for i in range(2)])
    write('embeddings', {
        'table': table, 'ids': ids, 'lookup': F.embedding(torch.tensor(ids), table),
        'cosine': [{'a': table[i], 'b': table[j], 'cosine': float(cos[i, j])} for i, j in pairs],
        'cosineMatrix': {'a': table[:3], 'b': table[3:], 'value': cos[:3, 3:]},
        'neighbors': nn,
        'pca': {'points': pts, 'mean': mean, 'covariance': cov, 'components': comps,
                'explainedVariance': vals[order[:2]], 'explainedVarianceRatio': vals[order[:2]] / vals.sum(),
                'projected': centered @ comps.T},
    })


# ---------------------------------------------------------------------------------------------- attention
def sdpa(q, k, v, mask=None, scale=None):
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ k.T
    scaled = scores * scale
    masked = scaled if mask is None else scaled.masked_fill(~mask, float('-inf'))
    weights = torch.softmax(masked, dim=-1)
    # PyTorch gives NaN for a fully masked row; the library's documented policy is zeros.
    weights = torch.nan_to_num(weights, nan=0.0)
    return {'scores': scores, 'scaled': scaled, 'masked': masked, 'weights': weights, 'output': weights @ v}


def gen_attention():
    g = torch.Generator().manual_seed(7)
    q, k, v = T(rand(g, 3, 4)), T(rand(g, 5, 4)), T(rand(g, 5, 2))
    causal4 = torch.tril(torch.ones(4, 4, dtype=torch.bool))
    q4, k4, v4 = T(rand(g, 4, 4)), T(rand(g, 4, 4)), T(rand(g, 4, 3))
    m = torch.tensor([[True, False, True, False, True], [False] * 5, [True, True, True, True, False]])
    big_q, big_k = q * 400, k * 400  # large logits: softmax must stay finite
    tie_k = torch.stack([k[0], k[0], k[1], k[1], k[2]])  # identical keys → tied scores
    sdpa_cases = [
        {'name': 'basic', 'q': q, 'k': k, 'v': v, **sdpa(q, k, v)},
        {'name': 'causal', 'q': q4, 'k': k4, 'v': v4, 'causal': True, **sdpa(q4, k4, v4, causal4)},
        {'name': 'mask-with-fully-masked-row', 'q': q, 'k': k, 'v': v, 'mask': m, 'fullyMaskedRows': [1],
         **sdpa(q, k, v, m)},
        {'name': 'large-logits', 'q': big_q, 'k': big_k, 'v': v, **sdpa(big_q, big_k, v)},
        {'name': 'ties', 'q': q, 'k': tie_k, 'v': v, **sdpa(q, tie_k, v)},
        {'name': 'custom-scale', 'q': q, 'k': k, 'v': v, 'scale': 0.3, **sdpa(q, k, v, scale=0.3)},
    ]
    x = T(rand(g, 4, 3))
    wq, wk, wv = T(rand(g, 3, 4)), T(rand(g, 3, 4)), T(rand(g, 3, 2))
    self_case = {'x': x, 'wq': wq, 'wk': wk, 'wv': wv, 'causal': True,
                 'q': x @ wq, 'k': x @ wk, 'v': x @ wv, **sdpa(x @ wq, x @ wk, x @ wv, causal4)}
    ctx = T(rand(g, 5, 2))
    cwk, cwv = T(rand(g, 2, 4)), T(rand(g, 2, 3))
    cross_case = {'x': x, 'context': ctx, 'wq': wq, 'wk': cwk, 'wv': cwv,
                  'q': x @ wq, 'k': ctx @ cwk, 'v': ctx @ cwv, **sdpa(x @ wq, ctx @ cwk, ctx @ cwv)}

    # multi-head, checked against nn.MultiheadAttention (which stores W transposed).
    mh = []
    for name, heads, causal, use_ctx in [('self-2-heads', 2, False, False), ('causal-3-heads', 3, True, False),
                                         ('cross-2-heads', 2, False, True)]:
        d = 6
        xm = T(rand(g, 4, d))
        cm = T(rand(g, 5, d)) if use_ctx else xm
        W = {n: T(rand(g, d, d, scale=0.5)) for n in ['wq', 'wk', 'wv', 'wo']}
        B = {n: T(rand(g, d, scale=0.1)) for n in ['bq', 'bk', 'bv', 'bo']}
        mha = torch.nn.MultiheadAttention(d, heads, batch_first=True, dtype=torch.float64)
        with torch.no_grad():
            mha.in_proj_weight.copy_(torch.cat([W['wq'].T, W['wk'].T, W['wv'].T]))
            mha.in_proj_bias.copy_(torch.cat([B['bq'], B['bk'], B['bv']]))
            mha.out_proj.weight.copy_(W['wo'].T)
            mha.out_proj.bias.copy_(B['bo'])
        attn_mask = ~torch.tril(torch.ones(4, cm.shape[0], dtype=torch.bool)) if causal else None
        out, w = mha(xm.unsqueeze(0), cm.unsqueeze(0), cm.unsqueeze(0), attn_mask=attn_mask,
                     need_weights=True, average_attn_weights=False)
        Q, K, V = xm @ W['wq'] + B['bq'], cm @ W['wk'] + B['bk'], cm @ W['wv'] + B['bv']
        dh = d // heads
        per = [sdpa(Q[:, h * dh:(h + 1) * dh], K[:, h * dh:(h + 1) * dh], V[:, h * dh:(h + 1) * dh],
                    None if attn_mask is None else ~attn_mask) for h in range(heads)]
        concat = torch.cat([p['output'] for p in per], dim=1)
        mine = concat @ W['wo'] + B['bo']
        assert torch.allclose(mine, out[0], rtol=1e-12, atol=1e-12), name
        assert torch.allclose(torch.stack([p['weights'] for p in per]), w[0], rtol=1e-12, atol=1e-12), name
        mh.append({'name': name, 'x': xm, 'context': cm if use_ctx else None, 'numHeads': heads, 'causal': causal,
                   **W, **B, 'q': Q, 'k': K, 'v': V, 'headWeights': w[0], 'headOutputs': [p['output'] for p in per],
                   'concat': concat, 'output': out[0]})

    # additive (Bahdanau)
    qa, ka, va_ = T(rand(g, 3, 2)), T(rand(g, 4, 3)), T(rand(g, 4, 2))
    wqa, wka, vva, ba = T(rand(g, 2, 5)), T(rand(g, 3, 5)), T(rand(g, 5)), T(rand(g, 5))
    hidden = torch.tanh((qa @ wqa).unsqueeze(1) + (ka @ wka).unsqueeze(0) + ba)
    scores = hidden @ vva
    am = torch.tensor([[True, True, False, False], [True, True, True, False], [True, True, True, True]])
    wts = torch.softmax(scores.masked_fill(~am, float('-inf')), dim=-1)
    additive = {'q': qa, 'k': ka, 'v': va_, 'wq': wqa, 'wk': wka, 'va': vva, 'bias': ba, 'mask': am,
                'projQ': qa @ wqa, 'projK': ka @ wka, 'hidden': hidden, 'scores': scores,
                'masked': scores.masked_fill(~am, float('-inf')), 'weights': wts, 'output': wts @ va_}

    # multiplicative (Luong)
    wl = T(rand(g, 4, 4))
    luong = []
    for variant in ['dot', 'general', 'scaled-dot']:
        tq = q @ wl if variant == 'general' else q
        sc = tq @ k.T
        s = 1 / math.sqrt(4) if variant == 'scaled-dot' else 1.0
        wts = torch.softmax(sc * s, dim=-1)
        luong.append({'variant': variant, 'q': q, 'k': k, 'v': v, 'w': wl, 'transformedQ': tq, 'scores': sc,
                      'scaled': sc * s, 'weights': wts, 'output': wts @ v})

    # local (windowed)
    q5, k5, v5 = T(rand(g, 5, 3)), T(rand(g, 5, 3)), T(rand(g, 5, 2))
    idx = torch.arange(5)
    local = []
    for window, causal in [(1, False), (2, True), (0, False)]:
        lm = (idx.unsqueeze(1) - idx.unsqueeze(0)).abs() <= window
        if causal:
            lm = lm & (idx.unsqueeze(0) <= idx.unsqueeze(1))
        local.append({'window': window, 'causal': causal, 'q': q5, 'k': k5, 'v': v5, 'mask': lm,
                      **sdpa(q5, k5, v5, lm)})

    # hard vs soft; tie_k gives exact ties: argmax takes the first
    hard = []
    for name, kk, mask in [('ties', tie_k, None), ('masked', k, m)]:
        r = sdpa(q, kk, v, mask)
        am_ = [int(torch.argmax(row)) if torch.isfinite(row).any() else -1 for row in r['masked']]
        hw = torch.zeros(3, 5)
        for i, a in enumerate(am_):
            if a >= 0:
                hw[i, a] = 1
        hard.append({'name': name, 'q': q, 'k': kk, 'v': v, 'mask': mask, 'argmax': am_, 'hardWeights': hw,
                     'hardOutput': hw @ v, 'weights': r['weights'], 'output': r['output']})
    write('attention', {'sdpa': sdpa_cases, 'self': self_case, 'cross': cross_case, 'multiHead': mh,
                        'additive': additive, 'multiplicative': luong, 'local': local, 'hard': hard})


# ---------------------------------------------------------------------------------------------- activations
def gen_activations():
    xs = [-800.0, -30.0, -8.0, -5.0, -2.0, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 30.0, 800.0]
    fns = {
        'relu': F.relu, 'leaky-relu': lambda x: F.leaky_relu(x, 0.01), 'leaky-relu-0.2': lambda x: F.leaky_relu(x, 0.2),
        'sigmoid': torch.sigmoid, 'tanh': torch.tanh, 'gelu': F.gelu,
        'gelu-tanh': lambda x: F.gelu(x, approximate='tanh'),
    }
    out = {}
    for name, f in fns.items():
        x = T(xs).requires_grad_(True)
        y = f(x)
        (grad,) = torch.autograd.grad(y.sum(), x)
        out[name] = {'output': y.detach(), 'derivative': grad}
    sm = []
    for logits, temp in [([1.0, 2.0, 3.0], 1.0), ([1000.0, 1001.0, 1002.0], 1.0), ([2.0, 2.0, 2.0, 2.0], 1.0),
                         ([0.5, -1.5, 3.0, 0.0], 0.5), ([0.5, -1.5, 3.0, 0.0], 4.0), ([-1000.0, 0.0, 1000.0], 1.0)]:
        x = T(logits)
        s = torch.softmax(x / temp, dim=0)
        jac = torch.autograd.functional.jacobian(lambda z: torch.softmax(z, dim=0), x / temp)
        gout = T([0.3, -1.0, 2.0, 0.5][: len(logits)])
        sm.append({'logits': logits, 'temperature': temp, 'weights': s, 'jacobian': jac, 'gradOutput': gout,
                   'backward': jac.T @ gout})
    erf_x = [-7.0, -4.0, -3.0, -2.999, -1.5, -0.7, -1e-5, 0.0, 1e-5, 0.3, 1.0, 2.5, 2.999, 3.0, 3.5, 5.0, 6.5]
    write('activations', {'xs': xs, 'functions': out, 'softmax': sm,
                          'erf': {'xs': erf_x, 'erf': torch.erf(T(erf_x)), 'erfc': torch.special.erfc(T(erf_x))}})


# ---------------------------------------------------------------------------------------------- dropout
def gen_dropout():
    torch.manual_seed(3)
    x = T([[0.5, -1.0, 2.0, 3.5], [1.5, -2.5, 0.25, 4.0], [-0.75, 1.25, 2.5, -3.0]])
    cases = []
    for p in [0.0, 0.3, 0.5, 0.9, 1.0]:
        y = F.dropout(x, p=p, training=True)
        cases.append({'p': p, 'training': True, 'x': x, 'mask': y != 0, 'output': y})
    cases.append({'p': 0.5, 'training': False, 'x': x, 'mask': torch.ones(3, 4, dtype=torch.bool),
                  'output': F.dropout(x, p=0.5, training=False)})
    write('dropout', {'cases': cases})


# ---------------------------------------------------------------------------------------------- normalization
def gen_normalization():
    g = torch.Generator().manual_seed(11)
    v = T([3.0, -1.0, 4.0, 1.5, 9.0, -2.5])
    minmax = [{'x': v, 'range': [0.0, 1.0], 'output': (v - v.min()) / (v.max() - v.min())},
              {'x': v, 'range': [-1.0, 1.0], 'output': (v - v.min()) / (v.max() - v.min()) * 2.0 + -1.0}]
    zs = [{'x': v, 'unbiased': False, 'mean': v.mean(), 'std': v.std(unbiased=False),
           'output': (v - v.mean()) / v.std(unbiased=False)},
          {'x': v, 'unbiased': True, 'mean': v.mean(), 'std': v.std(unbiased=True),
           'output': (v - v.mean()) / v.std(unbiased=True)}]
    bn_cases = []
    for momentum in [0.1, 0.3, None]:
        C = 3
        bn = torch.nn.BatchNorm1d(C, momentum=momentum, dtype=torch.float64)
        with torch.no_grad():
            bn.weight.copy_(T([1.5, 0.5, -1.0]))
            bn.bias.copy_(T([0.1, -0.2, 0.3]))
        steps = []
        for step in range(3):
            xb = T(rand(g, 4, C, scale=2.0))
            xb[:, 1] = 7.0 if step == 1 else xb[:, 1]  # a zero-variance channel in one batch
            bn.train()
            y = bn(xb)
            steps.append({'x': xb, 'training': True, 'output': y.detach(), 'runningMean': bn.running_mean.clone(),
                          'runningVar': bn.running_var.clone()})
        xe = T(rand(g, 2, C))
        bn.eval()
        steps.append({'x': xe, 'training': False, 'output': bn(xe).detach(), 'runningMean': bn.running_mean.clone(),
                      'runningVar': bn.running_var.clone()})
        bn_cases.append({'momentum': momentum, 'eps': 1e-5, 'gamma': bn.weight.detach(), 'beta': bn.bias.detach(),
                         'steps': steps})
    xl = T(rand(g, 3, 4))
    xl[1] = 2.0  # zero-variance row
    gamma, beta = T([1.0, 2.0, 0.5, -1.0]), T([0.0, 0.1, -0.1, 0.5])
    ln = {'x': xl, 'gamma': gamma, 'beta': beta, 'eps': 1e-5,
          'output': F.layer_norm(xl, (4,), gamma, beta, 1e-5),
          'mean': xl.mean(1), 'variance': xl.var(1, unbiased=False)}
    write('normalization', {'minMax': minmax, 'zScore': zs, 'batchNorm': bn_cases, 'layerNorm': ln})


# ---------------------------------------------------------------------------------------------- regularization
def gen_regularization():
    w = T([[0.5, -1.5, 2.0], [0.0, 3.0, -0.25]]).requires_grad_(True)
    cases = []
    for lam, half in [(0.01, False), (0.1, True), (0.0, False)]:
        pen = (lam / 2 if half else lam) * (w ** 2).sum()
        (grad,) = torch.autograd.grad(pen, w)
        cases.append({'weights': w.detach(), 'lambda': lam, 'half': half, 'penalty': float(pen), 'gradient': grad})
    # weight_decay=λ in SGD equals the gradient of the half penalty: one step shows it.
    write('regularization', {'l2': cases})


# ---------------------------------------------------------------------------------------------- schedulers
def gen_schedulers():
    metrics = [1.0, 0.9, 0.95, 0.95, 0.96, 0.97, 0.89999, 0.98, 0.99, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.49999,
               0.6, 0.7, 0.8]
    configs = [
        {'patience': 2},
        {'patience': 1, 'factor': 0.5, 'cooldown': 2, 'minLr': [0.02, 0.001]},
        {'mode': 'max', 'patience': 1, 'threshold': 0.05, 'thresholdMode': 'abs'},
        {'mode': 'max', 'patience': 0, 'threshold': 0.01, 'thresholdMode': 'rel', 'factor': 0.9},
        {'patience': 0, 'factor': 0.5, 'thresholdMode': 'abs', 'threshold': 0.0, 'eps': 0.02},
        {'patience': 0, 'factor': 0.1, 'minLr': 0.0009},
    ]
    plateau = []
    for cfg in configs:
        params = [torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)]
        opt = torch.optim.SGD([{'params': [params[0]], 'lr': 0.1}, {'params': [params[1]], 'lr': 0.05}], lr=0.1)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
            opt, mode=cfg.get('mode', 'min'), factor=cfg.get('factor', 0.1), patience=cfg.get('patience', 10),
            threshold=cfg.get('threshold', 1e-4), threshold_mode=cfg.get('thresholdMode', 'rel'),
            cooldown=cfg.get('cooldown', 0), min_lr=cfg.get('minLr', 0), eps=cfg.get('eps', 1e-8))
        lrs = []
        for m in metrics:
            sched.step(m)
            lrs.append([grp['lr'] for grp in opt.param_groups])
        plateau.append({'config': cfg, 'initialLrs': [0.1, 0.05], 'metrics': metrics, 'lrs': lrs})

    def run(make, epochs, base=0.1):
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=base)
        s = make(opt)
        out = []
        for _ in range(epochs):
            out.append(opt.param_groups[0]['lr'])
            opt.step()
            s.step()
        return out

    step = [{'baseLr': 0.1, 'stepSize': ss, 'gamma': gm, 'lrs': run(
        lambda o, ss=ss, gm=gm: torch.optim.lr_scheduler.StepLR(o, step_size=ss, gamma=gm), 12)}
        for ss, gm in [(3, 0.1), (4, 0.5), (1, 0.9)]]
    cosine = []
    for warm, total, min_lr in [(0, 10, 0.0), (0, 10, 0.001), (3, 10, 0.0), (4, 12, 0.002)]:
        if warm == 0:
            lrs = run(lambda o, total=total, m=min_lr: torch.optim.lr_scheduler.CosineAnnealingLR(
                o, T_max=total, eta_min=m), total + 1)
        else:
            def lam(e, warm=warm, total=total, m=min_lr, base=0.1):
                if e < warm:
                    return e / warm
                if e >= total:
                    return m / base
                prog = (e - warm) / (total - warm)
                return (m + (base - m) * 0.5 * (1 + math.cos(math.pi * prog))) / base
            lrs = run(lambda o, lam=lam: torch.optim.lr_scheduler.LambdaLR(o, lam), total + 3)
        cosine.append({'baseLr': 0.1, 'warmupSteps': warm, 'totalSteps': total, 'minLr': min_lr, 'lrs': lrs})
    write('schedulers', {'plateau': plateau, 'step': step, 'cosine': cosine})


# ---------------------------------------------------------------------------------------------- optimizers
def gen_optimizers():
    p0 = [0.5, -1.0, 2.0, 0.0, -3.0]
    grads = [[0.1, -0.2, 0.3, 0.0, 1.0], [0.2, 0.1, -0.5, 0.05, 0.8], [-0.3, 0.4, 0.1, -0.1, 0.6],
             [0.05, 0.0, 0.2, 0.3, -0.4]]
    configs = [
        ('sgd', {'lr': 0.1}), ('sgd', {'lr': 0.1, 'momentum': 0.9}),
        ('sgd', {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.1, 'weightDecay': 0.01}),
        ('sgd', {'lr': 0.1, 'momentum': 0.8, 'nesterov': True}), ('sgd', {'lr': 0.1, 'maximize': True}),
        ('adam', {'lr': 0.01}), ('adam', {'lr': 0.01, 'weightDecay': 0.1, 'betas': [0.8, 0.99]}),
        ('adam', {'lr': 0.05, 'amsgrad': True}), ('adamw', {'lr': 0.01}),
        ('adamw', {'lr': 0.05, 'weightDecay': 0.1, 'eps': 1e-6}), ('adamw', {'lr': 0.01, 'amsgrad': True}),
    ]
    cases = []
    for kind, o in configs:
        p = T(p0).requires_grad_(True)
        if kind == 'sgd':
            opt = torch.optim.SGD([p], lr=o['lr'], momentum=o.get('momentum', 0), dampening=o.get('dampening', 0),
                                  weight_decay=o.get('weightDecay', 0), nesterov=o.get('nesterov', False),
                                  maximize=o.get('maximize', False))
        else:
            cls = torch.optim.Adam if kind == 'adam' else torch.optim.AdamW
            opt = cls([p], lr=o['lr'], betas=tuple(o.get('betas', [0.9, 0.999])), eps=o.get('eps', 1e-8),
                      weight_decay=o.get('weightDecay', 0 if kind == 'adam' else 0.01),
                      amsgrad=o.get('amsgrad', False))
        traj = []
        for gstep in grads:
            p.grad = T(gstep)
            opt.step()
            traj.append(p.detach().clone())
        cases.append({'kind': kind, 'options': o, 'params0': p0, 'grads': grads, 'trajectory': traj})
    write('optimizers', {'cases': cases})


# ---------------------------------------------------------------------------------------------- sampling
def sample_reference(logits, temperature=1.0, top_k=None, top_p=None, uniforms=()):
    x = T(logits)
    probs = torch.softmax(x / temperature, dim=0)
    ranking = torch.sort(probs, descending=True, stable=True).indices
    kept = ranking[: top_k] if top_k else ranking
    if top_p is not None:
        sub = probs[kept] / probs[kept].sum()
        cum = torch.cumsum(sub, 0)
        count = int((cum < top_p).sum()) + 1
        kept = kept[: min(count, len(kept))]
    filt = torch.zeros_like(probs)
    filt[kept] = probs[kept] / probs[kept].sum()
    cdf = torch.cumsum(filt, 0)
    samples = [int(torch.searchsorted(cdf, T([u]), right=True)[0]) for u in uniforms]
    return {'logits': logits, 'temperature': temperature, 'topK': top_k, 'topP': top_p, 'scaled': x / temperature,
            'probs': probs, 'ranking': ranking, 'kept': kept, 'filteredProbs': filt, 'uniforms': list(uniforms),
            'samples': samples}


def gen_sampling():
    lg = [2.0, 1.0, 0.5, 3.0, -1.0, 0.0]
    us = [0.0, 0.1, 0.35, 0.5, 0.72, 0.9, 0.999]
    cases = [
        sample_reference(lg, uniforms=us),
        sample_reference(lg, temperature=0.5, uniforms=us),
        sample_reference(lg, temperature=2.5, uniforms=us),
        sample_reference(lg, top_k=3, uniforms=us),
        sample_reference(lg, top_p=0.8, uniforms=us),
        sample_reference(lg, top_p=0.01, uniforms=us),
        sample_reference(lg, top_k=4, top_p=0.7, temperature=1.3, uniforms=us),
        sample_reference([1.0, 3.0, 3.0, 1.0, 3.0], top_k=2, uniforms=us),  # ties: lower indices win
        sample_reference([1000.0, 999.0, -1000.0, 998.0], top_p=0.9, uniforms=us),
        sample_reference(lg, top_p=1.0, top_k=6, uniforms=us),
    ]
    write('sampling', {'cases': cases})


# ---------------------------------------------------------------------------------------------- quantization
def quant_reference(x, per_channel):
    x = T(x)
    if per_channel:
        scale = x.abs().max(dim=1).values / 127
        s = scale.unsqueeze(1)
    else:
        scale = (x.abs().max() / 127).reshape(1)
        s = scale
    safe = torch.where(s == 0, torch.ones_like(s), s)
    q = torch.where(s == 0, torch.zeros_like(x), torch.clamp(torch.round(x / safe), -127, 127))
    deq = q * s
    err = (x - deq).abs()
    return {'x': x, 'mode': 'per-channel' if per_channel else 'per-tensor', 'scales': scale, 'q': q,
            'dequantized': deq, 'maxAbsError': float(err.max()), 'meanAbsError': float(err.mean())}


def gen_quantization():
    g = torch.Generator().manual_seed(5)
    halves = [[127.0, 0.5, 1.5, 2.5, -2.5, -0.5, 3.5, -3.5]]  # scale 1: exact .5 ties → round half to even
    mixed = rand(g, 3, 5)
    mixed[1] = [v * 100 for v in mixed[1]]
    with_zero_row = [[1.0, -2.0, 0.5], [0.0, 0.0, 0.0], [0.01, -0.02, 0.015]]
    cases = [quant_reference(halves, False), quant_reference(mixed, False), quant_reference(mixed, True),
             quant_reference(with_zero_row, True), quant_reference([[0.0, 0.0], [0.0, 0.0]], False)]
    write('quantization', {'cases': cases})


# ---------------------------------------------------------------------------------------------- surface
def linspace(a, b, n):
    return [a if n == 1 else a + (b - a) * i / (n - 1) for i in range(n)]


def gen_surface():
    targets = {'sin-cos': lambda x, y: math.sin(x) * math.cos(y), 'saddle': lambda x, y: x * x - y * y,
               'gaussian-bump': lambda x, y: math.exp(-(x * x + y * y))}
    cases = []
    for tname, basis, lr in [('sin-cos', {'kind': 'rbf', 'centersPerAxis': 3, 'width': 1.2}, 0.5),
                             ('saddle', {'kind': 'polynomial', 'degree': 2}, 0.05),
                             ('gaussian-bump', {'kind': 'rbf', 'centersPerAxis': 2, 'width': 0.8}, 0.8)]:
        grid = {'xMin': -2.0, 'xMax': 2.0, 'yMin': -1.5, 'yMax': 1.5, 'n': 5}
        xs, ys = linspace(grid['xMin'], grid['xMax'], 5), linspace(grid['yMin'], grid['yMax'], 5)
        if basis['kind'] == 'rbf':
            cx, cy = linspace(grid['xMin'], grid['xMax'], basis['centersPerAxis']), \
                linspace(grid['yMin'], grid['yMax'], basis['centersPerAxis'])
            w2 = 2 * basis['width'] ** 2
            phis = [lambda x, y: 1.0] + [lambda x, y, a=a, b=b: math.exp(-((x - a) ** 2 + (y - b) ** 2) / w2)
                                         for b in cy for a in cx]
        else:
            pw = [(a, t - a) for t in range(basis['degree'] + 1) for a in range(t, -1, -1)]
            phis = [lambda x, y, a=a, b=b: x ** a * y ** b for a, b in pw]
        feats = T([[p(x, y) for p in phis] for y in ys for x in xs])
        target = T([[targets[tname](x, y) for x in xs] for y in ys])
        w = torch.zeros(feats.shape[1], requires_grad=True)
        iters = []
        for it in range(6):
            pred = feats @ w
            err = ((pred - target.flatten()) ** 2).mean()
            (grad,) = torch.autograd.grad(err, w)
            iters.append({'params': w.detach().clone(), 'surface': pred.detach().reshape(5, 5), 'error': float(err),
                          'gradient': grad})
            with torch.no_grad():
                w -= lr * grad
        cases.append({'target': tname, 'grid': grid, 'basis': basis, 'lr': lr, 'targetZ': target,
                      'features': feats, 'iterations': iters})
    write('surface', {'cases': cases})


# ---------------------------------------------------------------------------------------------- loss
def gen_loss():
    cases = []
    for logits, targets, red in [([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]], [0, 2], 'mean'),
                                 ([[1000.0, 0.0, -1000.0], [-1000.0, 1000.0, 0.0]], [0, 2], 'mean'),
                                 ([[1.0, 1.0, 1.0, 1.0]], [3], 'sum'),
                                 ([[0.3, -0.2], [1.1, 0.4], [-2.0, 5.0]], [1, 0, 1], 'sum')]:
        x = T(logits).requires_grad_(True)
        loss = F.cross_entropy(x, torch.tensor(targets), reduction=red)
        (grad,) = torch.autograd.grad(loss, x)
        cases.append({'logits': logits, 'targets': targets, 'reduction': red, 'loss': float(loss),
                      'losses': F.cross_entropy(x.detach(), torch.tensor(targets), reduction='none'),
                      'logSumExp': torch.logsumexp(x.detach(), dim=1), 'gradient': grad})
    write('loss', {'cases': cases})


GENERATORS = {name[4:]: fn for name, fn in globals().items() if name.startswith('gen_')}

if __name__ == '__main__':
    for name in sys.argv[1:] or GENERATORS:
        GENERATORS[name]()
