/**
 * The AdamW update as one WGSL dispatch: each thread reads p, m, v of one element from the packed state
 * (3n) = [p; m; v] and its gradient, and writes p', m', v' into a new packed state, with the same
 * operations in the same order as adamwUpdateOps (../portable.ts), where tfjs runs 14 element-wise kernels
 * plus the split and concat of the state. WebGPU cannot bind one buffer as both read and read_write, so the
 * state is not updated in place: the caller assigns the result to its state variable (tfjs frees the old
 * buffer). The scalars arrive as float32 uniforms, computed in double precision in JS.
 */
import * as tf from '../../tf';
import type { AdamWScalars } from '../portable';
import { registerProgramKernel, runProgram, type ProgramUniform } from './program';

const UPDATE = 'AdamWUpdateWGSL';
/** Threads per workgroup (one element each). */
const WG = 64;

/** The uniforms, in declaration order, for the scalars of one step. */
const SCALARS: (keyof AdamWScalars)[] = [
  'decay',
  'beta1',
  'oneMinusBeta1',
  'beta2',
  'oneMinusBeta2',
  'biasCorrection2Sqrt',
  'eps',
  'stepSize',
];

registerProgramKernel(UPDATE, ([state, g, keep], attrs) => {
  const n = g.shape[0]; // g (n), state (3n), keep (n) when present
  const uniforms: ProgramUniform[] = SCALARS.map((k) => ({
    decl: `${k} : f32`,
    type: 'float32',
    value: attrs[k],
  }));
  // Elements whose parameter has no gradient keep p, m and v (the partial-gradient path).
  const keepCode = keep
    ? `if (keepMask[i] == 0.0) {
          pN = p;
          mN = m;
          vN = v;
        }`
    : '';
  return {
    key: `adamwUpdate_${keep ? 'keep' : 'all'}`,
    inputs: keep ? ['pmv', 'grad', 'keepMask'] : ['pmv', 'grad'],
    outputShape: [state.shape[0]],
    workgroups: Math.max(1, Math.ceil(n / WG)),
    workgroupSize: WG,
    uniforms,
    code: `
      fn main(index : i32) {
        let n = uniforms.gradShape;
        let i = index;
        if (i < n) {
          let p = pmv[i];
          let m = pmv[n + i];
          let v = pmv[2 * n + i];
          let gi = grad[i];
          var mN = m * uniforms.beta1 + gi * uniforms.oneMinusBeta1;
          var vN = v * uniforms.beta2 + (gi * gi) * uniforms.oneMinusBeta2;
          let denom = sqrt(vN) / uniforms.biasCorrection2Sqrt + uniforms.eps;
          var pN = p * uniforms.decay - (mN / denom) * uniforms.stepSize;
          ${keepCode}
          result[i] = pN;
          result[n + i] = mN;
          result[2 * n + i] = vN;
        }
      }`,
  };
});

/** adamwUpdateOps in one WGSL dispatch: state (3n) = [p; m; v], g (n), keep (n) or none → new state (3n). */
export function adamwUpdateWebGPU(
  state: tf.Tensor1D,
  g: tf.Tensor1D,
  s: AdamWScalars,
  keep?: tf.Tensor1D,
): tf.Tensor1D {
  if (state.size !== 3 * g.size || (keep && keep.size !== g.size)) {
    throw new RangeError(`adamwUpdate: state has ${state.size} values, expected 3 × ${g.size}`);
  }
  const attrs = Object.fromEntries(SCALARS.map((k) => [k, s[k]]));
  const inputs = keep ? [state, g, keep] : [state, g];
  return runProgram(UPDATE, inputs, attrs) as tf.Tensor1D; // (3n)
}
