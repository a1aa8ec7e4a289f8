import { describe, expect, test } from 'vitest';
import {
  BACKEND_OPTIONS,
  availableOptions,
  brokenBackends,
  choosingText,
  parseBackendChoice,
  sameStepCost,
} from '../../../components/training-cell/backend-select';
import { makeConfig } from '../../../src/model/config';
import { WEBGL_NOT_TIMED, type BackendTiming } from '../../../src/workers/training/backend-choice';

describe('parseBackendChoice(value)', () => {
  test.each([
    ['auto', null],
    ['webgpu', { backend: 'webgpu', engine: 'webgpu' }],
    ['tfjs-webgpu', { backend: 'webgpu', engine: 'tfjs' }],
    ['wasm', { backend: 'wasm', engine: 'wasm' }],
    ['tfjs-wasm', { backend: 'wasm', engine: 'tfjs' }],
    ['webgl', { backend: 'webgl', engine: 'tfjs' }],
    ['cpu', { backend: 'cpu', engine: 'tfjs' }],
    ['tfjs', null], // the old engine select's value: no longer an option, so Automatic
    ['', null],
    [null, null],
  ])('%j → %j', (value, pick) => {
    expect(parseBackendChoice(value)).toEqual(pick);
  });

  test('Automatic is the first option; every value is distinct', () => {
    expect(BACKEND_OPTIONS[0]).toEqual({ value: 'auto', label: 'Automatic (fastest measured)' });
    expect(new Set(BACKEND_OPTIONS.map((o) => o.value)).size).toBe(BACKEND_OPTIONS.length);
  });
});

describe('availableOptions(features, broken)', () => {
  test.each([
    [
      { webgpu: true, webgl2: true, wasm: true },
      ['auto', 'webgpu', 'webgpu-f16', 'tfjs-webgpu', 'wasm', 'tfjs-wasm', 'webgl', 'cpu'],
    ],
    [{ webgpu: false, webgl2: true, wasm: true }, ['auto', 'wasm', 'tfjs-wasm', 'webgl', 'cpu']],
    [{ webgpu: false, webgl2: false, wasm: false }, ['auto', 'cpu']],
  ])('%j → %j', (features, values) => {
    expect(availableOptions(features)).toEqual(values);
  });

  test('a backend that did not start is no longer offered', () => {
    const all = { webgpu: true, webgl2: true, wasm: true };
    expect(availableOptions(all, new Set(['webgpu'] as const))).toEqual([
      'auto',
      'wasm',
      'tfjs-wasm',
      'webgl',
      'cpu',
    ]);
  });
});

describe('brokenBackends(timings)', () => {
  const t = (name: BackendTiming['name'], msPerStep: number | null, error?: string): BackendTiming => ({
    name,
    adapter: '',
    software: false,
    msPerStep,
    error,
  });

  test('backends that failed are broken; a software WebGL left untimed on purpose is not', () => {
    const timings = [t('webgpu', null, 'no adapter'), t('webgl', null, WEBGL_NOT_TIMED), t('wasm', 50)];
    expect([...brokenBackends(timings)]).toEqual(['webgpu']);
  });
});

describe('choosingText(backends)', () => {
  test('says what is timed and how long it may take', () => {
    expect(choosingText(4)).toBe(
      'Choosing the fastest backend… timing up to 2 steps of this configuration on each of 4 backends, ' +
        'at most 1 s each.',
    );
    expect(choosingText(3, { steps: 1, budgetMs: 1500 })).toContain('timing one step');
    expect(choosingText(3, { steps: 1, budgetMs: 1500 })).toContain('at most 1.5 s each');
  });
});

describe('sameStepCost(a, b)', () => {
  const tiny = makeConfig('tiny');
  test.each([
    [{}, true],
    [{ maxIters: 9999, learningRate: 0.5, evalInterval: 7 }, true], // the loop's length, not a step's cost
    [{ batchSize: tiny.batchSize + 1 }, false],
    [{ nLayer: tiny.nLayer + 1 }, false],
    [{ dropout: 0.3 }, false],
  ])('tiny vs tiny with %j → %s', (changes, same) => {
    expect(sameStepCost(tiny, { ...tiny, ...changes })).toBe(same);
  });
});
