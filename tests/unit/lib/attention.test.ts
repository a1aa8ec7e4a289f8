import { describe, expect, it } from 'vitest';
import {
  additiveAttention,
  causalMask,
  crossAttention,
  hardAttention,
  localAttention,
  multiHeadAttention,
  multiplicativeAttention,
  scaledDotProductAttention,
  selfAttention,
  windowMask,
  type LuongVariant,
} from '../../../src/lib/index';
import { expectClose } from '../helpers/close';
import { cases, loadGolden } from '../helpers/golden';

const g = loadGolden('attention');
const RTOL = 1e-9;
const ATOL = 1e-12;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function expectStages(r: any, want: any): void {
  for (const key of ['scores', 'scaled', 'masked', 'weights', 'output']) {
    if (want[key] !== undefined) expectClose(r[key], want[key], RTOL, ATOL);
  }
}

describe('scaled dot-product attention against PyTorch', () => {
  it.each(cases(g.sdpa))('$name', (c) => {
    const r = scaledDotProductAttention(c.q, c.k, c.v, { mask: c.mask, causal: c.causal, scale: c.scale });
    expectStages(r, c);
    expect(r.q).toBe(c.q);
    expect(r.fullyMaskedRows).toEqual(c.fullyMaskedRows ?? []);
    expect(r.scale).toBe(c.scale ?? 1 / Math.sqrt(c.q[0].length));
    r.weights.forEach((row, i) => {
      if (!r.fullyMaskedRows.includes(i))
        expectClose(
          row.reduce((s, x) => s + x, 0),
          1,
          1e-12,
        );
    });
  });

  it('self-attention projects x then attends', () => {
    const c = g.self;
    const r = selfAttention(c.x, { wq: c.wq, wk: c.wk, wv: c.wv }, { causal: true });
    expectClose([r.q, r.k, r.v], [c.q, c.k, c.v], RTOL, ATOL);
    expectStages(r, c);
    expect(r.mask).toEqual(causalMask(4));
  });

  it('cross-attention takes queries from x and keys/values from the context', () => {
    const c = g.cross;
    const r = crossAttention(c.x, c.context, { wq: c.wq, wk: c.wk, wv: c.wv });
    expectClose([r.q, r.k, r.v], [c.q, c.k, c.v], RTOL, ATOL);
    expectStages(r, c);
    expect([r.weights.length, r.weights[0].length]).toEqual([4, 5]);
  });

  it.each(cases(g.multiHead))('multi-head $name equals nn.MultiheadAttention', (c) => {
    const r = multiHeadAttention(
      c.x,
      { wq: c.wq, wk: c.wk, wv: c.wv, wo: c.wo, bq: c.bq, bk: c.bk, bv: c.bv, bo: c.bo },
      c.numHeads,
      { context: c.context ?? undefined, causal: c.causal },
    );
    expectClose([r.q, r.k, r.v], [c.q, c.k, c.v], RTOL, ATOL);
    expect(r.headDim).toBe(6 / c.numHeads);
    expectClose(
      r.heads.map((h) => h.weights),
      c.headWeights,
      RTOL,
      ATOL,
    );
    expectClose(
      r.heads.map((h) => h.output),
      c.headOutputs,
      RTOL,
      ATOL,
    );
    expectClose(r.concat, c.concat, RTOL, ATOL);
    expectClose(r.output, c.output, RTOL, ATOL);
  });

  it('additive (Bahdanau) attention', () => {
    const c = g.additive;
    const r = additiveAttention(
      c.q,
      c.k,
      c.v,
      { wq: c.wq, wk: c.wk, va: c.va, bias: c.bias },
      { mask: c.mask },
    );
    expectClose([r.projQ, r.projK], [c.projQ, c.projK], RTOL, ATOL);
    expectClose(r.hidden, c.hidden, RTOL, ATOL);
    expectStages(r, c);
    expect(r.scaled).toEqual(r.scores);
  });

  it.each(cases(g.multiplicative))('multiplicative (Luong) $variant', (c) => {
    const r = multiplicativeAttention(c.q, c.k, c.v, c.variant as LuongVariant, { w: c.w });
    expectClose(r.transformedQ, c.transformedQ, RTOL, ATOL);
    expectStages(r, c);
  });

  it.each(cases(g.local))('local attention window $window causal $causal', (c) => {
    const r = localAttention(c.q, c.k, c.v, c.window, { causal: c.causal });
    expect(r.mask).toEqual(c.mask);
    expect(r.window).toBe(c.window);
    expectStages(r, c);
  });

  it.each(cases(g.hard))('hard vs soft: $name', (c) => {
    const r = hardAttention(c.q, c.k, c.v, { mask: c.mask ?? undefined });
    expect(r.argmax).toEqual(c.argmax);
    expectClose(r.hardWeights, c.hardWeights, 0, 0);
    expectClose(r.hardOutput, c.hardOutput, RTOL, ATOL);
    expectClose(r.weights, c.weights, RTOL, ATOL);
    expectClose(r.output, c.output, RTOL, ATOL);
  });
});

describe('attention: masks and behaviour', () => {
  it('causal and window masks', () => {
    expect(causalMask(2, 3)).toEqual([
      [true, false, false],
      [true, true, false],
    ]);
    expect(windowMask(3, 3, 1)).toEqual([
      [true, true, false],
      [true, true, true],
      [false, true, true],
    ]);
    expect(windowMask(3, 3, 1, true)).toEqual([
      [true, false, false],
      [true, true, false],
      [false, true, true],
    ]);
  });

  it('combines an explicit mask with causal, and a fully masked row yields zeros', () => {
    const q = [
      [1, 0],
      [0, 1],
    ];
    const r = scaledDotProductAttention(q, q, [[1], [2]], {
      mask: [
        [false, true],
        [true, true],
      ],
      causal: true,
    });
    expect(r.mask).toEqual([
      [false, false],
      [true, true],
    ]);
    expect(r.fullyMaskedRows).toEqual([0]);
    expect(r.weights[0]).toEqual([0, 0]);
    expect(r.output[0]).toEqual([0]);
    expect(r.masked[0]).toEqual([-Infinity, -Infinity]);
  });

  it('local attention combines a window with an extra mask', () => {
    const x = [[1], [2], [3]];
    const r = localAttention(x, x, x, 1, {
      mask: [
        [true, false, true],
        [true, true, true],
        [true, true, true],
      ],
    });
    expect(r.mask?.[0]).toEqual([true, false, false]);
    expect(r.weights[0]).toEqual([1, 0, 0]);
  });

  it('hard attention marks a fully masked row with argmax −1', () => {
    const r = hardAttention([[1]], [[1], [2]], [[5], [7]], { mask: [[false, false]] });
    expect(r.argmax).toEqual([-1]);
    expect(r.hardOutput).toEqual([[0]]);
  });

  it('multi-head works without biases', () => {
    const eye = [
      [1, 0],
      [0, 1],
    ];
    const x = [
      [1, 2],
      [3, 4],
    ];
    const r = multiHeadAttention(x, { wq: eye, wk: eye, wv: eye, wo: eye }, 2);
    expect(r.heads).toHaveLength(2);
    expectClose(r.output, r.concat, 0, 0);
  });
});

describe('attention: bad input names the argument and the expected shape', () => {
  const q = [
    [1, 2],
    [3, 4],
  ];
  const eye = [
    [1, 0],
    [0, 1],
  ];
  it.each([
    [
      'empty q',
      () => scaledDotProductAttention([], q, q),
      /scaledDotProductAttention: q must be a non-empty matrix of shape \(T, d_k\)/,
    ],
    [
      'mismatched d_k',
      () => scaledDotProductAttention(q, [[1, 2, 3]], [[1]]),
      /k must have shape \(S, d_k=2\), got \(1, 3\)/,
    ],
    ['v rows', () => scaledDotProductAttention(q, q, [[1]]), /v must have shape \(S=2, d_v\), got \(1, 1\)/],
    ['NaN in q', () => scaledDotProductAttention([[NaN, 1]], q, q), /q\[0\]\[0\] must be a number, got NaN/],
    ['scale 0', () => scaledDotProductAttention(q, q, q, { scale: 0 }), /scale must be > 0, got 0/],
    [
      'mask shape',
      () => scaledDotProductAttention(q, q, q, { mask: [[true, true]] }),
      /mask must have shape \(2, 2\)/,
    ],
    [
      'causal type',
      () => scaledDotProductAttention(q, q, q, { causal: 1 as unknown as boolean }),
      /causal must be a boolean/,
    ],
    [
      'self wq rows',
      () => selfAttention(q, { wq: [[1]], wk: eye, wv: eye }),
      /selfAttention: wq must have shape \(d_x=2, d_k\), got \(1, 1\)/,
    ],
    [
      'self wk cols',
      () => selfAttention(q, { wq: eye, wk: [[1], [1]], wv: eye }),
      /wk must have shape \(d_x=2, d_k=2\)/,
    ],
    [
      'cross context',
      () => crossAttention(q, [[1, 2, 3]], { wq: eye, wk: eye, wv: eye }),
      /crossAttention: wk must have shape \(d_c=3, d_k=2\)/,
    ],
    [
      'heads divide',
      () => multiHeadAttention(q, { wq: eye, wk: eye, wv: eye, wo: eye }, 3),
      /numHeads must divide d_model=2, got 3/,
    ],
    [
      'heads 0',
      () => multiHeadAttention(q, { wq: eye, wk: eye, wv: eye, wo: eye }, 0),
      /numHeads must be an integer >= 1, got 0/,
    ],
    [
      'wo rows',
      () => multiHeadAttention(q, { wq: eye, wk: eye, wv: eye, wo: [[1]] }, 1),
      /wo must have shape \(d_model=2, d_out\)/,
    ],
    [
      'bias length',
      () => multiHeadAttention(q, { wq: eye, wk: eye, wv: eye, wo: eye, bq: [1] }, 1),
      /multiHeadAttention: bq must have length 2/,
    ],
    [
      'additive va',
      () => additiveAttention(q, q, q, { wq: eye, wk: eye, va: [1] }),
      /additiveAttention: va must have length 2/,
    ],
    [
      'additive wk',
      () => additiveAttention(q, q, q, { wq: eye, wk: [[1, 2, 3]], va: [1, 1] }),
      /wk must have shape \(d_k=2, d_a=2\)/,
    ],
    [
      'additive bias',
      () => additiveAttention(q, q, q, { wq: eye, wk: eye, va: [1, 1], bias: [1] }),
      /bias must have length 2/,
    ],
    ['luong general w', () => multiplicativeAttention(q, q, q, 'general'), /w \(d_q=2, d_k=2\) is required/],
    [
      'luong dot dims',
      () => multiplicativeAttention(q, [[1, 2, 3]], [[1]], 'dot'),
      /k must have shape \(S, d_k=2\) to match q for 'dot'/,
    ],
    [
      'luong variant',
      () => multiplicativeAttention(q, q, q, 'concat' as LuongVariant),
      /variant must be 'dot', 'general' or 'scaled-dot'/,
    ],
    [
      'window negative',
      () => localAttention(q, q, q, -1),
      /localAttention: window must be an integer >= 0, got -1/,
    ],
    [
      'local mask',
      () => localAttention(q, q, q, 1, { mask: [[true]] }),
      /localAttention: mask must have shape \(2, 2\)/,
    ],
    ['causalMask t', () => causalMask(0), /causalMask: t must be an integer >= 1, got 0/],
  ])('%s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});
