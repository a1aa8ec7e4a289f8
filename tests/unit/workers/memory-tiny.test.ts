/**
 * The memory test on the tiny preset itself: 1,000 training steps of `tiny` (its model and its
 * estimate_loss schedule, dropout switched on so the dropout kernel runs too), on the real WebAssembly
 * backend in Node — the fastest backend here, ~30 ms a step. Tensor count and bytes must be the same after
 * step 100 and after step 1,000. GPU bytes over 1,000 steps are checked in the browser
 * (e2e/training-cell-memory.spec.ts), where 1,000 tiny steps on SwiftShader would take too long.
 */
import * as tf from '../../../src/model/tfjs/tf';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixWasmOneHot } from '../../../src/model/tfjs/wasm-fixes';
import { useCpuBackend } from '../model/tfjs/tf-backend';
import { memoryOverRun } from '../helpers/memory-run';

beforeAll(async () => {
  tf.enableProdMode();
  expect(await tf.setBackend('wasm')).toBe(true);
  fixWasmOneHot();
});

afterAll(useCpuBackend);

test(
  'tiny preset on wasm: tensors and bytes flat from step 100 to step 1,000',
  { timeout: 300_000 },
  async () => {
    const text =
      'It was the best of times, it was the worst of times; the age of wisdom, the age of folly. '.repeat(80);
    const { cfg, reason, seen } = await memoryOverRun(
      text,
      { maxIters: 1000, dropout: 0.1 },
      (step) => step % 300 === 100,
    );
    expect(cfg).toMatchObject({
      blockSize: 32,
      nEmbd: 32,
      nHead: 2,
      nLayer: 2,
      batchSize: 8,
      evalInterval: 100,
    });
    expect(reason).toBe('max-iters');
    expect(seen.map((s) => s.step)).toEqual([100, 400, 700, 1000]);
    for (const s of seen.slice(1))
      expect(s, `step ${s.step}`).toMatchObject({ tensors: seen[0].tensors, bytes: seen[0].bytes });
  },
);
