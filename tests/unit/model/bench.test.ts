import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { countDispatches, formatBench, matmulPeakGflops, runBench } from '../../../src/model/bench';
import { estimateFlopsPerStep, makeConfig } from '../../../src/model/config';
import { useCpuBackend } from './tf-backend';

beforeAll(useCpuBackend);

describe('runBench(preset, opts) on the CPU backend', () => {
  test('reports consistent speed, FLOP, dispatch and memory figures and leaves no tensors', async () => {
    const before = tf.memory().numTensors;
    const r = await runBench('tiny', {
      steps: 3,
      warmup: 1,
      matmulSizes: [32, 64],
      matmulReps: 2,
      overrides: { blockSize: 16, batchSize: 4 },
    });
    const cfg = makeConfig('tiny', { blockSize: 16, batchSize: 4 });
    expect(r.backend).toBe('cpu');
    expect(r.config).toEqual(cfg);
    expect(r.steps).toBe(3);
    expect(r.tokensPerSec).toBeCloseTo((16 * 4 * 1000) / r.msPerStep, 6);
    expect(r.gflops).toBeCloseTo(estimateFlopsPerStep(cfg).perStep / r.msPerStep / 1e6, 6);
    expect(r.dispatchesPerStep).toBeGreaterThan(100);
    expect(r.kernelsPerStep).toBeGreaterThan(r.dispatchesPerStep);
    expect(r.peakBytes).toBeGreaterThan(0);
    expect(r.matmulGflops).toBeGreaterThan(0);
    expect(r.fraction).toBeCloseTo(r.gflops / r.matmulGflops, 9);
    expect(Number.isFinite(r.finalLoss)).toBe(true);
    expect(formatBench(r)).toMatch(/^cpu C=32 H=2 L=2 T=16 B=4 .* dispatches\/step=\d+/);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('matmulPeakGflops(sizes) is positive and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    expect(await matmulPeakGflops([16], 1)).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('countDispatches(kernelNames)', () => {
  test('skips reshapes, identities and custom-gradient op records', () => {
    expect(
      countDispatches(['Reshape', 'BatchMatMul', 'Identity', 'fusedMatMul__op', '_FusedMatMul', 'Add']),
    ).toBe(3);
  });
});
