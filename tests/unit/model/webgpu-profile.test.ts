import { describe, expect, test } from 'vitest';
import { aggregateTimestamps, type GpuTimeEntry } from '../../../src/model/webgpu/profile';
import { makeConfig } from '../../../src/model/config';
import { forwardGraph, stepGraph, withRole, type GraphContext } from '../../../src/model/webgpu/graph';
import { paramLayout } from '../../../src/model/webgpu/plan';

const byName = (xs: GpuTimeEntry[]) => Object.fromEntries(xs.map((x) => [x.name, x]));

/** A case: stamps in, and per kernel key / role the expected [ms, count, share]. */
interface Case {
  name: string;
  stamps: (bigint | number)[];
  keys: string[];
  roles: string[];
  kernels: Record<string, number[]>;
  byRole: Record<string, number[]>;
  totalMs: number;
  spanMs: number;
  invalid: number;
}

describe('aggregateTimestamps: GPU ms per kernel key and role from (begin, end) pairs', () => {
  test.each<Case>([
    {
      name: 'bigint ns, two keys, two roles',
      stamps: [1_000_000n, 3_000_000n, 3_000_000n, 4_000_000n, 5_000_000n, 6_000_000n],
      keys: ['matmul', 'lnFwd', 'matmul'],
      roles: ['forward', 'forward', 'backward'],
      kernels: { matmul: [3, 2, 0.75], lnFwd: [1, 1, 0.25] },
      byRole: { forward: [3, 2, 0.75], backward: [1, 1, 0.25] },
      totalMs: 4,
      spanMs: 5,
      invalid: 0,
    },
    {
      name: 'end before begin (wrap or reset) counts 0 ms and invalid; no role is "other"',
      stamps: [10, 20, 50, 40, 60, 90],
      keys: ['a', 'b', 'a'],
      roles: [],
      kernels: { a: [40e-6, 2, 1], b: [0, 1, 0] },
      byRole: { other: [40e-6, 3, 1] },
      totalMs: 40e-6,
      spanMs: 80e-6,
      invalid: 1,
    },
    {
      name: 'all-zero stamps (nothing written) give zero ms and zero shares, not NaN',
      stamps: [0, 0, 0, 0],
      keys: ['a', 'b'],
      roles: ['x', 'x'],
      kernels: { a: [0, 1, 0], b: [0, 1, 0] },
      byRole: { x: [0, 2, 0] },
      totalMs: 0,
      spanMs: 0,
      invalid: 0,
    },
    {
      name: 'stamps beyond 2^53 ns keep their differences exact',
      stamps: [2n ** 60n, 2n ** 60n + 1_500_000n],
      keys: ['attnBwd_64'],
      roles: ['backward'],
      kernels: { attnBwd_64: [1.5, 1, 1] },
      byRole: { backward: [1.5, 1, 1] },
      totalMs: 1.5,
      spanMs: 1.5,
      invalid: 0,
    },
  ])('$name', (c) => {
    const p = aggregateTimestamps(c.stamps, c.keys, c.roles);
    const check = (got: ReturnType<typeof byName>, want: Record<string, number[]>) => {
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      for (const [k, [ms, count, share]] of Object.entries(want)) {
        expect(got[k].ms).toBeCloseTo(ms, 9);
        expect(got[k].count).toBe(count);
        expect(got[k].share).toBeCloseTo(share, 9);
      }
    };
    check(byName(p.kernels), c.kernels);
    check(byName(p.roles), c.byRole);
    expect(p.totalMs).toBeCloseTo(c.totalMs, 9);
    expect(p.spanMs).toBeCloseTo(c.spanMs, 9);
    expect(p.invalid).toBe(c.invalid);
    expect(p.dispatches).toBe(c.keys.length);
    // Most time first.
    expect(p.kernels.map((k) => k.ms)).toEqual([...p.kernels.map((k) => k.ms)].sort((a, b) => b - a));
  });

  test('too few stamps for the dispatches is a clear error', () => {
    expect(() => aggregateTimestamps([1, 2, 3], ['a', 'b'])).toThrow(/3 stamps for 2 dispatches/);
  });
});

describe('the training graph tags every dispatch with its role', () => {
  test('tiny: forward, loss, backward, adamw in that order', () => {
    const cfg = makeConfig('tiny');
    const fake = { label: 'x' } as unknown as GPUBuffer;
    const g: GraphContext = {
      cfg,
      layout: paramLayout(cfg),
      buf: { get: () => fake },
      B: cfg.batchSize,
      T: cfg.blockSize,
      training: true,
      tiled: false,
    };
    const roles = [...withRole('forward', forwardGraph(g)), ...stepGraph(g)].map((d) => d.role);
    const runs = roles.filter((r, i) => r !== roles[i - 1]);
    expect(runs).toEqual(['forward', 'loss', 'backward', 'adamw']);
  });
});
