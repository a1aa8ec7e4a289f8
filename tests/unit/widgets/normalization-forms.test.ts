import { describe, expect, test } from 'vitest';
import { createBatchNormState } from '../../../src/lib/normalization';
import {
  batchStatus,
  readEarlyStopping,
  readNormOptions,
  scalingSummary,
} from '../../../components/widgets/normalization-lab/forms';

/** The lab's default batch-norm form, with `over` typed on top. */
const norm = (over: Record<string, string> = {}) => ({
  batch: '4',
  momentum: '0.1',
  gamma0: '1',
  gamma1: '1',
  gamma2: '1',
  beta0: '0',
  beta1: '0',
  beta2: '0.5',
  ...over,
});

describe('the normalization lab’s forms, without the DOM', () => {
  test('the default batch-norm form reads into size, momentum, γ and β per feature', () => {
    expect(readNormOptions(norm())).toEqual({
      ok: true,
      size: 4,
      momentum: 0.1,
      gamma: [1, 1, 1],
      beta: [0, 0, 0.5],
    });
  });

  test.each([
    [{ batch: '1' }, 'batch', 'Batch size must be a whole number from 2 to 32 (got “1”).'],
    [{ momentum: '2' }, 'momentum', 'Momentum must be a number from 0 to 1 (got “2”).'],
    [{ gamma1: 'x', beta0: 'y' }, 'gamma1', /^γ of .* must be a number from -100 to 100 \(got “x”\)\.$/],
    [{ beta2: '' }, 'beta2', /^β of .* must be a number from -100 to 100 \(it is empty\)\.$/],
  ])('%j: the first bad field in form order is named', (over, field, message) => {
    const r = readNormOptions(norm(over));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe(field);
    expect(r.message).toMatch(message);
  });

  test.each([
    [{ val: '', patience: '0' }, 'val', /^Validation losses: enter at least one number/],
    [
      { val: '1, 0.9', patience: '0' },
      'patience',
      'Patience must be a whole number from 1 to 100 (got “0”).',
    ],
    [
      { val: '1, 0.9', patience: '3', 'min-delta': '-1' },
      'min-delta',
      /^min_delta must be a number from 0 to 10/,
    ],
  ])('early stopping %j names the field %s', (over, field, message) => {
    const r = readEarlyStopping({ 'min-delta': '0', ...over });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe(field);
    expect(r.message).toMatch(message);
  });

  test('a usable early-stopping form reads its losses, patience and min_delta', () => {
    expect(readEarlyStopping({ val: '2.1, 1.85, 1.72', patience: '3', 'min-delta': '0.01' })).toEqual({
      ok: true,
      val: [2.1, 1.85, 1.72],
      patience: 3,
      minDelta: 0.01,
    });
  });

  test('the scaling summary names each feature and says which is constant', () => {
    const mm = [
      { min: 1, max: 3, constant: false },
      { min: 2, max: 2, constant: true },
      { min: 0, max: 1, constant: false },
    ];
    const zs = [
      { mean: 2, std: 1 },
      { mean: 2, std: 0 },
      { mean: 0.5, std: 0.5 },
    ];
    const text = scalingSummary(mm, zs);
    expect(text).toMatch(/^\S+: min 1, max 3, mean 2\.0000, std 1\.0000; /);
    expect(text).toMatch(/ is constant: min-max maps it to 0/);
    expect(scalingSummary([mm[0], mm[0], mm[0]], zs)).not.toMatch(/constant/);
  });

  test.each([
    [0, '0 training batches'],
    [1, '1 training batch.'],
  ])('the batch status after %d batches says "%s"', (n, want) => {
    const run = { ...createBatchNormState(3), numBatchesTracked: n };
    const text = batchStatus({ index: 1, count: 3, first: 4, length: 4, training: true }, run);
    expect(text).toMatch(
      /^Batch 2 of 3 \(rows 5–8\), training mode\. Running mean \(0\.0000, 0\.0000, 0\.0000\)/,
    );
    expect(text).toContain(want);
  });
});
