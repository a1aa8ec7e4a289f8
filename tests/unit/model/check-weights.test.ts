import { describe, expect, test } from 'vitest';
import {
  checkOptimizerState,
  checkWeights,
  type AdamWState,
  type WeightMap,
} from '../../../src/model/engine';
import { ADAMW_DEFAULTS } from '../../../src/model/engine';

const params = [
  { name: 'a', shape: [2, 3] },
  { name: 'b', shape: [4] },
];
const w = (shape: number[], n = shape.reduce((x, y) => x * y, 1)) => ({ shape, data: new Float32Array(n) });

describe('the weights and optimiser state every hand-written engine checks before writing', () => {
  test.each([
    ['an unknown name', new Map([['c', w([4])]]), false, /setWeights: unknown parameter c/],
    ['a wrong shape', new Map([['a', w([3, 2])]]), false, /a has shape \[3,2\], the model expects \[2,3\]/],
    ['a wrong size', new Map([['b', w([4], 3)]]), false, /b has 3 values, expected 4/],
    ['a missing weight when all are required', new Map([['a', w([2, 3])]]), true, /the weights lack b/],
  ] as [string, WeightMap, boolean, RegExp][])('refuses %s, naming it', (_, weights, all, message) => {
    expect(() => checkWeights(weights, params, all)).toThrow(message);
  });

  test('accepts a subset, and every weight when all are required', () => {
    expect(() => checkWeights(new Map([['b', w([4])]]), params)).not.toThrow();
    expect(() =>
      checkWeights(
        new Map([
          ['a', w([2, 3])],
          ['b', w([4])],
        ]),
        params,
        true,
      ),
    ).not.toThrow();
  });

  const state = (step: number, bSize = 4): AdamWState => ({
    step,
    m: { a: w([2, 3]), b: w([4], bSize) },
    v: { a: w([2, 3]), b: w([4]) },
    options: ADAMW_DEFAULTS,
  });
  test.each([
    ['a negative step', state(-1), /step must be a non-negative integer, got -1/],
    ['a fractional step', state(1.5), /got 1.5/],
    ['a moment of the wrong size', state(2, 5), /m for b has 5 values, expected 4/],
    ['a missing moment', { ...state(2), v: { a: w([2, 3]) } }, /missing v for b/],
  ] as [string, AdamWState, RegExp][])('refuses an optimiser state with %s', (_, s, message) => {
    expect(() => checkOptimizerState(s, params)).toThrow(message);
  });

  test('accepts a complete optimiser state', () => {
    expect(() => checkOptimizerState(state(3), params)).not.toThrow();
  });
});
