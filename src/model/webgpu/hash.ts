/**
 * The dropout counter hash of ../dropout-hash.ts per element (the tfjs engine's masks come from the same
 * hash): the same keys and the same residue, so the WebGPU engine draws exactly the masks the tfjs engine draws for a
 * (seed, step, salt). WGSL_HASH is the same function in WGSL (u32 arithmetic, every product < 2²⁴).
 */

import { dropoutKeys, dropoutThreshold, HASH_MULTIPLIERS, HASH_PRIME } from '../dropout-hash';

/** The prime modulus and multipliers of ../dropout-hash.ts. */
export const P = HASH_PRIME;
export const MUL = HASH_MULTIPLIERS;

/** The two residues (k1, k2) that key one dropout site (dropoutKeys of ../dropout-hash.ts). */
export function hashKeys(seed: number, step: number, salt: number): [number, number] {
  return dropoutKeys({ seed, step, salt });
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
export const threshold = dropoutThreshold;

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
