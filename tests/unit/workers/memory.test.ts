/**
 * Tensor count and memory stay flat over 1,000 training steps: the loop the worker runs (train() with its
 * estimate_loss evaluations and samples) on the tfjs CPU backend in Node. A micro configuration of the tiny
 * preset's shape (1 layer, n_embd 16, block 16, batch 4) keeps the 1,000 steps within a few seconds; the
 * leak would show at any size, since every step allocates the same tensors. The browser counterpart,
 * e2e/training-cell-memory.spec.ts, checks tensors and WebGPU's GPU bytes from the worker's memory reports.
 */
import { beforeAll, expect, test } from 'vitest';
import { formatEta } from '../../../src/workers/protocol';
import { useCpuBackend } from '../model/tfjs/tf-backend';
import { memoryOverRun } from '../helpers/memory-run';

beforeAll(useCpuBackend);

test(
  'tensor count and bytes are the same after step 20 and after step 1,000',
  { timeout: 120_000 },
  async () => {
    const text = 'the cat sat on the mat. the dog sat on the log. '.repeat(60);
    const { reason, seen } = await memoryOverRun(
      text,
      {
        nEmbd: 16,
        nHead: 2,
        nLayer: 1,
        blockSize: 16,
        batchSize: 4,
        dropout: 0.1,
        maxIters: 1000,
        evalInterval: 100,
        evalIters: 2,
      },
      (step) => step === 20 || step === 500 || step === 1000,
    );
    expect(reason).toBe('max-iters');
    expect(seen.map((s) => s.step)).toEqual([20, 500, 1000]);
    expect(seen[1].tensors).toBe(seen[0].tensors);
    expect(seen[2].tensors).toBe(seen[0].tensors);
    expect(seen[2].bytes).toBe(seen[0].bytes);
  },
);

test('formatEta reads like a person would say it', () => {
  expect(formatEta(42.4)).toBe('42 s');
  expect(formatEta(125)).toBe('2 min 5 s');
  expect(formatEta(3 * 3600 + 600)).toBe('3 h 10 min');
  expect(formatEta(NaN)).toBe('—');
});
