/**
 * Dropout as one WGSL dispatch: the hash of ../dropout.ts computed with exact u32 arithmetic (every
 * intermediate < P² < 2²⁴, so it equals the integer replay in ../dropout-mask.ts bit for bit) and applied in
 * the same pass: out = x · (keep ? 1/(1 − rate) : 0). The portable version needs about 16 tensor ops and,
 * on WebGPU, computes `mod` in f32, which can be off by ±P near multiples of P; this kernel has no such
 * error. Registered (program.ts) as the tfjs kernel 'HashDropoutWGSL' for the webgpu backend, so tf.profile
 * and the bench count it as one dispatch; the gradient is dy through the same kernel with the same key.
 */
import * as tf from '../../tf';
import {
  dropoutKeys,
  dropoutThreshold,
  HASH_MULTIPLIERS,
  HASH_PRIME,
  type DropoutKey,
} from '../../../dropout-hash';
import { registerProgramKernel, runProgram, type CustomGradFunc } from './program';

const DROPOUT = 'HashDropoutWGSL';
/** Threads per workgroup (one element each). */
const WG = 64;

const { A1, B1, E, A2, B2, R2 } = HASH_MULTIPLIERS;
const u = (n: number): string => `${n}u`;
const P = u(HASH_PRIME);

// One thread per element; the flat index splits into (row, column) of the tensor viewed as (rows, cols).
registerProgramKernel(DROPOUT, ([x], { cols, k1, k2, threshold, scale }) => {
  const n = x.shape.reduce((a, b) => a * b, 1);
  return {
    key: 'hashDropout',
    inputs: ['x'],
    outputShape: x.shape,
    workgroups: Math.max(1, Math.ceil(n / WG)),
    workgroupSize: WG,
    uniforms: [
      { decl: 'n : i32', type: 'int32', value: n },
      { decl: 'cols : u32', type: 'uint32', value: cols },
      { decl: 'k1 : u32', type: 'uint32', value: k1 },
      { decl: 'k2 : u32', type: 'uint32', value: k2 },
      { decl: 'threshold : u32', type: 'uint32', value: threshold },
      { decl: 'scale : f32', type: 'float32', value: scale },
    ],
    code: `
      fn cubeMod(h : u32) -> u32 {
        return (((h * h) % ${P}) * h) % ${P};
      }
      fn main(index : i32) {
        if (index < uniforms.n) {
          let i = u32(index);
          let r = i / uniforms.cols;
          let c = (i - r * uniforms.cols) % ${P};
          let rLow = r % ${P};
          let rHigh = (r / ${P}) % ${P};
          var h = cubeMod((c * ${u(A1)} + uniforms.k1 + rLow * ${u(B1)}) % ${P});
          h = cubeMod((h * ${u(E)} + c * ${u(A2)} + uniforms.k2 + rLow * ${u(B2)} + rHigh * ${u(R2)}) % ${P});
          result[index] = x[index] * select(0.0, uniforms.scale, h >= uniforms.threshold);
        }
      }`,
  };
});

/** Inverted dropout in one WGSL dispatch forward and one backward; same mask as hashDropout for the key. */
export const wgslDropout = tf.op({
  wgslDropout_(x: tf.Tensor, rate: number, key: DropoutKey): tf.Tensor {
    if (rate === 0) return x;
    const [k1, k2] = dropoutKeys(key);
    const attrs = {
      cols: x.shape.length ? x.shape[x.shape.length - 1] : 1,
      k1,
      k2,
      threshold: dropoutThreshold(rate),
      scale: Math.fround(1 / (1 - rate)),
    };
    const apply = (t: tf.Tensor): tf.Tensor => runProgram(DROPOUT, [t], attrs); // (...t.shape)
    const f = tf.customGrad(((t: tf.Tensor) => ({
      value: apply(t), // (...x.shape)
      gradFunc: (dy: tf.Tensor) => apply(dy), // (...x.shape)
    })) as CustomGradFunc);
    return f(x);
  },
});
