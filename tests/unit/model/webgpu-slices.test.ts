import { describe, expect, test } from 'vitest';
import { rowSlices } from '../../../src/model/webgpu/plan';
import { batchGraph, tokenRows } from '../../../src/model/webgpu/slices';
import { forwardGraph, stepGraph } from '../../../src/model/webgpu/graph';
import { graphContext } from '../helpers/graph-context';

/** The tiny preset with dropout, 5 sequences: 3 slices of at most 2. */
const g = () => graphContext('tiny', false, {}, { batchSize: 5, dropout: 0.1 });

describe('a batch in row slices (activations sized for sliceB sequences)', () => {
  test('one slice is exactly the unsliced training step', () => {
    const whole = [...forwardGraph(g()), ...stepGraph(g())];
    const one = batchGraph(g(), 'train', rowSlices(5, 5));
    expect(one.map((d) => [d.kernel.key, d.uniforms, d.grid])).toEqual(
      whole.map((d) => [d.kernel.key, d.uniforms, d.grid]),
    );
  });

  test('three slices: forward, loss and backward per slice, then one AdamW; later slices accumulate', () => {
    const ctx = g();
    const L = ctx.cfg.nLayer;
    const d = batchGraph(ctx, 'train', rowSlices(5, 2));
    // forward (embedding, 7 per layer, final LayerNorm, head); loss + mean; backward (head, final LayerNorm, 7
    // per layer, embedding)
    const perSlice = 7 * L + 3 + 2 + (7 * L + 3);
    expect(d.length).toBe(3 * perSlice + 1);
    expect(d.at(-1)!.kernel.key).toBe('adamw');
    const keys = (s: number) => d.slice(s * perSlice, (s + 1) * perSlice).map((x) => x.kernel.key);
    // the first slice writes every gradient and the loss; the others add to them
    expect(keys(0).some((k) => k.includes('_acc'))).toBe(false);
    for (const s of [1, 2]) {
      const k = keys(s);
      for (const re of [/^linearBwd/, /^lnBwd/, /^embedBwd/, /^mean/])
        expect(
          k.filter((x) => re.test(x)).every((x) => x.includes('_acc')),
          `${s} ${re}`,
        ).toBe(true);
    }
  });

  test('each slice reads its own ids, targets and dropout rows; the loss is the whole batch’s mean', () => {
    const ctx = g();
    const { blockSize: T, nHead: H } = ctx.cfg;
    const d = batchGraph(ctx, 'train', rowSlices(5, 2));
    const of = (prefix: string) => d.filter((x) => x.kernel.key.startsWith(prefix));
    expect(of('embedFwd').map((x) => [x.uniforms.g0, x.uniforms.count])).toEqual([
      [0, 2 * T * ctx.cfg.nEmbd],
      [2 * T, 2 * T * ctx.cfg.nEmbd],
      [4 * T, 1 * T * ctx.cfg.nEmbd],
    ]);
    expect(of('crossEntropy').map((x) => [x.uniforms.g0, x.uniforms.N, x.uniforms.invN])).toEqual(
      [0, 2, 4].map((b0) => [b0 * T, (b0 === 4 ? 1 : 2) * T, 1 / (5 * T)]),
    );
    expect(of('mean').map((x) => x.uniforms.inv)).toEqual([1, 1, 1].map(() => 1 / (5 * T)));
    // dropout rows continue where the previous slice's ended: (B·T) rows, (B·H·T) attention rows
    const dropped = of('matmul').filter((x) => x.kernel.key.includes('drop'));
    expect(new Set(dropped.map((x) => x.uniforms.hr0))).toEqual(new Set([0, 2 * T, 4 * T]));
    expect(new Set(of('attnFwd').map((x) => x.uniforms.hr0))).toEqual(new Set([0, 2 * H * T, 4 * H * T]));
    expect(new Set(of('lnBwd').map((x) => x.uniforms.hr0))).toEqual(new Set([0, 2 * T, 4 * T]));
    expect(of('embedBwd').map((x) => x.uniforms.s0)).toEqual(
      [0, 1, 2].map((s) => s * (ctx.cfg.vocabSize + 1)),
    );
  });

  test('eval mode: the loss of every slice added into one slot, no backward', () => {
    const d = batchGraph({ ...g(), training: false }, 'eval', rowSlices(5, 2));
    expect(d.filter((x) => x.kernel.key.startsWith('mean')).map((x) => x.kernel.key)).toEqual([
      'mean',
      'mean_acc',
      'mean_acc',
    ]);
    expect(d.some((x) => /Bwd|adamw/.test(x.kernel.key))).toBe(false);
  });

  test.each<[string, number[], number, number]>([
    ['one slice', [2, 0, 2, 1], 3, 4],
    ['two slices of 2 rows', [2, 0, 2, 1], 3, 2],
    ['a short last slice', [1, 1, 0, 2, 2], 3, 2],
  ])(
    'tokenRows, %s: each slice’s rows grouped by token, slice-local, offsets into order',
    (_l, ids, V, per) => {
      const { order, start } = tokenRows(Int32Array.from(ids), V, per);
      const slices = Math.ceil(ids.length / per);
      expect(start.length).toBe(slices * (V + 1));
      for (let s = 0; s < slices; s++) {
        for (let v = 0; v < V; v++) {
          const rows = [...order.slice(start[s * (V + 1) + v], start[s * (V + 1) + v + 1])];
          const want = ids
            .map((id, r) => [id, r] as const)
            .filter(([id, r]) => id === v && Math.floor(r / per) === s)
            .map(([, r]) => r - s * per);
          expect(rows).toEqual(want);
        }
      }
    },
  );
});
