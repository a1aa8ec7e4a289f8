import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  countDispatches,
  formatBench,
  fusedKernelNames,
  kernelBreakdown,
  matmulPeakGflops,
  runBench,
  withPortableKernels,
} from '../../../../src/model/tfjs/bench';
import {
  getKernels,
  maskDropout,
  portableKernels,
  registerKernels,
  unregisterKernels,
} from '../../../../src/model/tfjs/kernels';
import { estimateFlopsPerStep, makeConfig } from '../../../../src/model/config';
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
    expect(formatBench(r)).toMatch(/^cpu C=32 H=2 L=2 T=16 B=4 .* dispatches\/step=\d+ .* kernels=dropout$/);
    expect(r.fusedKernels).toEqual(['dropout']);
    expect(tf.memory().numTensors).toBe(before);
  });

  test("kernels: 'portable' launches more kernels per step with dropout on, and restores the CPU twin", async () => {
    const opts = { steps: 1, warmup: 1, matmulSizes: [16], matmulReps: 1 };
    const overrides = { blockSize: 16, batchSize: 2, dropout: 0.1 };
    const fused = await runBench('tiny', { ...opts, overrides });
    const portable = await runBench('tiny', { ...opts, overrides, kernels: 'portable' });
    expect(fused.fusedKernels).toEqual(['dropout']);
    expect(portable.fusedKernels).toEqual([]);
    expect(formatBench(portable)).toMatch(/kernels=portable$/);
    // 3 dropout sites per layer (attention weights, projection, MLP), 2 layers: the portable hash builds
    // each mask from ~16 ops where the twin runs one multiply.
    expect(portable.dispatchesPerStep).toBeGreaterThan(fused.dispatchesPerStep + 50);
    expect(getKernels('cpu').dropout).toBe(maskDropout);
  });
});

describe('withPortableKernels(f)', () => {
  test('runs f on the portable kernels and restores what was registered, even when f throws', async () => {
    const mine = { dropout: (x: tf.Tensor) => x };
    registerKernels('cpu', mine);
    await expect(
      withPortableKernels(async () => {
        expect(getKernels('cpu')).toEqual(portableKernels);
        expect(fusedKernelNames()).toEqual([]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(getKernels('cpu').dropout).toBe(mine.dropout);
    unregisterKernels('cpu');
    expect(getKernels('cpu').dropout).toBe(maskDropout);
    expect(fusedKernelNames()).toEqual(['dropout']);
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

test('kernelBreakdown groups tf.profile records by kernel and sums their times, most expensive first, without the __op wrappers', () => {
  const rows = kernelBreakdown([
    { name: 'Add', kernelTimeMs: 1 },
    { name: 'BatchMatMul', kernelTimeMs: 4 },
    { name: 'Add', kernelTimeMs: 2.5 },
    { name: 'Reshape', kernelTimeMs: { error: 'no timer' } }, // a record without a time counts 0 ms
    { name: 'Transpose', kernelTimeMs: 3.5 },
    { name: 'fusedMatMul__op', kernelTimeMs: 9 }, // wraps a recorded _FusedMatMul: not counted twice
  ]);
  expect(rows).toEqual([
    { name: 'BatchMatMul', calls: 1, ms: 4 },
    { name: 'Add', calls: 2, ms: 3.5 },
    { name: 'Transpose', calls: 1, ms: 3.5 },
    { name: 'Reshape', calls: 1, ms: 0 },
  ]);
});
