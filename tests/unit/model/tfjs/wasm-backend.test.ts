/**
 * The WebAssembly backend (the worker's third choice) trains the model: tfjs-backend-wasm has no kernel for
 * UnsortedSegmentSum, the gradient of GatherV2, so the embeddings must never gather (they are one-hot
 * matmuls). This loads the real wasm backend in Node (its Node build reads the .wasm files next to itself
 * in node_modules/@tensorflow/tfjs-backend-wasm/dist, so no setWasmPaths is needed), trains a micro
 * configuration, and lists the kernels of a training step with tf.profile. It also pins the upstream OneHot
 * bug that src/model/wasm-fixes.ts works around. Vitest runs each test file in its own process, so the
 * backend switch stays here; it is restored to cpu afterwards anyway.
 */
import * as tf from '../../../../src/model/tfjs/tf';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { toyCorpus } from '../../helpers/toy-corpus';
import { createTfjsEngine } from '../../../../src/model/tfjs/engine';
import { fixWasmOneHot } from '../../../../src/model/tfjs/wasm-fixes';
import { useCpuBackend } from './tf-backend';

beforeAll(async () => {
  tf.enableProdMode();
  expect(await tf.setBackend('wasm')).toBe(true);
  await tf.ready();
});

afterAll(useCpuBackend);

test('tfjs-backend-wasm’s own OneHot writes int32 bits into a float32 one-hot; fixWasmOneHot casts', async () => {
  const oneHot = (): Promise<Float32Array | Int32Array | Uint8Array> =>
    tf.oneHot(tf.tensor1d([1, 0, 2], 'int32'), 3, 5, -1, 'float32').data(); // (3, 3)
  const broken = await oneHot();
  expect(broken[1], 'upstream fixed OneHot: drop src/model/wasm-fixes.ts').not.toBe(5);
  fixWasmOneHot();
  fixWasmOneHot(); // idempotent
  expect(Array.from(await oneHot())).toEqual([-1, 5, -1, 5, -1, -1, -1, -1, 5]);
  expect(Array.from(await tf.oneHot(tf.tensor1d([2], 'int32'), 3).data())).toEqual([0, 0, 1]);
  // The int32 intermediate is freed: no data buffer outlives the one-hot.
  const buffers = tf.memory().numDataBuffers;
  tf.oneHot(tf.tensor1d([0], 'int32'), 4, 1, 0, 'float32').dispose();
  expect(tf.memory().numDataBuffers).toBe(buffers + 1); // the tensor1d (not disposed), nothing else
});

test('a micro model trains on the wasm backend without GatherV2 or its gradient', async () => {
  expect(tf.getBackend()).toBe('wasm');
  fixWasmOneHot(); // without it the one-hot embeddings hold 1.4e-45 and the loss cannot fall
  const text = 'the cat sat on the mat. the dog sat on the log. '.repeat(40);
  const { cfg, data } = toyCorpus(text, {
    nEmbd: 16,
    nHead: 2,
    nLayer: 1,
    blockSize: 16,
    batchSize: 8,
    dropout: 0.1,
    learningRate: 1e-2,
  });
  const fixed = await data.getBatch('val');
  const engine = createTfjsEngine(cfg);
  const before = await engine.estimateLoss([fixed]);

  const kernels = new Set<string>();
  const losses: number[] = [];
  for (let i = 0; i < 30; i++) {
    const batch = await data.getBatch('train');
    if (i === 0 || i === 29) {
      const info = await tf.profile(async () => {
        losses.push((await engine.step(batch)).loss);
      });
      for (const k of info.kernels) kernels.add(k.name);
    } else {
      const r = await engine.step(batch);
      expect(r.finite).toBe(true);
      losses.push(r.loss);
    }
  }
  const after = await engine.estimateLoss([fixed]);
  engine.dispose();

  expect(losses.every(Number.isFinite)).toBe(true);
  expect(after).toBeLessThan(before - 0.3);
  expect(kernels.size).toBeGreaterThan(10); // the profile saw the step's kernels
  expect(kernels).toContain('BatchMatMul');
  for (const name of ['GatherV2', 'UnsortedSegmentSum', 'GatherNd', 'ScatterNd']) {
    expect([...kernels], name).not.toContain(name);
  }
  // Dropout (0.1 here) takes its mask from the JS twin on wasm, not from the tensor-op hash's Mods.
  expect([...kernels], 'the tensor-op dropout hash ran').not.toContain('Mod');
});
