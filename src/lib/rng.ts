/** A small seedable pseudo-random generator (mulberry32) with a serializable state. */
import { checkNumber } from './validate';

/** A seeded random source; `state` can be read and written to checkpoint or replay a stream. */
export interface Rng {
  /** Uniform draw in [0, 1). */
  next(): number;
  /** Normal draw N(mean, std²) by Box–Muller (consumes two uniforms). */
  normal(mean?: number, std?: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** The 32-bit generator state (an unsigned integer); assign it to resume a stream. */
  state: number;
}

/** Create a mulberry32 generator from an integer seed (coerced to 32 bits); same seed, same stream. */
export function createRng(seed: number): Rng {
  checkNumber('createRng', 'seed', seed);
  let s = Math.trunc(seed) >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    normal(mean = 0, std = 1) {
      const u1 = 1 - next(); // (0, 1]: log is finite
      const u2 = next();
      return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    int(n: number) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`rng.int: n must be an integer >= 1, got ${n}`);
      return Math.floor(next() * n);
    },
    get state() {
      return s;
    },
    set state(value: number) {
      if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
        throw new RangeError(`rng.state: must be an unsigned 32-bit integer, got ${value}`);
      }
      s = value;
    },
  };
}
