import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { makeConfig, type GPTConfig } from '../../../../src/model/config';
import type { Batch } from '../../../../src/model/engine';
import { createTfjsEngine, type TfjsEngine } from '../../../../src/model/tfjs/engine';
import { GPT } from '../../../../src/model/tfjs/model';
import { initialWeights, INIT_STD, parameterSpecs } from '../../../../src/model/params';
import { createRng } from '../../../../src/lib/rng';
import { sampleBatch } from '../../../../src/model/data';
import { useCpuBackend } from './tf-backend';

beforeAll(useCpuBackend);

const cfg: GPTConfig = makeConfig('tiny', { vocabSize: 13, blockSize: 8, nEmbd: 16, batchSize: 4 });
const engines: TfjsEngine[] = [];
afterEach(() => {
  engines.splice(0).forEach((e) => e.dispose());
});

/** An engine that is disposed after the test. */
function engine(config: GPTConfig = cfg, opts: Parameters<typeof createTfjsEngine>[1] = {}): TfjsEngine {
  const e = createTfjsEngine(config, opts);
  engines.push(e);
  return e;
}

const stream = Int32Array.from({ length: 2000 }, (_, i) => (i * 7 + (i >> 3)) % cfg.vocabSize);
const batch = (seed = 1, c: GPTConfig = cfg): Batch =>
  sampleBatch(stream, c.blockSize, c.batchSize, createRng(seed));

/** Logits (B, T, V) of a (B, T) id array in eval mode. */
function logits(e: TfjsEngine, ids: number[][]): Float32Array {
  return tf.tidy(() => e.gpt.forward(tf.tensor2d(ids, undefined, 'int32')).logits.dataSync() as Float32Array);
}

describe('initialWeights(cfg) follows the notes’ _init_weights', () => {
  const w = initialWeights(makeConfig('small', { vocabSize: 40 }));
  const std = (a: Float32Array): number => Math.sqrt(a.reduce((s, x) => s + x * x, 0) / a.length);

  test.each(['token_embedding_table.weight', 'blocks.0.sa.heads.0.key.weight', 'blocks.3.ffwd.net.2.weight'])(
    '%s ~ N(0, 0.02²)',
    (name) => {
      expect(std(w.get(name)!)).toBeGreaterThan(INIT_STD * 0.95);
      expect(std(w.get(name)!)).toBeLessThan(INIT_STD * 1.05);
    },
  );

  test.each([
    ['blocks.0.sa.proj.bias', 0],
    ['lm_head.bias', 0],
    ['blocks.1.ln1.weight', 1],
    ['ln_f.bias', 0],
  ])('%s is all %i', (name, value) => {
    expect(w.get(name)!.every((x) => x === value)).toBe(true);
  });

  test('the same seed gives the same weights, another seed others', () => {
    const a = initialWeights(cfg, 1).get('lm_head.weight')!;
    expect(initialWeights(cfg, 1).get('lm_head.weight')).toEqual(a);
    expect(initialWeights(cfg, 2).get('lm_head.weight')).not.toEqual(a);
  });
});

describe('GPT.forward(idx, targets)', () => {
  test('returns logits (B, T, V) and a loss near ln(V) at initialisation', () => {
    const e = engine();
    const b = batch();
    const { shape, loss } = tf.tidy(() => {
      const out = e.gpt.forward(tf.tensor2d(b.x, [4, 8], 'int32'), tf.tensor2d(b.y, [4, 8], 'int32'));
      return { shape: out.logits.shape, loss: out.loss!.dataSync()[0] };
    });
    expect(shape).toEqual([4, 8, 13]);
    expect(loss).toBeCloseTo(Math.log(13), 1);
  });

  test('is causal: changing later tokens leaves earlier logits unchanged', () => {
    const e = engine();
    const a = logits(e, [[1, 2, 3, 4, 5, 6, 7, 8]]);
    const b = logits(e, [[1, 2, 3, 4, 9, 10, 11, 12]]);
    const V = cfg.vocabSize;
    expect(Array.from(b.subarray(0, 4 * V))).toEqual(Array.from(a.subarray(0, 4 * V)));
    expect(Array.from(b.subarray(4 * V))).not.toEqual(Array.from(a.subarray(4 * V)));
  });

  test('accepts T < blockSize and rejects T > blockSize', () => {
    const e = engine();
    expect(logits(e, [[1, 2, 3]]).length).toBe(3 * cfg.vocabSize);
    expect(() => logits(e, [[...Array(9).keys()]])).toThrow(/exceeds blockSize 8/);
  });

  test('with dropout: training differs from eval, is repeatable for a step, and changes with the step', () => {
    const e = engine({ ...cfg, dropout: 0.2 });
    const b = batch();
    const lossAt = (training: boolean, step: number): number =>
      tf.tidy(
        () =>
          e.gpt
            .forward(tf.tensor2d(b.x, [4, 8], 'int32'), tf.tensor2d(b.y, [4, 8], 'int32'), { training, step })
            .loss!.dataSync()[0],
      );
    expect(lossAt(true, 0)).not.toBe(lossAt(false, 0));
    expect(lossAt(true, 0)).toBe(lossAt(true, 0));
    expect(lossAt(true, 1)).not.toBe(lossAt(true, 0));
    expect(lossAt(false, 0)).toBe(lossAt(false, 1));
  });

  test('new GPT(cfg, weights) rejects missing or mis-sized weights', () => {
    const w = initialWeights(cfg);
    w.delete('ln_f.bias');
    expect(() => new GPT(cfg, w)).toThrow(/ln_f.bias/);
    const bad = initialWeights(cfg);
    bad.set('lm_head.bias', new Float32Array(3));
    expect(() => new GPT(cfg, bad)).toThrow(/expected 13 values/);
  });
});

describe('Engine.step(batch)', () => {
  test.each([
    ['no dropout', 0, false],
    ['dropout 0.1 and gradient norm', 0.1, true],
  ])(
    'keeps the tensor count flat (%s): numTensors after step 3 equals after step 50',
    async (_l, dropout, track) => {
      const e = engine({ ...cfg, dropout }, { trackGradNorm: track });
      let after3 = -1;
      for (let i = 1; i <= 50; i++) {
        const r = await e.step(batch(i));
        expect(r.finite).toBe(true);
        if (track) expect(r.gradNorm).toBeGreaterThan(0);
        if (i === 3) after3 = tf.memory().numTensors;
      }
      expect(tf.memory().numTensors).toBe(after3);
    },
  );

  test('learns the synthetic stream: loss falls well below ln(V) in 60 steps', async () => {
    const e = engine({ ...cfg, learningRate: 1e-2 });
    let last = Infinity;
    for (let i = 0; i < 60; i++) last = (await e.step(batch(i))).loss;
    expect(last).toBeLessThan(Math.log(cfg.vocabSize) / 2);
    expect(e.stepCount).toBe(60);
  });

  test('a non-finite loss is reported and the update skipped: weights and step count unchanged', async () => {
    const e = engine();
    const w = await e.getWeights();
    const bias = w.get('lm_head.bias')!;
    e.setWeights(new Map([['lm_head.bias', { shape: bias.shape, data: bias.data.map(() => Infinity) }]]));
    const before = await e.getWeights();
    const r = await e.step(batch());
    expect(r.finite).toBe(false);
    expect(Number.isNaN(r.loss)).toBe(true);
    expect(e.stepCount).toBe(0);
    const after = await e.getWeights();
    for (const [name, t] of before) expect(after.get(name)!.data).toEqual(t.data);
  });

  test.each<[string, Partial<Batch>, RegExp]>([
    ['x of the wrong length', { x: new Int32Array(3) }, /B·T = 32/],
    ['an id outside the vocabulary', { y: new Int32Array(32).fill(13) }, /outside the vocabulary/],
    ['T above blockSize', { blockSize: 9 }, /T <= 8/],
  ])('rejects %s', async (_label, patch, message) => {
    const e = engine();
    await expect(e.step({ ...batch(), ...patch })).rejects.toThrow(message);
  });

  test('estimateLoss(batches) is the mean eval-mode loss and leaves no tensors behind', async () => {
    const e = engine({ ...cfg, dropout: 0.3 });
    const before = tf.memory().numTensors;
    const one = await e.estimateLoss([batch(1)]);
    const two = await e.estimateLoss([batch(2)]);
    expect(await e.estimateLoss([batch(1), batch(2)])).toBeCloseTo((one + two) / 2, 5);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('dispose() frees every tensor and later calls throw', async () => {
    const before = tf.memory().numTensors;
    const e = createTfjsEngine(cfg);
    await e.step(batch());
    e.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(e.step(batch())).rejects.toThrow(/after dispose/);
  });
});

describe('Engine.generate(context, n, opts)', () => {
  test('crops the context to blockSize: a long context samples like its last blockSize ids', async () => {
    const e = engine();
    const long = Int32Array.from({ length: 30 }, (_, i) => i % cfg.vocabSize);
    const a = await e.generate(long, 12, { seed: 5 });
    const b = await e.generate(long.slice(-cfg.blockSize), 12, { seed: 5 });
    expect(a.length).toBe(42);
    expect(Array.from(a.slice(30))).toEqual(Array.from(b.slice(cfg.blockSize)));
  });

  test('generates past blockSize (the notes’ generate() would fail there)', async () => {
    const e = engine();
    const out = await e.generate(Int32Array.of(1), 3 * cfg.blockSize, { temperature: 0.8, topK: 5 });
    expect(out.length).toBe(1 + 3 * cfg.blockSize);
    expect(out.every((id) => id >= 0 && id < cfg.vocabSize)).toBe(true);
  });

  test('is reproducible with a seed, streams tokens, and stops on request', async () => {
    const e = engine();
    const seen: number[] = [];
    const a = await e.generate(Int32Array.of(2, 3), 6, { seed: 9, onToken: (id) => seen.push(id) });
    expect(Array.from(await e.generate(Int32Array.of(2, 3), 6, { seed: 9 }))).toEqual(Array.from(a));
    expect(seen).toEqual(Array.from(a.slice(2)));
    let n = 0;
    const stopped = await e.generate(Int32Array.of(2), 10, { shouldStop: () => n++ >= 3 });
    expect(stopped.length).toBe(4);
  });

  test('nextTokenProbs(context) sums to 1', async () => {
    const p = await engine().nextTokenProbs(Int32Array.of(1, 2, 3));
    expect(p.length).toBe(cfg.vocabSize);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});

describe('Engine.attention(context)', () => {
  test('returns L × H causal (T, T) maps whose rows sum to 1, cropped to blockSize', async () => {
    const e = engine();
    const maps = await e.attention(Int32Array.from({ length: 11 }, (_, i) => i));
    expect(maps.T).toBe(8);
    expect(Array.from(maps.tokens)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(maps.weights.length).toBe(cfg.nLayer);
    for (const layer of maps.weights) {
      expect(layer.length).toBe(cfg.nHead);
      for (const w of layer) {
        for (let i = 0; i < 8; i++) {
          const row = Array.from(w.subarray(i * 8, i * 8 + 8));
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
          expect(row.slice(i + 1).every((x) => x === 0)).toBe(true);
        }
      }
    }
  });
});

describe('parameterSpecs(cfg)', () => {
  test('stores Linear weights as PyTorch does: (out, in)', () => {
    const specs = new Map(parameterSpecs(cfg).map((s) => [s.name, s.shape]));
    expect(specs.get('blocks.0.sa.heads.1.query.weight')).toEqual([8, 16]);
    expect(specs.get('blocks.1.ffwd.net.0.weight')).toEqual([64, 16]);
    expect(specs.get('blocks.1.ffwd.net.2.weight')).toEqual([16, 64]);
    expect(specs.get('lm_head.weight')).toEqual([13, 16]);
  });
});
