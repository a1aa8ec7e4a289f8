import { describe, expect, test } from 'vitest';
import { forwardGraph, stepGraph, type GraphContext } from '../../../src/model/webgpu/graph';
import { kernelSource } from '../../../src/model/webgpu/kernels';
import { graphContext as context } from '../helpers/graph-context';

/** A training step as the engine encodes it: forward, then loss, backward and the fused AdamW. */
const trainStep = (g: GraphContext) => [...forwardGraph(g), ...stepGraph(g)];

describe('the WebGPU engine’s training step, counted from its graph (one submit per step)', () => {
  test.each([
    ['tiny', 2, 7 * 2 + 7 * 2 + 8],
    ['small', 4, 7 * 4 + 7 * 4 + 8],
    ['notes', 8, 120],
  ] as const)('%s (%i layers): %i dispatches, 14 per layer + 8', (preset, L, want) => {
    for (const tiled of [true, false]) {
      for (const features of [{}, { subgroups: true }, { subgroups: true, f16: true }]) {
        const g = context(preset, tiled, features);
        expect(g.cfg.nLayer).toBe(L);
        expect(trainStep(g).length).toBe(want);
      }
    }
  });

  test('with features the variants are chosen: subgroup reductions, f16 matmuls', () => {
    const keys = trainStep(context('small', true, { subgroups: true, f16: true })).map((d) => d.kernel.key);
    expect(keys).toContain('lnFwd_sg');
    expect(keys).toContain('crossEntropy_sg_grad');
    expect(keys).toContain('mean_sg');
    expect(keys.filter((k) => /^(matmul|linearBwd)/.test(k)).every((k) => k.includes('F16'))).toBe(true);
    const plain = trainStep(context('small', true)).map((d) => d.kernel.key);
    expect(plain.some((k) => k.includes('_sg') || k.includes('F16'))).toBe(false);
  });

  test('notes: at most 120 dispatches (the issue’s target; 204 before the fusions)', () => {
    expect(trainStep(context('notes', true)).length).toBeLessThanOrEqual(120);
  });

  test.each(['tiny', 'small', 'notes'] as const)(
    '%s: every dispatch binds each of its kernel’s bindings, at most 8 storage buffers, within the grid limit',
    (preset) => {
      for (const d of trainStep(context(preset, true))) {
        for (const b of d.kernel.bindings) expect(d.bind[b.name], `${d.kernel.key}.${b.name}`).toBeDefined();
        expect(d.kernel.bindings.length, d.kernel.key).toBeLessThanOrEqual(8);
        expect(
          d.grid.every((n) => n >= 1 && n <= 65535),
          d.kernel.key,
        ).toBe(true);
        for (const [name] of d.kernel.uniforms)
          expect(d.uniforms[name] ?? 0, `${d.kernel.key}.${name}`).not.toBeNaN();
      }
    },
  );

  test('the fused kernels appear: one Linear backward per Linear, one attention backward and two LayerNorm backwards per layer, no embedding backward before the fused AdamW', () => {
    const g = context('small', true);
    const keys = stepGraph(g).map((d) => d.kernel.key);
    const count = (re: RegExp) => keys.filter((k) => re.test(k)).length;
    expect(count(/^linearBwd/)).toBe(4 * 4 + 1);
    expect(count(/^linearBwd_bias/)).toBe(3 * 4 + 1);
    expect(count(/^attnBwd_/)).toBe(4);
    expect(count(/^lnBwd/)).toBe(2 * 4 + 1);
    expect(keys).not.toContain('embedBwd');
    expect(keys.at(-1)).toBe('adamw_embed');
    // Every generated source declares each binding once and a barrier only where the kernel needs one.
    for (const d of stepGraph(g)) {
      const src = kernelSource(d.kernel);
      for (const b of d.kernel.bindings)
        expect(src.match(new RegExp(`var<storage[^>]*> ${b.name} :`, 'g'))).toHaveLength(1);
    }
  });
});
