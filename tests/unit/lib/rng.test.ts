import { describe, expect, it } from 'vitest';
import { createRng, erf, erfc } from '../../../src/lib/index';
import { expectClose } from '../helpers/close';
import { loadGolden } from '../helpers/golden';

const golden = loadGolden('rng');
const special = loadGolden('activations').erf;

describe('createRng (mulberry32)', () => {
  it.each(golden.cases as { seed: number; values: number[] }[])(
    'seed $seed matches the Python reference stream',
    ({ seed, values }) => {
      const rng = createRng(seed);
      expect(values.map(() => rng.next())).toEqual(values);
    },
  );

  it('is deterministic, seed-sensitive, and resumable from its state', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const xs = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(xs);
    const saved = a.state;
    const next = [a.next(), a.normal(), a.int(10)];
    const d = createRng(0);
    d.state = saved;
    expect([d.next(), d.normal(), d.int(10)]).toEqual(next);
  });

  it('draws uniforms in [0, 1), integers in range and roughly standard normals', () => {
    const rng = createRng(123);
    const u = Array.from({ length: 5000 }, () => rng.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const ints = Array.from({ length: 1000 }, () => rng.int(3));
    expect(new Set(ints)).toEqual(new Set([0, 1, 2]));
    const z = Array.from({ length: 20000 }, () => rng.normal(2, 3));
    const mean = z.reduce((s, x) => s + x, 0) / z.length;
    const sd = Math.sqrt(z.reduce((s, x) => s + (x - mean) ** 2, 0) / z.length);
    expect(Math.abs(mean - 2)).toBeLessThan(0.1);
    expect(Math.abs(sd - 3)).toBeLessThan(0.1);
  });

  it.each([
    ['NaN seed', () => createRng(NaN), /createRng: seed must be a number, got NaN/],
    ['bad int', () => createRng(1).int(0), /rng.int: n must be an integer >= 1/],
    [
      'bad state',
      () => {
        createRng(1).state = -1;
      },
      /rng.state: must be an unsigned 32-bit integer/,
    ],
  ])('rejects %s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});

describe('erf / erfc', () => {
  it('match torch.erf and torch.special.erfc', () => {
    expectClose(special.xs.map(erf), special.erf, 1e-12, 1e-15);
    expectClose(special.xs.map(erfc), special.erfc, 1e-9, 1e-300);
  });
  it('handle infinities and reject NaN', () => {
    expect([erf(Infinity), erf(-Infinity), erfc(Infinity), erfc(-Infinity)]).toEqual([1, -1, 0, 2]);
    expect(() => erf(NaN)).toThrow(/erf: x must be a number, got NaN/);
  });
});
