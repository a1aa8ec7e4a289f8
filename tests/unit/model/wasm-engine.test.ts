import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { relErr } from '../../../src/model/webgpu/rel-err';
import { beforeAll, describe, expect, test } from 'vitest';
import { createRng } from '../../../src/lib/rng';
import { makeConfig, type GPTConfig } from '../../../src/model/config';
import type { Batch } from '../../../src/model/engine';
import { runParityCheck, type ParityGolden } from '../../../src/model/parity';
import { createWasmEngine, instantiateKernels, type WasmKernels } from '../../../src/model/wasm';
import { dropSite, referenceStep, stackedQkv } from '../../../src/model/webgpu/reference';
import { hashAt, hashKeys, threshold } from '../../../src/model/webgpu/hash';
import * as K from '../../../src/model/webgpu/twins';
import { initialWeights } from '../../../src/model/params';

const golden = JSON.parse(readFileSync('tests/golden/model/gpt_tiny.json', 'utf8')) as ParityGolden;
let kernels: WasmKernels;
beforeAll(async () => {
  kernels = await instantiateKernels(readFileSync('src/model/wasm/kernels.wasm'));
});

function randn(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal(0, 1));
}

const site = (seed: number, rate: number): K.DropSite => {
  const [k1, k2] = hashKeys(seed, 3, 1);
  return { k1, k2, thr: threshold(rate), scale: Math.fround(1 / (1 - rate)) };
};

describe('the WebAssembly kernels compute what their CPU twins compute', () => {
  test('the dropout hash residue equals hashAt bit for bit', () => {
    for (const [k1, k2] of [hashKeys(1, 0, 0), hashKeys(1337, 99, 7), [0, 4090]]) {
      for (const r of [0, 1, 4090, 4091, 4092, 70000, 2 ** 24 + 5])
        for (const c of [0, 3, 4090, 4091, 9999])
          expect(kernels.hashResidue(r, c, k1, k2)).toBe(hashAt(r, c, k1, k2));
    }
  });

  // [M, N, K, A strides, B strides, epilogue]: odd sizes, tails of the 4 × 16 tiles, transposed operands.
  const cases: [string, number, number, number, 'n' | 't', 'n' | 't', K.Epilogue | 'all'][] = [
    ['1 × 1 × 1', 1, 1, 1, 'n', 'n', {}],
    ['5 × 7 × 3', 5, 7, 3, 'n', 'n', {}],
    ['4 × 16 × 8, one tile', 4, 16, 8, 'n', 'n', {}],
    ['33 × 50 × 17, every tail', 33, 50, 17, 'n', 'n', {}],
    ['X·Wᵀ (forward)', 64, 96, 32, 'n', 't', {}],
    ['dYᵀ·X (weight gradient)', 48, 32, 70, 't', 'n', {}],
    ['with bias, ReLU, dropout, residual', 37, 40, 24, 'n', 't', 'all'],
    ['with the ReLU gate', 20, 36, 12, 'n', 'n', { reluGate: randn(20 * 36, 9) }],
  ];
  test.each(cases)('matmul %s', (_, M, N, Kd, ta, tb, ep) => {
    const a = randn(M * Kd, 1);
    const b = randn(Kd * N, 2);
    const sa: K.Strides = ta === 'n' ? [Kd, 1] : [1, M];
    const sb: K.Strides = tb === 'n' ? [N, 1] : [1, Kd];
    const e: K.Epilogue =
      ep === 'all' ? { bias: randn(N, 3), relu: true, drop: site(5, 0.3), residual: randn(M * N, 4) } : ep;
    const want = K.matmul(a, sa, b, sb, M, N, Kd, e);
    expect(relErr(kernels.matmul(a, sa, b, sb, M, N, Kd, e), want)).toBeLessThan(1e-5);
  });

  // B, T, H, hs: T = 1, T past a row of 64, a head size that is not a multiple of 4 (scalar tails).
  const shapes: [number, number, number, number][] = [
    [2, 1, 2, 8],
    [2, 7, 3, 4],
    [1, 65, 2, 16],
    [2, 9, 2, 6],
  ];
  test.each(shapes)(
    'attention forward and backward, B %i T %i H %i hs %i, with and without dropout',
    (B, T, H, hs) => {
      const s = { B, T, H, hs };
      const qkv = randn(B * T * 3 * H * hs, 11);
      const dy = randn(B * T * H * hs, 12);
      for (const drop of [null, site(7, 0.25)]) {
        const want = K.attentionForward(qkv, s, drop);
        const got = kernels.attentionForward(qkv, s, drop);
        expect(relErr(got.y, want.y)).toBeLessThan(1e-5);
        expect(relErr(got.lse, want.lse)).toBeLessThan(1e-5);
        const dWant = K.attentionBackward(dy, qkv, want.y, want.lse, s, drop);
        expect(relErr(kernels.attentionBackward(dy, qkv, want.y, want.lse, s, drop), dWant)).toBeLessThan(
          1e-5,
        );
      }
    },
  );

  test.each([
    [1, 8],
    [37, 20],
    [64, 128],
  ])('LayerNorm backward, %i rows of %i, with and without dropout', (rows, C) => {
    const x = randn(rows * C, 21);
    const g = randn(C, 22);
    const ln = K.layerNormForward(x, g, randn(C, 23), rows, C, 1e-5);
    const dy = randn(rows * C, 24);
    for (const drop of [null, site(9, 0.1)]) {
      const want = K.layerNormBackward(dy, x, ln.mean, ln.rstd, g, rows, C, drop);
      const got = kernels.layerNormBackward(dy, x, ln.mean, ln.rstd, g, rows, C, drop);
      for (const k of ['dx', 'dz', 'dg', 'db'] as const) expect(relErr(got[k], want[k])).toBeLessThan(1e-5);
    }
  });

  test.each([
    [1, 8, 5],
    [37, 20, 11],
    [64, 128, 96],
  ])('LayerNorm forward and cross-entropy, %i rows of %i, vocabulary %i', (rows, C, V) => {
    const x = randn(rows * C, 31);
    const [g, b] = [randn(C, 32), randn(C, 33)];
    const want = K.layerNormForward(x, g, b, rows, C, 1e-5);
    const got = kernels.layerNormForward(x, g, b, rows, C, 1e-5);
    for (const k of ['y', 'mean', 'rstd'] as const) expect(relErr(got[k], want[k])).toBeLessThan(1e-5);
    const logits = randn(rows * V, 34).map((v) => 3 * v);
    const targets = Int32Array.from({ length: rows }, (_, i) => (i * 7) % V);
    const ce = K.crossEntropy(logits, targets, rows, V);
    const ceGot = kernels.crossEntropy(logits, targets, rows, V);
    expect(Math.abs(ceGot.loss - ce.loss) / ce.loss).toBeLessThan(1e-6);
    expect(relErr(ceGot.losses, ce.losses)).toBeLessThan(1e-5);
    expect(relErr(ceGot.dlogits, ce.dlogits)).toBeLessThan(1e-6);
  });

  test('f16 matmul inputs are refused with a sentence', () => {
    expect(() => kernels.matmul(randn(4, 1), [2, 1], randn(4, 2), [2, 1], 2, 2, 2, { f16: true })).toThrow(
      /float32 only/,
    );
  });
});

function randomBatch(cfg: GPTConfig, seed: number): Batch {
  const rng = createRng(seed);
  const n = cfg.batchSize * cfg.blockSize;
  const x = Int32Array.from({ length: n }, () => Math.floor(rng.next() * cfg.vocabSize));
  // A learnable rule: the next id is the current one plus one.
  const y = x.map((v) => (v + 1) % cfg.vocabSize);
  return { x, y, batchSize: cfg.batchSize, blockSize: cfg.blockSize };
}

test('the committed kernels.wasm is what `npm run build:wasm` compiles from its source', () => {
  const script = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
    .scripts['build:wasm'];
  const out = join(mkdtempSync(join(tmpdir(), 'asc-')), 'kernels.wasm');
  const args = script
    .replace(/^asc /, '')
    .replace(/-o \S+/, `-o ${out}`)
    .split(' ');
  const run = spawnSync('node_modules/.bin/asc', args, { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  expect(Buffer.compare(readFileSync(out), readFileSync('src/model/wasm/kernels.wasm'))).toBe(0);
}, 60_000);

describe('the WebAssembly engine', () => {
  test('matches the PyTorch golden within 1e-4 through the Engine interface (logits, gradients, two AdamW steps)', async () => {
    const report = await runParityCheck(golden, (cfg, opts) => createWasmEngine(kernels, cfg, opts));
    expect(report.engine).toBe('wasm');
    expect(report.ok).toBe(true);
    expect(report.gradMaxErr).toBeLessThan(1e-5);
    expect(report.stepTwoMaxErr).toBeLessThan(1e-5);
  });

  test('with dropout its gradients equal the twins’ reference step (the same masks as every engine)', async () => {
    const cfg = makeConfig('tiny', {
      vocabSize: 13,
      dropout: 0.2,
      batchSize: 2,
      blockSize: 9,
      nEmbd: 12,
      nHead: 3,
    });
    const engine = createWasmEngine(kernels, cfg);
    const batch = randomBatch(cfg, 3);
    const got = await engine.lossAndGradients(batch);
    const want = referenceStep(cfg, initialWeights(cfg), batch.x, batch.y, 2, 9, { training: true, step: 0 });
    expect(Math.abs(got.loss - want.loss)).toBeLessThan(1e-5);
    for (const [name, g] of want.grads) expect(relErr(got.grads.get(name)!.data, g), name).toBeLessThan(1e-5);
    expect(dropSite(cfg, 0, 0, 0)).not.toBeNull();
  });

  test('trains: the loss of a learnable rule falls, and the step count advances', async () => {
    const cfg = makeConfig('tiny', { vocabSize: 16 });
    const engine = createWasmEngine(kernels, cfg);
    const batch = randomBatch(cfg, 5);
    const first = await engine.step(batch);
    let last = first;
    for (let i = 0; i < 40; i++) last = await engine.step(batch);
    expect(last.loss).toBeLessThan(first.loss - 1);
    expect(engine.stepCount).toBe(41);
    expect(await engine.estimateLoss([batch])).toBeLessThan(first.loss - 1);
  });

  test('a checkpoint taken mid-run resumes in a new engine to the same weights', async () => {
    const cfg = makeConfig('tiny', { vocabSize: 16, dropout: 0.1 });
    const a = createWasmEngine(kernels, cfg);
    const batch = randomBatch(cfg, 6);
    for (let i = 0; i < 3; i++) await a.step(batch);
    const b = createWasmEngine(kernels, cfg, { weights: await a.getWeights() });
    b.setOptimizerState(await a.getOptimizerState());
    await a.step(batch);
    await b.step(batch);
    const wa = await a.getWeights();
    for (const [name, w] of await b.getWeights()) expect(relErr(w.data, wa.get(name)!.data)).toBe(0);
  });

  test('a non-finite loss skips the update and leaves the weights untouched', async () => {
    const cfg = makeConfig('tiny', { vocabSize: 16 });
    const engine = createWasmEngine(kernels, cfg);
    const w = await engine.getWeights();
    const bad = w.get('lm_head.bias')!;
    bad.data[0] = NaN;
    engine.setWeights(new Map([['lm_head.bias', bad]]));
    const before = await engine.getWeights();
    const r = await engine.step(randomBatch(cfg, 7));
    expect(r.finite).toBe(false);
    expect(engine.stepCount).toBe(0);
    const after = await engine.getWeights();
    expect(Array.from(after.get('lm_head.weight')!.data)).toEqual(
      Array.from(before.get('lm_head.weight')!.data),
    );
  });

  test('generation, next-token probabilities and attention maps come from the same forward pass', async () => {
    const cfg = makeConfig('tiny', { vocabSize: 16, blockSize: 6 });
    const engine = createWasmEngine(kernels, cfg);
    const ctx = Int32Array.of(1, 2, 3);
    const out = await engine.generate(ctx, 10, { seed: 1 });
    expect(out.length).toBe(13);
    const probs = await engine.nextTokenProbs(ctx);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const logits = await engine.logits({
      x: Int32Array.of(1, 2, 3),
      y: Int32Array.of(0, 0, 0),
      batchSize: 1,
      blockSize: 3,
    });
    const last = logits.data.slice(2 * 16);
    const max = Math.max(...last);
    const z = last.reduce((s, l) => s + Math.exp(l - max), 0);
    expect(probs[5]).toBeCloseTo(Math.exp(last[5] - max) / z, 6);
    const maps = await engine.attention(ctx);
    expect(maps.weights.length).toBe(cfg.nLayer);
    expect(maps.weights[0].length).toBe(cfg.nHead);
    const row2 = maps.weights[0][0].slice(2 * 3, 3 * 3);
    expect(row2.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(stackedQkv(initialWeights(cfg), 0, cfg.nHead).length).toBe(3 * 32 * 32);
  });

  test('memory stays flat over steps, estimates and samples once the first step has sized the arena', async () => {
    const cfg = makeConfig('tiny', { vocabSize: 16, dropout: 0.1 });
    const engine = createWasmEngine(kernels, cfg);
    const batch = randomBatch(cfg, 8);
    await engine.step(batch);
    await engine.estimateLoss([batch]);
    const first = engine.memory();
    for (let i = 0; i < 20; i++) {
      await engine.step(batch);
      if (i % 5 === 0) await engine.generate(Int32Array.of(1, 2), 5, { seed: i });
    }
    await engine.estimateLoss([batch, batch]);
    expect(engine.memory()).toEqual(first);
    expect(first.numBytes).toBeGreaterThanOrEqual(12 * engine.numParams);
  });

  test('refuses weights of the wrong shape, naming the parameter', () => {
    const engine = createWasmEngine(kernels, makeConfig('tiny', { vocabSize: 16 }));
    expect(() =>
      engine.setWeights(new Map([['lm_head.bias', { shape: [3], data: new Float32Array(3) }]])),
    ).toThrow(/lm_head.bias has shape \[3\]/);
  });
});
