import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { runParityCheck, type ParityReport } from '../../../../src/model/parity';
import { createTfjsEngine } from '../../../../src/model/tfjs/engine';
import { parameterSpecs } from '../../../../src/model/params';
import { loadParityGolden, useCpuBackend } from './tf-backend';

const golden = loadParityGolden();
let report: ParityReport;

beforeAll(async () => {
  await useCpuBackend();
  report = await runParityCheck(golden, createTfjsEngine);
});

describe('runParityCheck(golden, createTfjsEngine) on the tfjs CPU backend matches the notes’ PyTorch model', () => {
  test.each([
    ['loss (relative)', 'lossRelErr', 1e-4],
    ['logits (B, T, V)', 'logitsMaxErr', 1e-4],
    ['logits for T < block_size', 'logitsShortMaxErr', 1e-4],
    ['gradients of every parameter', 'gradMaxErr', 1e-4],
    ['parameters after one AdamW step', 'stepOneMaxErr', 1e-4],
    ['loss after one AdamW step (relative)', 'lossAfterOneStepRelErr', 1e-4],
    ['parameters after two AdamW steps', 'stepTwoMaxErr', 1e-4],
  ] as const)('%s within %s', (_label, field, tol) => {
    expect(report[field]).toBeLessThanOrEqual(tol);
  });

  test('reports ok and the backend it ran on', () => {
    expect(report.ok).toBe(true);
    expect(report.backend).toBe('cpu');
    expect(report.engine).toBe('tfjs');
  });
});

describe('parameter naming', () => {
  test('parameterSpecs(cfg) lists exactly the golden’s PyTorch names, in named_parameters() order', () => {
    const specs = parameterSpecs(golden.config);
    expect(specs.map((s) => s.name)).toEqual(Object.keys(golden.params));
    for (const s of specs) expect(s.shape).toEqual(golden.params[s.name].shape);
  });

  test('engine.getWeights() returns the loaded weights under the same names', async () => {
    const weights = new Map(
      Object.entries(golden.params).map(([n, t]) => [n, { shape: t.shape, data: Float32Array.from(t.data) }]),
    );
    const before = tf.memory().numTensors;
    const engine = createTfjsEngine(golden.config, { weights });
    const back = await engine.getWeights();
    expect([...back.keys()]).toEqual(Object.keys(golden.params));
    expect(back.get('blocks.1.sa.heads.0.key.weight')!.data).toEqual(
      Float32Array.from(golden.params['blocks.1.sa.heads.0.key.weight'].data),
    );
    engine.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
