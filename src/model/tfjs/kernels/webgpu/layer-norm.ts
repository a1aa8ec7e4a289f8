/**
 * Fused nn.LayerNorm for tfjs-backend-webgpu (biased variance, like layerNormOps in ../portable.ts).
 * Forward: one dispatch, one workgroup per row: each thread keeps its columns in registers while the
 * workgroup reduces the mean, then the centred variance (two passes, as the portable ops do), then writes y.
 * Backward: dx in one dispatch (the row's mean and rstd recomputed, not stored), and dgamma, dbeta from one
 * dispatch of per-chunk partial sums (CHUNK rows per workgroup) plus one small summing dispatch for each:
 * 1 + 4 dispatches where the portable ops launch dozens.
 */
import * as tf from '../../tf';
import {
  eachColumn,
  registerProgramKernel,
  registerRowKernel,
  rowProgram,
  runProgram,
  type CustomGradFunc,
} from './program';

const FORWARD = 'LayerNormWGSL';
const GRAD_X = 'LayerNormGradXWGSL';
const GRAD_PARAMS = 'LayerNormGradParamsWGSL';
const SUM_CHUNKS = 'LayerNormSumChunksWGSL';

/** Rows per workgroup of the dgamma/dbeta partial sums (so rows / CHUNK partials per column). */
const CHUNK = 32;

/** WGSL: load this thread's columns of row `row` of x into v, then mean and rstd (row, live, C, tid in scope). */
const ROW_STATS = `
  var v : array<f32, COLS>;
  var s = 0.0;
  ${eachColumn('C', 'v[j] = x[row * C + c];\n    s += v[j];', 'v[j] = 0.0;')}
  let mean = rowSum(s) / f32(C);
  var q = 0.0;
  ${eachColumn('C', 'let d = v[j] - mean;\n    q += d * d;')}
  let rstd = inverseSqrt(rowSum(q) / f32(C) + uniforms.eps);
`;

// y = (x − mean)·rstd·gamma + beta, per row of x (rows, C).
registerRowKernel(FORWARD, {
  key: 'layerNorm',
  inputs: ['x', 'gamma', 'beta'],
  width: 'C',
  floats: ['eps'],
  body: `
      ${ROW_STATS}
      ${eachColumn('C', 'result[row * C + c] = (v[j] - mean) * rstd * gamma[c] + beta[c];')}`,
});

// g = dy·gamma, x̂ = (x − mean)·rstd: dx = rstd·(g − mean(g) − x̂·mean(g·x̂)), per row of x (rows, C).
registerRowKernel(GRAD_X, {
  key: 'layerNormGradX',
  inputs: ['x', 'gamma', 'dy'],
  width: 'C',
  floats: ['eps'],
  body: `
      ${ROW_STATS}
      var g : array<f32, COLS>;
      var sg = 0.0;
      var sgx = 0.0;
      ${eachColumn(
        'C',
        `g[j] = dy[row * C + c] * gamma[c];
          sg += g[j];
          sgx += g[j] * (v[j] - mean) * rstd;`,
        'g[j] = 0.0;',
      )}
      let meanG = rowSum(sg) / f32(C);
      let meanGX = rowSum(sgx) / f32(C);
      ${eachColumn(
        'C',
        `let xhat = (v[j] - mean) * rstd;
          result[row * C + c] = rstd * (g[j] - meanG - xhat * meanGX);`,
      )}`,
});

registerProgramKernel(GRAD_PARAMS, ([x], { eps }) => {
  const [rows, C] = x.shape; // (rows, C)
  const chunks = Math.ceil(rows / CHUNK);
  return rowProgram({
    key: `layerNormGradParams_chunk${CHUNK}`,
    rows,
    cols: C,
    inputs: ['x', 'dy'],
    outputShape: [chunks, 2, C], // [k, 0, c]: Σ dy·x̂ over chunk k's rows, [k, 1, c]: Σ dy
    workgroups: chunks,
    uniforms: [{ decl: 'eps : f32', type: 'float32', value: eps }],
    body: `
      let chunk = rowOf(index);
      let C = uniforms.xShape.y;
      let tid = i32(localId.x);
      var dg : array<f32, COLS>;
      var db : array<f32, COLS>;
      for (var i = 0; i < ${CHUNK}; i++) {
        let row = chunk * ${CHUNK} + i;
        let live = row < uniforms.xShape.x;
        ${ROW_STATS}
        ${eachColumn(
          'C',
          `let d = dy[row * C + c];
            dg[j] += d * (v[j] - mean) * rstd;
            db[j] += d;`,
        )}
      }
      let live = chunk < uniforms.outShape.x;
      ${eachColumn(
        'C',
        `result[(chunk * 2) * C + c] = dg[j];
          result[(chunk * 2 + 1) * C + c] = db[j];`,
      )}`,
  });
});

registerProgramKernel(SUM_CHUNKS, ([partials], { part }) => {
  const [, , C] = partials.shape; // (chunks, 2, C)
  return {
    key: 'layerNormSumChunks',
    inputs: ['partials'],
    outputShape: [C],
    workgroups: Math.ceil(C / 64),
    workgroupSize: 64,
    uniforms: [{ decl: 'part : i32', type: 'int32', value: part }],
    code: `
      fn main(index : i32) {
        let C = uniforms.outShape;
        if (index < C) {
          var s = 0.0;
          for (var k = 0; k < uniforms.partialsShape.x; k++) {
            s += partials[(k * 2 + uniforms.part) * C + index];
          }
          result[index] = s;
        }
      }`,
  };
});

/** Fused LayerNorm of a (rows, C) matrix, with its fused gradient w.r.t. x, gamma and beta. */
function layerNormRows(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D {
  const op = tf.customGrad(((xIn: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    save([xIn, g]);
    const value = runProgram(FORWARD, [xIn, g, b], { eps }) as tf.Tensor2D; // (rows, C)
    const gradFunc = (dy: tf.Tensor2D, [xs, gs]: tf.Tensor[]): tf.Tensor[] => {
      const dx = runProgram(GRAD_X, [xs, gs, dy], { eps }); // (rows, C)
      const partials = runProgram(GRAD_PARAMS, [xs, dy], { eps }); // (chunks, 2, C)
      const dgamma = runProgram(SUM_CHUNKS, [partials], { part: 0 }); // (C)
      const dbeta = runProgram(SUM_CHUNKS, [partials], { part: 1 }); // (C)
      partials.dispose();
      return [dx, dgamma, dbeta];
    };
    return { value, gradFunc };
  }) as CustomGradFunc);
  return op(x, gamma, beta) as tf.Tensor2D; // (rows, C)
}

function layerNormWebGPU_(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const C = x.shape[x.rank - 1];
  const rows = tf.reshape(x, [-1, C]) as tf.Tensor2D; // (rows, C)
  const y = layerNormRows(rows, gamma as tf.Tensor1D, beta as tf.Tensor1D, eps); // (rows, C)
  return tf.reshape(y, x.shape); // (..., C)
}

/** nn.LayerNorm over the last axis as fused WGSL: x (..., C), gamma (C), beta (C) → (..., C). */
export const layerNormWebGPU = tf.op({ layerNormWebGPU_ });
