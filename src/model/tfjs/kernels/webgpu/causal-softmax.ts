/**
 * Fused scale + additive mask + softmax of attention scores for tfjs-backend-webgpu (causalSoftmaxOps in
 * ../portable.ts). Forward: one dispatch, one workgroup per (b, h, query) row: scores·scale + mask[row],
 * the row max, the sum of exponentials and the weights. Backward: one dispatch,
 * dscores = scale · w ⊙ (dw − Σ_j dw_j·w_j) from the saved weights. The mask is a constant: it is read as
 * given (so any additive (T, T) mask works) and gets no gradient.
 */
import * as tf from '../../tf';
import { eachColumn, registerRowKernel, runProgram, type CustomGradFunc } from './program';

const FORWARD = 'CausalSoftmaxWGSL';
const GRAD = 'CausalSoftmaxGradWGSL';

// Forward, per row of scores (B·H·T, T): v = scores·scale + mask[query], then exp(v − max) / Σ exp.
registerRowKernel(FORWARD, {
  key: 'causalSoftmax',
  inputs: ['scores', 'mask'],
  width: 'T',
  floats: ['scale'],
  body: `
      let query = row % T;
      var v : array<f32, COLS>;
      var m = -3.402823e+38f;
      ${eachColumn(
        'T',
        `v[j] = scores[row * T + c] * uniforms.scale + mask[query * T + c];
          m = max(m, v[j]);`,
        'v[j] = -3.402823e+38f;',
      )}
      let rowMaxValue = rowMax(m);
      var s = 0.0;
      for (var j = 0u; j < COLS; j++) {
        let c = tid + i32(j * WG);
        v[j] = select(0.0, exp(v[j] - rowMaxValue), live && c < T);
        s += v[j];
      }
      let total = rowSum(s);
      ${eachColumn('T', 'result[row * T + c] = v[j] / total;')}`,
});

// Backward, per row of the saved weights w (B·H·T, T): dscores = scale · w ⊙ (dw − Σ_j dw_j·w_j).
registerRowKernel(GRAD, {
  key: 'causalSoftmaxGrad',
  inputs: ['w', 'dw'],
  width: 'T',
  floats: ['scale'],
  body: `
      var s = 0.0;
      ${eachColumn('T', 's += w[row * T + c] * dw[row * T + c];')}
      let wdw = rowSum(s);
      ${eachColumn(
        'T',
        `let i = row * T + c;
          result[i] = uniforms.scale * w[i] * (dw[i] - wdw);`,
      )}`,
});

function causalSoftmaxWebGPU_(scores: tf.Tensor4D, scale: number, mask: tf.Tensor2D): tf.Tensor4D {
  const T = scores.shape[3];
  if (mask.shape[0] !== T || mask.shape[1] !== T)
    throw new Error(`causalSoftmax: mask ${mask.shape} does not match T = ${T}`);
  const rows = tf.reshape(scores, [-1, T]) as tf.Tensor2D; // (B·H·T, T)
  const op = tf.customGrad(((s: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const value = runProgram(FORWARD, [s, mask], { scale }) as tf.Tensor2D; // (B·H·T, T)
    save([value]);
    const gradFunc = (dw: tf.Tensor2D, [w]: tf.Tensor[]): tf.Tensor => runProgram(GRAD, [w, dw], { scale }); // (B·H·T, T)
    return { value, gradFunc };
  }) as CustomGradFunc);
  return tf.reshape(op(rows), scores.shape); // (B, H, T, T)
}

/** softmax(scores · scale + mask) over the last axis as fused WGSL: (B, H, T, T) → (B, H, T, T). */
export const causalSoftmaxWebGPU = tf.op({ causalSoftmaxWebGPU_ });
