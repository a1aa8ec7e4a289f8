import { describe, expect, it } from 'vitest';
import {
  addRowVector,
  checkInt,
  checkMask,
  checkMatrix,
  checkRange,
  checkString,
  checkVector,
  cloneMatrix,
  concatCols,
  dot,
  mapMatrix,
  matmul,
  matVec,
  norm,
  shape,
  sliceCols,
  symmetricEigen,
  transpose,
  zeros,
} from '../../../src/lib/index';
import { expectClose } from '../helpers/close';

describe('matrix helpers', () => {
  it.each([
    [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
      [
        [19, 22],
        [43, 50],
      ],
    ],
    [[[1, 2, 3]], [[1], [0], [-1]], [[-2]]],
    [
      [[2], [3]],
      [[1, 4]],
      [
        [2, 8],
        [3, 12],
      ],
    ],
  ])('matmul %j @ %j', (a, b, want) => {
    expect(matmul(a, b)).toEqual(want);
  });

  it('transpose, shape, zeros, clone, map, dot, norm, matVec, slice, concat, addRowVector', () => {
    const a = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    expect(transpose(a)).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(shape(a)).toEqual([2, 3]);
    expect(shape([])).toEqual([0, 0]);
    expect(zeros(2, 1, 7)).toEqual([[7], [7]]);
    const c = cloneMatrix(a);
    c[0][0] = 99;
    expect(a[0][0]).toBe(1);
    expect(mapMatrix(a, (x, i, j) => x * 10 + i + j)).toEqual([
      [10, 21, 32],
      [41, 52, 63],
    ]);
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(norm([3, 4])).toBe(5);
    expect(matVec(a, [1, 0, -1])).toEqual([-2, -2]);
    expect(sliceCols(a, 1, 3)).toEqual([
      [2, 3],
      [5, 6],
    ]);
    expect(
      concatCols([
        [[1], [2]],
        [
          [3, 4],
          [5, 6],
        ],
      ]),
    ).toEqual([
      [1, 3, 4],
      [2, 5, 6],
    ]);
    expect(addRowVector(a, [1, 1, 1])).toEqual([
      [2, 3, 4],
      [5, 6, 7],
    ]);
  });

  it('symmetricEigen recovers A = V Λ Vᵀ with descending eigenvalues', () => {
    const a = [
      [4, 1, 2],
      [1, 3, 0],
      [2, 0, 5],
    ];
    const { values, vectors } = symmetricEigen(a);
    expect(values[0]).toBeGreaterThanOrEqual(values[1]);
    expect(values[1]).toBeGreaterThanOrEqual(values[2]);
    expectClose(
      values.reduce((s, x) => s + x, 0),
      12,
      1e-12,
    ); // trace
    vectors.forEach((v, i) =>
      expectClose(
        matVec(a, v),
        v.map((x) => x * values[i]),
        1e-10,
        1e-12,
      ),
    );
    expectClose(
      symmetricEigen([
        [2, 0],
        [0, 5],
      ]).values,
      [5, 2],
    );
  });

  it.each([
    ['matmul inner mismatch', () => matmul([[1, 2]], [[1, 2]]), /matmul: b must have shape \(2, m\)/],
    ['matmul empty', () => matmul([], [[1]]), /matmul: a must be a non-empty matrix/],
    ['ragged', () => transpose([[1, 2], [3]]), /transpose: a must be rectangular: row 1/],
    ['NaN entry', () => matmul([[NaN]], [[1]]), /a\[0\]\[0\] must be a number, got NaN/],
    ['dot lengths', () => dot([1], [1, 2]), /dot: b must have length 1/],
    ['concat none', () => concatCols([]), /concatCols: ms must contain at least one matrix/],
    ['concat rows', () => concatCols([[[1]], [[1], [2]]]), /ms\[1\] must have 1 rows/],
    ['eigen not square', () => symmetricEigen([[1, 2]]), /a must be square/],
    ['matVec length', () => matVec([[1, 2]], [1]), /matVec: v must have length 2/],
    ['addRowVector length', () => addRowVector([[1, 2]], [1]), /addRowVector: v must have length 2/],
  ])('rejects bad input: %s', (_name, f, msg) => {
    expect(f).toThrow(msg);
  });
});

describe('validation helpers name the argument and the expectation', () => {
  it.each([
    [
      () => checkMatrix('f', 'k', [[1, 2]], { rows: 3, cols: 2, rowLabel: 'S', colLabel: 'd_k' }),
      'f: k must have shape (S=3, d_k=2), got (1, 2)',
    ],
    [() => checkMatrix('f', 'x', [[Infinity]]), 'f: x[0][0] must be finite, got Infinity'],
    [
      () => checkMatrix('f', 'x', [[]]),
      'f: x must be a non-empty matrix of shape (rows, cols), got an array of length 1',
    ],
    [() => checkVector('f', 'v', []), 'f: v must be a non-empty array, got an array of length 0'],
    [() => checkVector('f', 'v', [1, -Infinity]), 'f: v[1] must be finite, got -Infinity'],
    [() => checkRange('f', 'p', 1.5, 0, 1), 'f: p must be in [0, 1], got 1.5'],
    [
      () => checkRange('f', 't', 0, 0, Infinity, { loOpen: true, hiOpen: true }),
      'f: t must be in (0, Infinity), got 0',
    ],
    [() => checkRange('f', 'p', NaN, 0, 1), 'f: p must be a number, got NaN'],
    [() => checkInt('f', 'k', 2.5, 1, 4), 'f: k must be an integer in [1, 4], got 2.5'],
    [() => checkInt('f', 'n', -1), 'f: n must be an integer >= 0, got -1'],
    [
      () => checkMask('f', 'mask', [[true]], 2, 1),
      'f: mask must have shape (2, 1), got an array of length 1',
    ],
    [
      () => checkMask('f', 'mask', [[1 as unknown as boolean]], 1, 1),
      'f: mask[0][0] must be a boolean, got 1',
    ],
    [
      () => checkMask('f', 'mask', [[true, true]], 1, 1),
      'f: mask must have shape (1, 1): row 0 is an array of length 2',
    ],
    [() => checkString('f', 'text', 5 as unknown as string), 'f: text must be a string, got 5'],
  ])('%#', (f, message) => {
    expect(f).toThrow(new RangeError(message));
  });

  it('accepts infinity only when allowed', () => {
    expect(checkMatrix('f', 'x', [[-Infinity, 1]], { allowInfinity: true })).toEqual([1, 2]);
    expect(checkVector('f', 'v', [Infinity], 1, true)).toBe(1);
  });
});
