/**
 * The dropout counter hash of ../kernels/dropout.ts without TensorFlow.js: the same keys and the same
 * per-element residue, so the WebGPU engine draws exactly the masks the tfjs engine draws for a
 * (seed, step, salt). WGSL_HASH is the same function in WGSL (u32 arithmetic, every product < 2²⁴).
 */

/** The prime modulus and multipliers (equal to HASH_PRIME and HASH_MULTIPLIERS; a unit test pins them). */
export const P = 4091;
export const MUL = { A1: 2039, B1: 1093, E: 1777, A2: 1031, B2: 677, R2: 613 } as const;

/** Murmur3's 32-bit finaliser. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The two residues (k1, k2) that key one dropout site: same as dropoutKeys in ../kernels/dropout.ts. */
export function hashKeys(seed: number, step: number, salt: number): [number, number] {
  const h1 = mix((seed >>> 0) ^ mix((step >>> 0) ^ mix(salt + 0x9e3779b9)));
  const h2 = mix(h1 ^ 0x7f4a7c15);
  return [h1 % P, h2 % P];
}

/** x³ mod P for a residue x < P. */
function cube(h: number): number {
  return (((h * h) % P) * h) % P;
}

/** The hash residue of element (row r, column c) of a tensor viewed as (rows, cols). */
export function hashAt(r: number, c: number, k1: number, k2: number): number {
  const cc = c % P;
  const rLow = r % P;
  const h = cube((cc * MUL.A1 + rLow * MUL.B1 + k1) % P);
  return cube((h * MUL.E + cc * MUL.A2 + rLow * MUL.B2 + (Math.floor(r / P) % P) * MUL.R2 + k2) % P);
}

/** The drop threshold on the residue for a rate: round(rate·P). */
export function threshold(rate: number): number {
  return Math.round(rate * P);
}

/** WGSL: `dropScale(r, c, k1, k2, thr, scale)` → scale where kept, 0 where dropped. */
export const WGSL_HASH = /* wgsl */ `
fn cubeMod(h : u32) -> u32 { return (((h * h) % ${P}u) * h) % ${P}u; }
fn dropScale(r : u32, c0 : u32, k1 : u32, k2 : u32, thr : u32, scale : f32) -> f32 {
  let c = c0 % ${P}u;
  let rl = r % ${P}u;
  let rh = (r / ${P}u) % ${P}u;
  var h = cubeMod((c * ${MUL.A1}u + k1 + rl * ${MUL.B1}u) % ${P}u);
  h = cubeMod((h * ${MUL.E}u + c * ${MUL.A2}u + k2 + rl * ${MUL.B2}u + rh * ${MUL.R2}u) % ${P}u);
  return select(0.0, scale, h >= thr);
}
`;
