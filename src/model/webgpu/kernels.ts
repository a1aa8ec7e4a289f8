/**
 * The WGSL kernels of the WebGPU engine. Each is a KernelDef: its bindings (from which both the WGSL
 * declarations and the bind-group layout are generated, so the two cannot disagree), its uniform fields,
 * and the body of `main`. Compile-time constants (flags, head size) are baked into the source, so a kernel
 * is built per variant by a function; ./runtime.ts caches the pipelines by source. Every kernel has a CPU
 * twin in ./twins.ts that defines what it must compute.
 */
import { WGSL_HASH } from './hash';

/** How a kernel sees one buffer: read-only storage, read-write storage, or int32 storage. */
export type BindingKind = 'read' | 'write' | 'readInt';

/** One storage binding of a kernel, by name (binding index = position + 1; 0 is the uniforms). */
export interface BindingDef {
  name: string;
  kind: BindingKind;
}

/** A compute kernel: uniforms (all u32 or f32 scalars), storage bindings, workgroup size and WGSL. */
export interface KernelDef {
  /** Unique per variant: the pipeline cache key. */
  key: string;
  uniforms: [string, 'u32' | 'f32'][];
  bindings: BindingDef[];
  /** Threads per workgroup along x and y. */
  workgroup: [number, number];
  /** Helper declarations placed before main. */
  helpers?: string;
  /**
   * Body of main; `gid`, `lid`, `wid`, `lidx` and `u` (the uniforms) are in scope (and `sgi`, the lane in
   * its subgroup, when `enables` has 'subgroups').
   */
  body: string;
  /** WGSL extensions the kernel needs (`enable …;`): the device must have the matching feature. */
  enables?: ('subgroups' | 'f16')[];
}

/** The optional features the kernels can use that an adapter has (request them with the device). */
export function optionalFeatures(adapter: { features: ReadonlySet<string> }): GPUFeatureName[] {
  return (['subgroups', 'shader-f16'] as const).filter((f) => adapter.features.has(f));
}

/** Optional device features the kernels may use, detected by the engine (plain f32 without them). */
export interface KernelFeatures {
  /** `subgroups`: row reductions (LayerNorm, cross-entropy, the loss mean) use subgroupAdd/subgroupMax. */
  subgroups?: boolean;
  /** `shader-f16`, chosen by the learner: matmul inputs rounded to f16, f32 accumulation and master weights. */
  f16?: boolean;
}

/** The full WGSL source of a kernel. */
export function kernelSource(k: KernelDef): string {
  const fields = k.uniforms.map(([n, t]) => `  ${n} : ${t},`).join('\n');
  const decls = k.bindings
    .map((b, i) => {
      const access = b.kind === 'write' ? 'read_write' : 'read';
      const elem = b.kind === 'readInt' ? 'i32' : 'f32';
      return `@group(0) @binding(${i + 1}) var<storage, ${access}> ${b.name} : array<${elem}>;`;
    })
    .join('\n');
  const enables = (k.enables ?? []).map((e) => `enable ${e};\n`).join('');
  const sg = k.enables?.includes('subgroups') ? ',\n        @builtin(subgroup_invocation_id) sgi : u32' : '';
  return `${enables}struct Uniforms {\n${fields || '  pad : u32,'}\n};
@group(0) @binding(0) var<uniform> u : Uniforms;
${decls}
${k.helpers ?? ''}
@compute @workgroup_size(${k.workgroup[0]}, ${k.workgroup[1]})
fn main(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(local_invocation_id) lid : vec3<u32>,
        @builtin(workgroup_id) wid : vec3<u32>, @builtin(local_invocation_index) lidx : u32,
        @builtin(num_workgroups) nwg : vec3<u32>${sg}) {
${k.body}
}`;
}

/** Threads per workgroup of the element-wise and per-column kernels. */
export const FLAT_WG = 256;
/** Threads of the one-workgroup reduction (the mean of the row losses). */
export const ROW_WG = 64;
/** Output tile of the matmul: TILE × TILE per workgroup, 4 × 4 per thread, BK deep per pass. */
export const TILE = 64;
/** Threads along each side of a direct (no workgroup memory) matmul workgroup: tiles of 4·DIRECT_WG. */
export const DIRECT_WG = 8;

/** Output tile side of a matmul workgroup. */
export function matmulTile(tiled: boolean): number {
  return tiled ? TILE : 4 * DIRECT_WG;
}
const BK = 16;

/** WGSL of a flat thread index over a dispatch folded into x and y (x at most 65535 workgroups). */
const FLAT = `let i = (wid.y * nwg.x + wid.x) * ${FLAT_WG}u + lidx;`;

/** Workgroup-wide tree reduction helpers over ROW_WG threads (call from every thread: they hold barriers). */
const ROW_REDUCE = `
var<workgroup> red : array<f32, ${ROW_WG}>;
fn wgSum(v : f32, t : u32) -> f32 {
  red[t] = v;
  workgroupBarrier();
  for (var s = ${ROW_WG / 2}u; s > 0u; s = s >> 1u) {
    if (t < s) { red[t] = red[t] + red[t + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
fn wgMax(v : f32, t : u32) -> f32 {
  red[t] = v;
  workgroupBarrier();
  for (var s = ${ROW_WG / 2}u; s > 0u; s = s >> 1u) {
    if (t < s) { red[t] = max(red[t], red[t + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}`;

/**
 * Workgroup-wide sum and max over ROW_WG threads with subgroup operations: subgroupAdd/subgroupMax reduce
 * each subgroup (whatever its size and whichever threads it holds), its first lane stores the result at
 * its own slot, and one barrier later every thread folds the ROW_WG slots (zeros, or −∞ for max, elsewhere).
 */
const SUBGROUP_REDUCE = `
var<workgroup> sgRed : array<f32, ${ROW_WG}>;
fn wgSum(v : f32, t : u32, sgi : u32) -> f32 {
  let s = subgroupAdd(v);
  sgRed[t] = select(0.0, s, sgi == 0u);
  workgroupBarrier();
  var r = 0.0;
  for (var k = 0u; k < ${ROW_WG}u; k++) { r += sgRed[k]; }
  workgroupBarrier();
  return r;
}
fn wgMax(v : f32, t : u32, sgi : u32) -> f32 {
  let s = subgroupMax(v);
  sgRed[t] = select(-3.0e38, s, sgi == 0u);
  workgroupBarrier();
  var r = -3.0e38;
  for (var k = 0u; k < ${ROW_WG}u; k++) { r = max(r, sgRed[k]); }
  workgroupBarrier();
  return r;
}`;

/** The flat workgroup index of a dispatch folded into x and y (row-per-workgroup kernels). */
const WG_INDEX = 'let w = wid.y * nwg.x + wid.x;';

/**
 * x (N, C) = wte[idx[g0 + n]] + wpe[n mod T], for the rows n0 … n0 + count/C − 1 (n0 > 0: one decoded
 * token; g0 > 0: a row slice of the batch, its ids g0 rows into idx, g0 a multiple of T).
 */
export function embedForwardKernel(): KernelDef {
  return {
    key: 'embedFwd',
    uniforms: [
      ['count', 'u32'],
      ['T', 'u32'],
      ['C', 'u32'],
      ['n0', 'u32'],
      ['g0', 'u32'],
    ],
    bindings: [
      { name: 'idx', kind: 'readInt' },
      { name: 'wte', kind: 'read' },
      { name: 'wpe', kind: 'read' },
      { name: 'outX', kind: 'write' },
    ],
    workgroup: [FLAT_WG, 1],
    body: `${FLAT}
  if (i >= u.count) { return; }
  let n = u.n0 + i / u.C;
  let c = i % u.C;
  outX[n * u.C + c] = wte[u32(idx[u.g0 + n]) * u.C + c] + wpe[(n % u.T) * u.C + c];`,
  };
}

/**
 * WGSL of the deterministic embedding gradient (no atomics) of row r of [dwte; dwpe], channel c: token rows
 * sum dx over that token's positions, listed by the CPU in `order` with offsets `start` (V + 1 from s0, the
 * row slice's own list); position rows sum over the slice (rows ≥ T get 0). Reads `dx`, `order`, `start`
 * and u.{V, B, T, C, s0}.
 */
const EMBED_GRAD = `
fn embedGrad(r : u32, c : u32) -> f32 {
  var s = 0.0;
  if (r < u.V) {
    for (var k = start[u.s0 + r]; k < start[u.s0 + r + 1u]; k++) { s += dx[u32(order[k]) * u.C + c]; }
  } else {
    let t = r - u.V;
    if (t < u.T) {
      for (var b = 0u; b < u.B; b++) { s += dx[(b * u.T + t) * u.C + c]; }
    }
  }
  return s;
}`;

const EMBED_UNIFORMS: [string, 'u32' | 'f32'][] = [
  ['V', 'u32'],
  ['Tmax', 'u32'],
  ['B', 'u32'],
  ['T', 'u32'],
  ['C', 'u32'],
  ['s0', 'u32'],
];
const EMBED_BINDINGS: BindingDef[] = [
  { name: 'dx', kind: 'read' },
  { name: 'order', kind: 'readInt' },
  { name: 'start', kind: 'readInt' },
];

/**
 * Embedding backward on its own (lossAndGradients, row slices): one thread per (row, channel) of
 * [dwte; dwpe]; with `accumulate` added to what is there (a later row slice), else written.
 */
export function embedBackwardKernel(accumulate = false): KernelDef {
  const put = (at: string): string => (accumulate ? `${at} = ${at} + s;` : `${at} = s;`);
  return {
    key: `embedBwd${accumulate ? '_acc' : ''}`,
    uniforms: EMBED_UNIFORMS,
    bindings: [...EMBED_BINDINGS, { name: 'dwte', kind: 'write' }, { name: 'dwpe', kind: 'write' }],
    workgroup: [FLAT_WG, 1],
    helpers: EMBED_GRAD,
    body: `${FLAT}
  if (i >= (u.V + u.Tmax) * u.C) { return; }
  let r = i / u.C;
  let c = i % u.C;
  let s = embedGrad(r, c);
  if (r < u.V) { ${put('dwte[r * u.C + c]')} } else { ${put('dwpe[(r - u.V) * u.C + c]')} }`,
  };
}

/** Which epilogue a matmul variant fuses (see twins.ts Epilogue). */
export interface MatmulFlags {
  bias?: boolean;
  relu?: boolean;
  drop?: boolean;
  residual?: boolean;
  reluGate?: boolean;
  /** Add to the output's values instead of writing them (a row slice's weight gradient after the first). */
  accumulate?: boolean;
}

/** WGSL names one matmul job reads: its operands, output, shape and stride uniforms, and its tile. */
interface MatmulNames {
  A: string;
  B: string;
  C: string;
  /** Uniform-field prefix: `u.${p}M`, `u.${p}N`, ... */
  p: string;
  /** The job's tile row and column (WGSL expressions). */
  wx: string;
  wy: string;
}

/** The matmul uniforms of one job, prefixed. */
function matmulUniforms(p: string): [string, 'u32' | 'f32'][] {
  return ['M', 'N', 'K', 'sa0', 'sa1', 'sb0', 'sb1', 'r0'].map((n) => [`${p}${n}`, 'u32']);
}

/** The WGSL epilogue of a job: bias, ReLU, dropout, residual, ReLU gate (reads `R`, `bias`, `keys`). */
function matmulEpilogue(f: MatmulFlags, p: string): string {
  return [
    f.bias ? 'v = v + bias[gn];' : '',
    f.relu ? 'v = max(v, 0.0);' : '',
    f.drop
      ? 'v = v * dropScale(gm + u.hr0, gn, u32(keys[u.site * 2u]), u32(keys[u.site * 2u + 1u]), u.thr, u.scale);'
      : '',
    f.residual ? `v = v + R[(gm + u.${p}r0) * u.${p}N + gn];` : '',
    f.reluGate ? `if (!(R[gm * u.${p}N + gn] > 0.0)) { v = 0.0; }` : '',
  ].join('\n        ');
}

/**
 * The body of one matmul job, C (M, N) = A (M, K) · B (K, N) with strided operands. Tiled: a 64 × 64
 * output tile per workgroup of 16 × 16 threads, 4 × 4 outputs per thread as four vec4 accumulators, BK-deep
 * tiles of A and B staged in workgroup memory (barriers only: uniform control flow). Direct: 8 × 8 threads,
 * no workgroup memory, each thread reads its 4 rows of A and 4 columns of B from global memory per k.
 */
function matmulJob(f: MatmulFlags, tiled: boolean, n: MatmulNames, f16 = false): string {
  const u = (x: string): string => `u.${n.p}${x}`;
  // Mixed precision: operands rounded to f16 as they are loaded, products in f16, sums in f32.
  const h = f16 ? 'f16' : 'f32';
  const mul = (a: string, b: string): string => (f16 ? `vec4<f32>(${a} * ${b})` : `${a} * ${b}`);
  const fma = ['x', 'y', 'z', 'w']
    .map((c, r) => `acc[${r}] = acc[${r}] + ${mul(`a.${c}`, 'b')};`)
    .join('\n    ');
  const store = (r0: string, c0: string): string => `
  for (var r = 0u; r < 4u; r++) {
    let gm = ${r0} + r;
    if (gm >= ${u('M')}) { continue; }
    for (var c = 0u; c < 4u; c++) {
      let gn = ${c0} + c;
      if (gn < ${u('N')}) {
        var v = acc[r][c];
        ${matmulEpilogue(f, n.p)}
        let at = (gm + ${u('r0')}) * ${u('N')} + gn;
        ${f.accumulate ? `${n.C}[at] = ${n.C}[at] + v;` : `${n.C}[at] = v;`}
      }
    }
  }`;
  if (!tiled) {
    return `
  let row0 = (${n.wy} * ${DIRECT_WG}u + lid.y) * 4u;
  let col0 = (${n.wx} * ${DIRECT_WG}u + lid.x) * 4u;
  if (row0 >= ${u('M')} || col0 >= ${u('N')}) { return; }
  var acc : array<vec4<f32>, 4>;
  let rm0 = min(vec4<u32>(row0, row0 + 1u, row0 + 2u, row0 + 3u), vec4<u32>(${u('M')} - 1u));
  let rm = (rm0 + vec4<u32>(${u('r0')})) * ${u('sa0')};
  let cn = min(vec4<u32>(col0, col0 + 1u, col0 + 2u, col0 + 3u), vec4<u32>(${u('N')} - 1u)) * ${u('sb1')};
  for (var k = 0u; k < ${u('K')}; k++) {
    let ka = k * ${u('sa1')};
    let kb = k * ${u('sb0')};
    let a = vec4<${h}>(vec4<f32>(${n.A}[rm.x + ka], ${n.A}[rm.y + ka], ${n.A}[rm.z + ka], ${n.A}[rm.w + ka]));
    let b = vec4<${h}>(vec4<f32>(${n.B}[kb + cn.x], ${n.B}[kb + cn.y], ${n.B}[kb + cn.z], ${n.B}[kb + cn.w]));
    ${fma}
  }${store('row0', 'col0')}`;
  }
  return `
  let row0 = ${n.wy} * ${TILE}u;
  let col0 = ${n.wx} * ${TILE}u;
  var acc : array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < ${u('K')}; k0 += ${BK}u) {
    for (var e = 0u; e < ${(TILE * BK) / 256}u; e++) {
      let q = lidx + e * 256u;
      let mm = q / ${BK}u;
      let ka = q % ${BK}u;
      var va = 0.0;
      if (row0 + mm < ${u('M')} && k0 + ka < ${u('K')}) { va = ${n.A}[(row0 + mm + ${u('r0')}) * ${u('sa0')} + (k0 + ka) * ${u('sa1')}]; }
      As[ka][mm / 4u][mm % 4u] = ${h}(va);
      let kb = q / ${TILE}u;
      let nn = q % ${TILE}u;
      var vb = 0.0;
      if (col0 + nn < ${u('N')} && k0 + kb < ${u('K')}) { vb = ${n.B}[(k0 + kb) * ${u('sb0')} + (col0 + nn) * ${u('sb1')}]; }
      Bs[kb][nn / 4u][nn % 4u] = ${h}(vb);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${BK}u; kk++) {
      let a = As[kk][lid.y];
      let b = Bs[kk][lid.x];
      ${fma}
    }
    workgroupBarrier();
  }${store('row0 + lid.y * 4u', 'col0 + lid.x * 4u')}`;
}

/** The workgroup-memory tiles of the tiled matmul (f16 halves them in mixed precision). */
const matmulShared = (f16: boolean): string => `
var<workgroup> As : array<array<vec4<${f16 ? 'f16' : 'f32'}>, ${TILE / 4}>, ${BK}>;
var<workgroup> Bs : array<array<vec4<${f16 ? 'f16' : 'f32'}>, ${TILE / 4}>, ${BK}>;`;

const flagKey = (f: MatmulFlags): string =>
  (['bias', 'relu', 'drop', 'residual', 'reluGate', 'accumulate'] as const).filter((k) => f[k]).join('_');

/**
 * C (M, N) = A (M, K) · B (K, N), strided operands (so Wᵀ, dYᵀ need no transpose pass), register-tiled
 * (see matmulJob). The epilogue adds bias, ReLU, dropout (hash site from `keys`, rows from hr0), a residual, or gates by a
 * saved ReLU output. Grid: (ceil(N / tile), ceil(M / tile)).
 */
export function matmulKernel(f: MatmulFlags, tiled = true, f16 = false): KernelDef {
  const bindings: BindingDef[] = [
    { name: 'A', kind: 'read' },
    { name: 'Bm', kind: 'read' },
    { name: 'outC', kind: 'write' },
  ];
  if (f.bias) bindings.push({ name: 'bias', kind: 'read' });
  if (f.residual || f.reluGate) bindings.push({ name: 'R', kind: 'read' });
  if (f.drop) bindings.push({ name: 'keys', kind: 'readInt' });
  return {
    key: `matmul${tiled ? '' : 'Direct'}${f16 ? 'F16' : ''}_${flagKey(f)}`,
    enables: f16 ? ['f16'] : [],
    uniforms: [...matmulUniforms(''), ['site', 'u32'], ['thr', 'u32'], ['scale', 'f32'], ['hr0', 'u32']],
    bindings,
    workgroup: tiled ? [16, 16] : [DIRECT_WG, DIRECT_WG],
    helpers: `${f.drop ? WGSL_HASH : ''}${tiled ? matmulShared(f16) : ''}`,
    body: matmulJob(f, tiled, { A: 'A', B: 'Bm', C: 'outC', p: '', wx: 'wid.x', wy: 'wid.y' }, f16),
  };
}

/**
 * A Linear layer's whole backward in one dispatch over a batched grid: the rows of tiles below `ty0` are
 * job 0, dW (o, i) = dYᵀ·X (uniforms w*), whose extra tile column `tx0` sums dY's columns into the bias
 * gradient when `biasGrad`; the rows from `ty0` on are job 1, dX (N, i) = dY·W (uniforms x*) with the
 * residual or ReLU-gate epilogue `fx`. Both read the same dY (`A`); a workgroup runs one job only. With
 * `accumulate` (a row slice after the first) dW and db are added to what is there instead of written.
 */
export function linearBackwardKernel(
  biasGrad: boolean,
  fx: MatmulFlags,
  tiled = true,
  f16 = false,
  accumulate = false,
): KernelDef {
  const bindings: BindingDef[] = [
    { name: 'A', kind: 'read' },
    { name: 'X', kind: 'read' },
    { name: 'dW', kind: 'write' },
    { name: 'W', kind: 'read' },
    { name: 'dX', kind: 'write' },
  ];
  if (biasGrad) bindings.push({ name: 'dBias', kind: 'write' });
  if (fx.residual || fx.reluGate) bindings.push({ name: 'R', kind: 'read' });
  const tile = matmulTile(tiled);
  const threads = tiled ? 256 : DIRECT_WG * DIRECT_WG;
  // The bias job: thread t sums row o = wid.y·tile + t of A (= column o of dY) over k, in order.
  const bias = biasGrad
    ? `
    if (wid.x == u.tx0) {
      for (var t = lidx; t < ${tile}u; t += ${threads}u) {
        let o = wid.y * ${tile}u + t;
        if (o < u.wM) {
          var s = 0.0;
          for (var k = 0u; k < u.wK; k++) { s += A[o * u.wsa0 + k * u.wsa1]; }
          dBias[o] = ${accumulate ? 'dBias[o] + s' : 's'};
        }
      }
      return;
    }`
    : '';
  return {
    key: `linearBwd${tiled ? '' : 'Direct'}${f16 ? 'F16' : ''}${biasGrad ? '_bias' : ''}${accumulate ? '_acc' : ''}_${flagKey(fx)}`,
    enables: f16 ? ['f16'] : [],
    uniforms: [
      ...matmulUniforms('w'),
      ...matmulUniforms('x'),
      ['ty0', 'u32'],
      ['tx0', 'u32'],
      ['tx1', 'u32'],
    ],
    bindings,
    workgroup: tiled ? [16, 16] : [DIRECT_WG, DIRECT_WG],
    helpers: tiled ? matmulShared(f16) : '',
    body: `
  if (wid.y < u.ty0) {${bias}
    if (wid.x >= u.tx0) { return; }
    ${matmulJob({ accumulate }, tiled, { A: 'A', B: 'X', C: 'dW', p: 'w', wx: 'wid.x', wy: 'wid.y' }, f16)}
    return;
  }
  if (wid.x >= u.tx1) { return; }
  let wy1 = wid.y - u.ty0;
  ${matmulJob(fx, tiled, { A: 'A', B: 'W', C: 'dX', p: 'x', wx: 'wid.x', wy: 'wy1' }, f16)}`,
  };
}

/** The LayerNorm forward's uniforms and bindings (both variants). */
const LN_FORWARD_IO: Pick<KernelDef, 'uniforms' | 'bindings'> = {
  uniforms: [
    ['rows', 'u32'],
    ['C', 'u32'],
    ['eps', 'f32'],
    ['r0', 'u32'],
  ],
  bindings: [
    { name: 'X', kind: 'read' },
    { name: 'g', kind: 'read' },
    { name: 'b', kind: 'read' },
    { name: 'Y', kind: 'write' },
    { name: 'stats', kind: 'write' },
  ],
};

/**
 * LayerNorm forward, one thread per row (no barriers: a row of C ≤ a few thousand values is a short loop,
 * and software GPUs pay dearly for workgroup barriers): y = (x − mean)·rstd·g + b; stats = (mean, rstd).
 */
export function layerNormForwardKernel(subgroups = false): KernelDef {
  if (subgroups) return layerNormForwardSubgroupKernel();
  return {
    key: 'lnFwd',
    ...LN_FORWARD_IO,
    workgroup: [FLAT_WG, 1],
    body: `${FLAT}
  if (i >= u.rows) { return; }
  let r = i + u.r0;
  let base = r * u.C;
  var s = 0.0;
  for (var c = 0u; c < u.C; c++) { s += X[base + c]; }
  let mean = s / f32(u.C);
  var v = 0.0;
  for (var c = 0u; c < u.C; c++) { let d = X[base + c] - mean; v += d * d; }
  let rstd = inverseSqrt(v / f32(u.C) + u.eps);
  for (var c = 0u; c < u.C; c++) { Y[base + c] = (X[base + c] - mean) * rstd * g[c] + b[c]; }
  stats[2u * r] = mean;
  stats[2u * r + 1u] = rstd;`,
  };
}

/**
 * LayerNorm forward with subgroups: one workgroup of ROW_WG threads per row (grid: rows workgroups), each
 * thread a strided share of the C values; the mean and the variance (two passes, as the twin) are
 * workgroup sums built from subgroupAdd.
 */
function layerNormForwardSubgroupKernel(): KernelDef {
  return {
    key: 'lnFwd_sg',
    ...LN_FORWARD_IO,
    workgroup: [ROW_WG, 1],
    enables: ['subgroups'],
    helpers: SUBGROUP_REDUCE,
    body: `${WG_INDEX}
  if (w >= u.rows) { return; }
  let r = w + u.r0;
  let base = r * u.C;
  var s = 0.0;
  for (var c = lidx; c < u.C; c += ${ROW_WG}u) { s += X[base + c]; }
  let mean = wgSum(s, lidx, sgi) / f32(u.C);
  var v = 0.0;
  for (var c = lidx; c < u.C; c += ${ROW_WG}u) { let d = X[base + c] - mean; v += d * d; }
  let rstd = inverseSqrt(wgSum(v, lidx, sgi) / f32(u.C) + u.eps);
  for (var c = lidx; c < u.C; c += ${ROW_WG}u) { Y[base + c] = (X[base + c] - mean) * rstd * g[c] + b[c]; }
  if (lidx == 0u) {
    stats[2u * r] = mean;
    stats[2u * r + 1u] = rstd;
  }`,
  };
}

/**
 * Threads per LayerNorm-backward workgroup: 64, not FLAT_WG, since SwiftShader pays per thread of a workgroup
 * that holds a barrier (256 made its tiny step 3× slower; 64 costs it about 9 %).
 */
const LN_WG = 64;
/** Rows per LayerNorm-backward row workgroup: LN_WG / LN_ROWS = 64 threads share each row. */
const LN_ROWS = 1;
/** Channels per LayerNorm-backward channel workgroup: LN_WG / LN_CH = 8 row lanes sum each channel. */
const LN_CH = 8;

/**
 * LayerNorm backward in one dispatch over a batched flat grid. The first `rowWg` workgroups are the rows,
 * LN_ROWS per workgroup and LN_WG / LN_ROWS threads per row, each thread a strided share of the C values:
 * the two row sums (Σ g·dY, Σ g·dY·x̂) are per-thread partials in workgroup memory, folded in a fixed order after one
 * barrier, then every thread writes its dX (and with `drop` also dZ = dX ∘ the dropout mask of the branch
 * that fed the LayerNorm). The workgroups after them are the channels, LN_CH per workgroup: thread (lane,
 * c) sums the rows lane, lane + 8, … (neighbouring threads read neighbouring channels), and after one
 * barrier lane 0 folds the 8 lanes in order into dg = Σ dY·x̂ and db = Σ dY, written to `dgb` at c and
 * bOff + c (the gamma and beta gradients being one aligned range apart). No atomics: deterministic.
 */
export function layerNormBackwardKernel(drop: boolean, accumulate = false): KernelDef {
  const bindings: BindingDef[] = [
    { name: 'dY', kind: 'read' },
    { name: 'X', kind: 'read' },
    { name: 'stats', kind: 'read' },
    { name: 'g', kind: 'read' },
    { name: 'dX', kind: 'write' },
    { name: 'dgb', kind: 'write' },
  ];
  if (drop) bindings.push({ name: 'dZ', kind: 'write' }, { name: 'keys', kind: 'readInt' });
  const perRow = LN_WG / LN_ROWS;
  const lanes = LN_WG / LN_CH;
  return {
    key: `lnBwd${drop ? '_drop' : ''}${accumulate ? '_acc' : ''}`,
    uniforms: [
      ['rows', 'u32'],
      ['C', 'u32'],
      ['site', 'u32'],
      ['thr', 'u32'],
      ['scale', 'f32'],
      ['rowWg', 'u32'],
      ['bOff', 'u32'],
      ['hr0', 'u32'],
    ],
    bindings,
    workgroup: [LN_WG, 1],
    helpers: `${drop ? WGSL_HASH : ''}
var<workgroup> part : array<vec2<f32>, ${LN_WG}>;`,
    body: `
  let w = wid.y * nwg.x + wid.x;
  if (w >= u.rowWg) {
    let cc = lidx % ${LN_CH}u;
    let lane = lidx / ${LN_CH}u;
    let c = (w - u.rowWg) * ${LN_CH}u + cc;
    var sg = 0.0;
    var sb = 0.0;
    if (c < u.C) {
      for (var r = lane; r < u.rows; r += ${lanes}u) {
        let d = dY[r * u.C + c];
        sg += d * (X[r * u.C + c] - stats[2u * r]) * stats[2u * r + 1u];
        sb += d;
      }
    }
    part[lidx] = vec2<f32>(sg, sb);
    workgroupBarrier();
    if (lane == 0u && c < u.C) {
      var t = vec2<f32>(0.0, 0.0);
      for (var k = 0u; k < ${lanes}u; k++) { t += part[k * ${LN_CH}u + cc]; }
      ${accumulate ? 'dgb[c] = dgb[c] + t.x;' : 'dgb[c] = t.x;'}
      ${accumulate ? 'dgb[u.bOff + c] = dgb[u.bOff + c] + t.y;' : 'dgb[u.bOff + c] = t.y;'}
    }
    return;
  }
  let t = lidx % ${perRow}u;
  let slot = lidx - t;
  let i = w * ${LN_ROWS}u + lidx / ${perRow}u;
  let live = i < u.rows;
  let n = select(0u, u.C, live);
  let base = i * u.C;
  let ii = min(i, u.rows - 1u); // a dead row (past the last) reads the last row's stats, writes nothing
  let mean = stats[2u * ii];
  let rstd = stats[2u * ii + 1u];
  var p = vec2<f32>(0.0, 0.0);
  for (var c = t; c < n; c += ${perRow}u) {
    let gy = dY[base + c] * g[c];
    p += vec2<f32>(gy, gy * (X[base + c] - mean) * rstd);
  }
  part[lidx] = p;
  workgroupBarrier();
  var s = vec2<f32>(0.0, 0.0);
  for (var k = 0u; k < ${perRow}u; k++) { s += part[slot + k]; }
  let sumG = s.x / f32(u.C);
  let sumGX = s.y / f32(u.C);
  for (var c = t; c < n; c += ${perRow}u) {
    let xh = (X[base + c] - mean) * rstd;
    let d = rstd * (dY[base + c] * g[c] - sumG - xh * sumGX);
    dX[base + c] = d;
    ${drop ? 'dZ[base + c] = d * dropScale(i + u.hr0, c, u32(keys[u.site * 2u]), u32(keys[u.site * 2u + 1u]), u.thr, u.scale);' : ''}
  }`,
  };
}

/** The grid and uniforms of a LayerNorm backward over `rows` × C: row workgroups, then channel ones. */
export function layerNormBackwardGrid(rows: number, C: number): { rowWg: number; workgroups: number } {
  const rowWg = Math.ceil(rows / LN_ROWS);
  return { rowWg, workgroups: rowWg + Math.ceil(C / LN_CH) };
}

/** WGSL shared by the attention kernels: the qkv column of (head, kind, d) and the thread's (b, h, row). */
function attnHelpers(hs: number, drop: boolean): string {
  return `${drop ? WGSL_HASH : ''}
const HS = ${hs}u;
fn col(h : u32, kind : u32, d : u32) -> u32 { return h * 3u * HS + kind * HS + d; }
fn dropW(row : u32, j : u32) -> f32 {
  ${drop ? 'return dropScale(row + u.hr0, j, u32(keys[u.site * 2u]), u32(keys[u.site * 2u + 1u]), u.thr, u.scale);' : 'return 1.0;'}
}`;
}

const ATTN_UNIFORMS: [string, 'u32' | 'f32'][] = [
  ['B', 'u32'],
  ['T', 'u32'],
  ['H', 'u32'],
  ['site', 'u32'],
  ['thr', 'u32'],
  ['scale', 'f32'],
  ['qscale', 'f32'],
  ['i0', 'u32'],
  ['hr0', 'u32'],
];
/** Threads per attention workgroup: one query (or key) row each; grid (ceil(T / ATTN_WG), B·H). */
export const ATTN_WG = 64;
const ATTN_ROW = `
  let bh = wid.y;
  let b = bh / u.H;
  let h = bh % u.H;
  let i = u.i0 + wid.x * ${ATTN_WG}u + lidx;
  if (i >= u.T) { return; }
  let C3 = 3u * HS * u.H;
  let C = HS * u.H;
  let row = bh * u.T + i;`;

/**
 * Causal attention forward fused per (batch, head), flash-style: each thread owns one query row, streams
 * the keys j ≤ i with an online softmax (running max and sum, no T × T matrix), applies the dropout mask
 * to the normalised weights, accumulates weights·v, and stores y and the row's log-sum-exp.
 */
export function attentionForwardKernel(hs: number, drop: boolean): KernelDef {
  const bindings: BindingDef[] = [
    { name: 'qkv', kind: 'read' },
    { name: 'Y', kind: 'write' },
    { name: 'lse', kind: 'write' },
  ];
  if (drop) bindings.push({ name: 'keys', kind: 'readInt' });
  return {
    key: `attnFwd_${hs}${drop ? '_drop' : ''}`,
    uniforms: ATTN_UNIFORMS,
    bindings,
    workgroup: [ATTN_WG, 1],
    helpers: attnHelpers(hs, drop),
    body: `${ATTN_ROW}
  var q : array<f32, ${hs}>;
  var acc : array<f32, ${hs}>;
  let qi = (b * u.T + i) * C3;
  for (var d = 0u; d < HS; d++) { q[d] = qkv[qi + col(h, 1u, d)] * u.qscale; acc[d] = 0.0; }
  var m = -3.0e38;
  var l = 0.0;
  for (var j = 0u; j <= i; j++) {
    let kj = (b * u.T + j) * C3;
    var s = 0.0;
    for (var d = 0u; d < HS; d++) { s += q[d] * qkv[kj + col(h, 0u, d)]; }
    let mNew = max(m, s);
    let corr = exp(m - mNew);
    let p = exp(s - mNew);
    l = l * corr + p;
    let pw = p * dropW(row, j);
    for (var d = 0u; d < HS; d++) { acc[d] = acc[d] * corr + pw * qkv[kj + col(h, 2u, d)]; }
    m = mNew;
  }
  let yo = (b * u.T + i) * C + h * HS;
  for (var d = 0u; d < HS; d++) { Y[yo + d] = acc[d] / l; }
  lse[row] = m + log(l);`,
  };
}

/** Attention weights (B, H, T, T) from qkv and the saved log-sum-exp (for display; no dropout). */
export function attentionWeightsKernel(hs: number): KernelDef {
  return {
    key: `attnWeights_${hs}`,
    uniforms: [...ATTN_UNIFORMS, ['base', 'u32']],
    bindings: [
      { name: 'qkv', kind: 'read' },
      { name: 'lse', kind: 'read' },
      { name: 'W', kind: 'write' },
    ],
    workgroup: [ATTN_WG, 1],
    helpers: attnHelpers(hs, false),
    body: `${ATTN_ROW}
  let qi = (b * u.T + i) * C3;
  for (var j = 0u; j < u.T; j++) {
    var p = 0.0;
    if (j <= i) {
      let kj = (b * u.T + j) * C3;
      var s = 0.0;
      for (var d = 0u; d < HS; d++) { s += qkv[qi + col(h, 1u, d)] * qkv[kj + col(h, 0u, d)]; }
      p = exp(s * u.qscale - lse[row]);
    }
    W[u.base + row * u.T + j] = p;
  }`,
  };
}

/**
 * Attention backward in one dispatch over a batched grid (2·ceil(T / ATTN_WG), B·H). Query side (the first
 * ceil(T / ATTN_WG) columns): one thread per query row i recomputes its weights from q, k and the
 * log-sum-exp, with D_i = dy_i · y_i, and writes dq_i. Key side (the rest): one thread per key row j sums
 * over the queries i ≥ j into dk_j and dv_j; the workgroup computes the D of each block of ATTN_WG queries
 * once into workgroup memory. The two sides write disjoint columns of dqkv, so one pass needs no ordering.
 */
export function attentionBackwardKernel(hs: number, drop: boolean): KernelDef {
  const bindings: BindingDef[] = [
    { name: 'dY', kind: 'read' },
    { name: 'qkv', kind: 'read' },
    { name: 'Y', kind: 'read' },
    { name: 'lse', kind: 'read' },
    { name: 'dqkv', kind: 'write' },
  ];
  if (drop) bindings.push({ name: 'keys', kind: 'readInt' });
  return {
    key: `attnBwd_${hs}${drop ? '_drop' : ''}`,
    uniforms: ATTN_UNIFORMS,
    bindings,
    workgroup: [ATTN_WG, 1],
    helpers: `${attnHelpers(hs, drop)}
var<workgroup> Dsh : array<f32, ${ATTN_WG}>;`,
    body: `
  let nq = (u.T + ${ATTN_WG - 1}u) / ${ATTN_WG}u;
  let bh = wid.y;
  let b = bh / u.H;
  let h = bh % u.H;
  let C3 = 3u * HS * u.H;
  let C = HS * u.H;
  if (wid.x >= nq) {
    let j0 = (wid.x - nq) * ${ATTN_WG}u;
    let j = j0 + lidx;
    let jj = min(j, u.T - 1u);
    let kj = (b * u.T + jj) * C3;
    var k : array<f32, ${hs}>;
    var v : array<f32, ${hs}>;
    var dk : array<f32, ${hs}>;
    var dv : array<f32, ${hs}>;
    for (var d = 0u; d < HS; d++) { k[d] = qkv[kj + col(h, 0u, d)]; v[d] = qkv[kj + col(h, 2u, d)]; dk[d] = 0.0; dv[d] = 0.0; }
    for (var q0 = j0; q0 < u.T; q0 += ${ATTN_WG}u) {
      let qr = q0 + lidx;
      var D = 0.0;
      if (qr < u.T) {
        let yo = (b * u.T + qr) * C + h * HS;
        for (var d = 0u; d < HS; d++) { D += dY[yo + d] * Y[yo + d]; }
      }
      Dsh[lidx] = D;
      workgroupBarrier();
      let qend = min(q0 + ${ATTN_WG}u, u.T);
      for (var qi2 = max(q0, j); qi2 < qend; qi2++) {
        let qi = (b * u.T + qi2) * C3;
        let yo = (b * u.T + qi2) * C + h * HS;
        let r = bh * u.T + qi2;
        var s = 0.0;
        var dp = 0.0;
        for (var d = 0u; d < HS; d++) { s += qkv[qi + col(h, 1u, d)] * k[d]; dp += dY[yo + d] * v[d]; }
        let p = exp(s * u.qscale - lse[r]);
        let w = dropW(r, j);
        let ds = p * (dp * w - Dsh[qi2 - q0]) * u.qscale;
        for (var d = 0u; d < HS; d++) {
          dk[d] += ds * qkv[qi + col(h, 1u, d)];
          dv[d] += p * w * dY[yo + d];
        }
      }
      workgroupBarrier();
    }
    if (j < u.T) {
      for (var d = 0u; d < HS; d++) { dqkv[kj + col(h, 0u, d)] = dk[d]; dqkv[kj + col(h, 2u, d)] = dv[d]; }
    }
    return;
  }
  let i = wid.x * ${ATTN_WG}u + lidx;
  if (i >= u.T) { return; }
  let row = bh * u.T + i;
  let qi = (b * u.T + i) * C3;
  let yo = (b * u.T + i) * C + h * HS;
  var dq : array<f32, ${hs}>;
  var D = 0.0;
  for (var d = 0u; d < HS; d++) { D += dY[yo + d] * Y[yo + d]; dq[d] = 0.0; }
  let L = lse[row];
  for (var j = 0u; j <= i; j++) {
    let kj = (b * u.T + j) * C3;
    var s = 0.0;
    var dp = 0.0;
    for (var d = 0u; d < HS; d++) {
      s += qkv[qi + col(h, 1u, d)] * qkv[kj + col(h, 0u, d)];
      dp += dY[yo + d] * qkv[kj + col(h, 2u, d)];
    }
    let p = exp(s * u.qscale - L);
    let ds = p * (dp * dropW(row, j) - D) * u.qscale;
    for (var d = 0u; d < HS; d++) { dq[d] += ds * qkv[kj + col(h, 0u, d)]; }
  }
  for (var d = 0u; d < HS; d++) { dqkv[qi + col(h, 1u, d)] = dq[d]; }`,
  };
}

/** The cross-entropy's bindings (both variants): dlogits only with the gradient. */
function crossEntropyBindings(withGrad: boolean): BindingDef[] {
  const bindings: BindingDef[] = [
    { name: 'logits', kind: 'read' },
    { name: 'targets', kind: 'readInt' },
    { name: 'losses', kind: 'write' },
  ];
  if (withGrad) bindings.push({ name: 'dlogits', kind: 'write' });
  return bindings;
}
const CE_UNIFORMS: [string, 'u32' | 'f32'][] = [
  ['N', 'u32'],
  ['V', 'u32'],
  ['invN', 'f32'],
  ['g0', 'u32'],
];

/**
 * Softmax cross-entropy fused with its gradient, one thread per row: losses[n] and dlogits = (p − y)·invN
 * (invN = 1 / the batch's rows, also in a row slice), the targets read from row g0 + n (a slice's first row).
 */
export function crossEntropyKernel(withGrad: boolean, subgroups = false): KernelDef {
  if (subgroups) return crossEntropySubgroupKernel(withGrad);
  const bindings = crossEntropyBindings(withGrad);
  return {
    key: `crossEntropy${withGrad ? '_grad' : ''}`,
    uniforms: CE_UNIFORMS,
    bindings,
    workgroup: [FLAT_WG, 1],
    body: `${FLAT}
  if (i >= u.N) { return; }
  let base = i * u.V;
  var m = -3.0e38;
  for (var c = 0u; c < u.V; c++) { m = max(m, logits[base + c]); }
  var s = 0.0;
  for (var c = 0u; c < u.V; c++) { s += exp(logits[base + c] - m); }
  let lse = m + log(s);
  let y = u32(targets[u.g0 + i]);
  losses[i] = lse - logits[base + y];
  ${
    withGrad
      ? `for (var c = 0u; c < u.V; c++) {
    dlogits[base + c] = (exp(logits[base + c] - lse) - select(0.0, 1.0, c == y)) * u.invN;
  }`
      : ''
  }`,
  };
}

/**
 * Cross-entropy with subgroups: one workgroup of ROW_WG threads per row (grid: N workgroups); the max and
 * the sum of exponentials are subgroupMax / subgroupAdd reductions.
 */
function crossEntropySubgroupKernel(withGrad: boolean): KernelDef {
  const bindings = crossEntropyBindings(withGrad);
  return {
    key: `crossEntropy_sg${withGrad ? '_grad' : ''}`,
    uniforms: CE_UNIFORMS,
    bindings,
    workgroup: [ROW_WG, 1],
    enables: ['subgroups'],
    helpers: SUBGROUP_REDUCE,
    body: `${WG_INDEX}
  if (w >= u.N) { return; }
  let base = w * u.V;
  var m = -3.0e38;
  for (var c = lidx; c < u.V; c += ${ROW_WG}u) { m = max(m, logits[base + c]); }
  m = wgMax(m, lidx, sgi);
  var s = 0.0;
  for (var c = lidx; c < u.V; c += ${ROW_WG}u) { s += exp(logits[base + c] - m); }
  let lse = m + log(wgSum(s, lidx, sgi));
  let y = u32(targets[u.g0 + w]);
  if (lidx == 0u) { losses[w] = lse - logits[base + y]; }
  ${
    withGrad
      ? `for (var c = lidx; c < u.V; c += ${ROW_WG}u) {
    dlogits[base + c] = (exp(logits[base + c] - lse) - select(0.0, 1.0, c == y)) * u.invN;
  }`
      : ''
  }`,
  };
}

/**
 * Sum of `count` values times `inv` into out[slot] (one workgroup, fixed-order tree: deterministic); with
 * `accumulate` added to out[slot] (a row slice after the first: inv is 1 / the whole batch's rows).
 */
export function meanKernel(subgroups = false, accumulate = false): KernelDef {
  return {
    key: `mean${subgroups ? '_sg' : ''}${accumulate ? '_acc' : ''}`,
    enables: subgroups ? ['subgroups'] : [],
    uniforms: [
      ['count', 'u32'],
      ['slot', 'u32'],
      ['inv', 'f32'],
    ],
    bindings: [
      { name: 'X', kind: 'read' },
      { name: 'outM', kind: 'write' },
    ],
    workgroup: [ROW_WG, 1],
    helpers: subgroups ? SUBGROUP_REDUCE : ROW_REDUCE,
    body: `
  var s = 0.0;
  for (var k = lidx; k < u.count; k += ${ROW_WG}u) { s += X[k]; }
  let total = wgSum(s, lidx${subgroups ? ', sgi' : ''});
  if (lidx == 0u) { outM[u.slot] = ${accumulate ? 'outM[u.slot] + ' : ''}total * u.inv; }`,
  };
}

/**
 * AdamW over the flat parameter buffer (torch.optim.AdamW's formula and scalars), skipped entirely when
 * the step's loss (lossBuf[0]) is NaN or infinite, so a bad batch never reaches the weights. With `embed`
 * the embedding backward is fused in: the threads of the wte and wpe ranges (at wte0, wpe0) compute their
 * gradient (embedGrad), store it in g and use it, so a training step needs no embedding-backward dispatch.
 */
export function adamwKernel(embed = false): KernelDef {
  return {
    key: `adamw${embed ? '_embed' : ''}`,
    uniforms: [
      ['n', 'u32'],
      ['decay', 'f32'],
      ['beta1', 'f32'],
      ['oneMinusBeta1', 'f32'],
      ['beta2', 'f32'],
      ['oneMinusBeta2', 'f32'],
      ['biasCorrection2Sqrt', 'f32'],
      ['eps', 'f32'],
      ['stepSize', 'f32'],
      ...(embed
        ? [...EMBED_UNIFORMS, ['wte0', 'u32'] as [string, 'u32'], ['wpe0', 'u32'] as [string, 'u32']]
        : []),
    ],
    bindings: [
      { name: 'p', kind: 'write' },
      { name: 'g', kind: embed ? 'write' : 'read' },
      { name: 'm', kind: 'write' },
      { name: 'v', kind: 'write' },
      { name: 'lossBuf', kind: 'read' },
      ...(embed ? EMBED_BINDINGS : []),
    ],
    workgroup: [FLAT_WG, 1],
    helpers: embed ? EMBED_GRAD : '',
    body: `${FLAT}
  if (i >= u.n) { return; }
  var gi = 0.0;
  ${
    embed
      ? `if (i >= u.wte0 && i < u.wte0 + u.V * u.C) {
    gi = embedGrad((i - u.wte0) / u.C, (i - u.wte0) % u.C);
    g[i] = gi;
  } else if (i >= u.wpe0 && i < u.wpe0 + u.Tmax * u.C) {
    gi = embedGrad(u.V + (i - u.wpe0) / u.C, (i - u.wpe0) % u.C);
    g[i] = gi;
  } else {
    gi = g[i];
  }`
      : 'gi = g[i];'
  }
  if ((bitcast<u32>(lossBuf[0]) & 0x7f800000u) == 0x7f800000u) { return; }
  let mi = m[i] * u.beta1 + gi * u.oneMinusBeta1;
  let vi = v[i] * u.beta2 + gi * gi * u.oneMinusBeta2;
  m[i] = mi;
  v[i] = vi;
  p[i] = p[i] * u.decay - mi / (sqrt(vi) / u.biasCorrection2Sqrt + u.eps) * u.stepSize;`,
  };
}
