/**
 * Shared plumbing for the fused WGSL kernels (dropout, LayerNorm, causal softmax, AdamW): each program runs as a tfjs
 * kernel registered for the 'webgpu' backend, so tf.profile counts every dispatch under its own name and
 * the tape stays tfjs's own (the differentiable ops wrap these kernels in tf.customGrad). Row programs give
 * one workgroup to each row of a (rows, cols) matrix and reduce across it in workgroup memory.
 */
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '../../tf';

/** An extra uniform after tfjs's own (shapes, strides): WGSL field (`eps : f32`), its type and value. */
export interface ProgramUniform {
  decl: string;
  type: 'float32' | 'int32' | 'uint32';
  value: number;
}

/** What one dispatch of a fused kernel needs; the outputs are float32. */
export interface ProgramSpec {
  /** Cache key of the WGSL source: every compile-time constant baked into `code` must be in it. */
  key: string;
  /** Storage-buffer names, one per input tensor, in order. */
  inputs: string[];
  outputShape: number[];
  /** Workgroups along x (at most 65535 · 65535; tfjs folds larger counts into y and z). */
  workgroups: number;
  /** Threads per workgroup. */
  workgroupSize: number;
  uniforms?: ProgramUniform[];
  /** WGSL: helper declarations and `fn main(index : i32) { ... }` (index: global thread index). */
  code: string;
}

/** The function tf.customGrad takes (tfjs-core does not export its type). */
export type CustomGradFunc = Parameters<typeof tf.customGrad>[0];

/** Registered kernel name → the spec builder its kernelFunc calls. */
type SpecFor = (inputs: tf.TensorInfo[], attrs: Record<string, number>) => ProgramSpec;

/** Register `name` on the webgpu backend as one dispatch of the program `specFor` describes (once). */
export function registerProgramKernel(name: string, specFor: SpecFor): void {
  if (tf.getKernel(name, 'webgpu')) return;
  tf.registerKernel({
    kernelName: name,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const names = Object.keys(inputs);
      const infos = names.map((n) => inputs[n] as tf.TensorInfo);
      const spec = specFor(infos, (attrs ?? {}) as Record<string, number>);
      const program: WebGPUProgram = {
        variableNames: spec.inputs,
        outputShape: spec.outputShape,
        shaderKey: spec.key,
        dispatchLayout: { x: spec.outputShape.map((_, i) => i) },
        dispatch: [spec.workgroups, 1, 1],
        workgroupSize: [spec.workgroupSize, 1, 1],
        uniforms: spec.uniforms?.map((u) => `${u.decl}, `).join(''),
        getUserCode: () => spec.code,
      };
      const data = spec.uniforms?.map((u) => ({ type: u.type, data: [u.value] }));
      return (backend as WebGPUBackend).runWebGPUProgram(program, infos, 'float32', data);
    },
  });
}

/** Run a registered program kernel: inputs in the order its spec names them. */
export function runProgram(name: string, inputs: tf.Tensor[], attrs: Record<string, number> = {}): tf.Tensor {
  const named: tf.NamedTensorMap = {};
  inputs.forEach((t, i) => (named[`in${i}`] = t));
  return tf.engine().runKernel(name, named, attrs) as tf.Tensor;
}

/** Threads per workgroup for rows of `cols` values: a power of two from 32 to 128. */
function rowWorkgroupSize(cols: number): number {
  return cols <= 32 ? 32 : cols <= 64 ? 64 : 128;
}

/**
 * WGSL for a workgroup of `size` threads that each own the columns tid, tid + size, ... of one row:
 * constants WG (threads) and COLS (columns per thread), `rowOf(index)` (the workgroup's row) and
 * `rowSum(v)` / `rowMax(v)`, which every thread of the workgroup must call (they hold barriers) and which
 * return the sum / max of v over the workgroup.
 */
function rowHelpers(size: number, cols: number): string {
  const reduce = (name: string, op: string): string => `
    fn ${name}(v : f32) -> f32 {
      let tid = localId.x;
      red[tid] = v;
      workgroupBarrier();
      for (var s = WG / 2u; s > 0u; s = s >> 1u) {
        if (tid < s) {
          let a = red[tid];
          let b = red[tid + s];
          red[tid] = ${op};
        }
        workgroupBarrier();
      }
      let total = red[0];
      workgroupBarrier();
      return total;
    }`;
  return `
    const WG = ${size}u;
    const COLS = ${Math.max(1, Math.ceil(cols / size))}u;
    var<workgroup> red : array<f32, ${size}>;
    fn rowOf(index : i32) -> i32 {
      return index / i32(WG);
    }
    ${reduce('rowSum', 'a + b')}
    ${reduce('rowMax', 'max(a, b)')}
  `;
}

/**
 * WGSL: `stmt` for each column c = tid, tid + WG, ... of this thread's row that is live and below `width`;
 * `first` runs for every j before the test (to reset a register). Needs `tid` and `live` in scope.
 */
export function eachColumn(width: string, stmt: string, first = ''): string {
  return `
      for (var j = 0u; j < COLS; j++) {
        let c = tid + i32(j * WG);
        ${first}
        if (live && c < ${width}) {
          ${stmt}
        }
      }`;
}

/** What a row program adds to its spec; workgroups and outputShape default to one row each, (rows, cols). */
export interface RowProgram {
  /** Cache-key prefix; the workgroup size and columns per thread are appended. */
  key: string;
  rows: number;
  cols: number;
  inputs: string[];
  uniforms?: ProgramUniform[];
  /** WGSL body of `fn main(index : i32)`, with rowHelpers' WG, COLS, rowOf, rowSum and rowMax in scope. */
  body: string;
  outputShape?: number[];
  workgroups?: number;
}

/** A ProgramSpec whose workgroups each reduce across one row of `cols` values (see rowHelpers). */
export function rowProgram(p: RowProgram): ProgramSpec {
  const wg = rowWorkgroupSize(p.cols);
  return {
    key: `${p.key}_wg${wg}_cols${Math.max(1, Math.ceil(p.cols / wg))}`,
    inputs: p.inputs,
    outputShape: p.outputShape ?? [p.rows, p.cols],
    workgroups: p.workgroups ?? p.rows,
    workgroupSize: wg,
    uniforms: p.uniforms,
    code: `
      ${rowHelpers(wg, p.cols)}
      fn main(index : i32) {
        ${p.body}
      }`,
  };
}

/** A row kernel: one workgroup per row of its first input, a (rows, width) matrix. */
export interface RowKernel {
  /** Cache-key prefix (see RowProgram). */
  key: string;
  /** Storage-buffer names; the first is the (rows, width) matrix whose rows the workgroups take. */
  inputs: string[];
  /** WGSL name the body reads the row length by (`T`, `C`). */
  width: string;
  /** Attributes passed on as f32 uniforms of the same name (`scale`, `eps`). */
  floats: string[];
  /** WGSL after the prologue, which declares row, live (row in range), the width and tid (this thread). */
  body: string;
}

/** Register `name` as a row program over the rows of its first input (see RowKernel). */
export function registerRowKernel(name: string, k: RowKernel): void {
  registerProgramKernel(name, ([matrix], attrs) => {
    const [rows, cols] = matrix.shape; // (rows, width)
    const shape = `uniforms.${k.inputs[0]}Shape`;
    return rowProgram({
      key: k.key,
      rows,
      cols,
      inputs: k.inputs,
      uniforms: k.floats.map((f) => ({ decl: `${f} : f32`, type: 'float32', value: attrs[f] })),
      body: `
      let row = rowOf(index);
      let live = row < ${shape}.x;
      let ${k.width} = ${shape}.y;
      let tid = i32(localId.x);
      ${k.body}`,
    });
  });
}
