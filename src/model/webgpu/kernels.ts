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
  /** Body of main; `gid`, `lid`, `wid`, `lidx` and `u` (the uniforms) are in scope. */
  body: string;
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
  return `struct Uniforms {\n${fields || '  pad : u32,'}\n};
@group(0) @binding(0) var<uniform> u : Uniforms;
${decls}
${k.helpers ?? ''}
@compute @workgroup_size(${k.workgroup[0]}, ${k.workgroup[1]})
fn main(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(local_invocation_id) lid : vec3<u32>,
        @builtin(workgroup_id) wid : vec3<u32>, @builtin(local_invocation_index) lidx : u32,
        @builtin(num_workgroups) nwg : vec3<u32>) {
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

/** x (N, C) = wte[idx[n]] + wpe[n mod T], for the rows n0 … n0 + count/C − 1 (n0 > 0: one decoded token). */
export function embedForwardKernel(): KernelDef {
  return {
    key: 'embedFwd',
    uniforms: [
      ['count', 'u32'],
      ['T', 'u32'],
      ['C', 'u32'],
      ['n0', 'u32'],
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
  outX[n * u.C + c] = wte[u32(idx[n]) * u.C + c] + wpe[(n % u.T) * u.C + c];`,
  };
}

/**
 * Deterministic embedding backward (no atomics): one thread per (row, channel) of [dwte; dwpe]. Token rows
 * sum dx over that token's positions, listed by the CPU in `order` with offsets `start` (V + 1); position
 * rows sum over the batch (rows ≥ T get 0).
 */
export function embedBackwardKernel(): KernelDef {
  return {
    key: 'embedBwd',
    uniforms: [
      ['V', 'u32'],
      ['Tmax', 'u32'],
      ['B', 'u32'],
      ['T', 'u32'],
      ['C', 'u32'],
    ],
    bindings: [
      { name: 'dx', kind: 'read' },
      { name: 'order', kind: 'readInt' },
      { name: 'start', kind: 'readInt' },
      { name: 'dwte', kind: 'write' },
      { name: 'dwpe', kind: 'write' },
    ],
    workgroup: [FLAT_WG, 1],
    body: `${FLAT}
  if (i >= (u.V + u.Tmax) * u.C) { return; }
  let r = i / u.C;
  let c = i % u.C;
  var s = 0.0;
  if (r < u.V) {
    for (var k = start[r]; k < start[r + 1u]; k++) { s += dx[u32(order[k]) * u.C + c]; }
    dwte[r * u.C + c] = s;
  } else {
    let t = r - u.V;
    if (t < u.T) {
      for (var b = 0u; b < u.B; b++) { s += dx[(b * u.T + t) * u.C + c]; }
    }
    dwpe[t * u.C + c] = s;
  }`,
  };
}

/** Which epilogue a matmul variant fuses (see twins.ts Epilogue). */
export interface MatmulFlags {
  bias?: boolean;
  relu?: boolean;
  drop?: boolean;
  residual?: boolean;
  reluGate?: boolean;
}

/**
 * C (M, N) = A (M, K) · B (K, N), strided operands (so Wᵀ, dYᵀ need no transpose pass), register-tiled:
 * a 64 × 64 output tile per workgroup of 16 × 16 threads, 4 × 4 outputs per thread held as four vec4
 * accumulators, BK = 16 deep tiles of A and B staged in workgroup memory as vec4 rows. The epilogue adds
 * bias, ReLU, dropout (hash site from `keys`), a residual, or gates by a saved ReLU output.
 */
export function matmulKernel(f: MatmulFlags, tiled = true): KernelDef {
  const bindings: BindingDef[] = [
    { name: 'A', kind: 'read' },
    { name: 'Bm', kind: 'read' },
    { name: 'outC', kind: 'write' },
  ];
  if (f.bias) bindings.push({ name: 'bias', kind: 'read' });
  if (f.residual || f.reluGate) bindings.push({ name: 'R', kind: 'read' });
  if (f.drop) bindings.push({ name: 'keys', kind: 'readInt' });
  const epi = [
    f.bias ? 'v = v + bias[gn];' : '',
    f.relu ? 'v = max(v, 0.0);' : '',
    f.drop
      ? 'v = v * dropScale(gm, gn, u32(keys[u.site * 2u]), u32(keys[u.site * 2u + 1u]), u.thr, u.scale);'
      : '',
    f.residual ? 'v = v + R[(gm + u.r0) * u.N + gn];' : '',
    f.reluGate ? 'if (!(R[gm * u.N + gn] > 0.0)) { v = 0.0; }' : '',
  ].join('\n        ');
  const key = `matmul${tiled ? '' : 'Direct'}_${['bias', 'relu', 'drop', 'residual', 'reluGate'].filter((k) => f[k as keyof MatmulFlags]).join('_')}`;
  const uniforms: [string, 'u32' | 'f32'][] = [
    ['M', 'u32'],
    ['N', 'u32'],
    ['K', 'u32'],
    ['sa0', 'u32'],
    ['sa1', 'u32'],
    ['sb0', 'u32'],
    ['sb1', 'u32'],
    ['site', 'u32'],
    ['thr', 'u32'],
    ['scale', 'f32'],
    ['r0', 'u32'],
  ];
  const store = `
  for (var r = 0u; r < 4u; r++) {
    let gm = row0 + r;
    if (gm >= u.M) { continue; }
    for (var c = 0u; c < 4u; c++) {
      let gn = col0 + c;
      if (gn < u.N) {
        var v = acc[r][c];
        ${epi}
        outC[(gm + u.r0) * u.N + gn] = v;
      }
    }
  }`;
  if (!tiled) {
    // No workgroup memory and no barriers: each thread reads its 4 rows of A and 4 columns of B from
    // global memory (cached) per k. Faster on software GPUs, where barriers are expensive.
    return {
      key,
      uniforms,
      bindings,
      workgroup: [DIRECT_WG, DIRECT_WG],
      helpers: f.drop ? WGSL_HASH : '',
      body: `
  let row0 = (wid.y * ${DIRECT_WG}u + lid.y) * 4u;
  let col0 = (wid.x * ${DIRECT_WG}u + lid.x) * 4u;
  if (row0 >= u.M || col0 >= u.N) { return; }
  var acc : array<vec4<f32>, 4>;
  let rm0 = min(vec4<u32>(row0, row0 + 1u, row0 + 2u, row0 + 3u), vec4<u32>(u.M - 1u));
  let rm = rm0 + vec4<u32>(u.r0);
  let cn = min(vec4<u32>(col0, col0 + 1u, col0 + 2u, col0 + 3u), vec4<u32>(u.N - 1u));
  for (var k = 0u; k < u.K; k++) {
    let a = vec4<f32>(A[rm.x * u.sa0 + k * u.sa1], A[rm.y * u.sa0 + k * u.sa1], A[rm.z * u.sa0 + k * u.sa1], A[rm.w * u.sa0 + k * u.sa1]);
    let b = vec4<f32>(Bm[k * u.sb0 + cn.x * u.sb1], Bm[k * u.sb0 + cn.y * u.sb1], Bm[k * u.sb0 + cn.z * u.sb1], Bm[k * u.sb0 + cn.w * u.sb1]);
    acc[0] = acc[0] + a.x * b;
    acc[1] = acc[1] + a.y * b;
    acc[2] = acc[2] + a.z * b;
    acc[3] = acc[3] + a.w * b;
  }${store}`,
    };
  }
  return {
    key,
    uniforms,
    bindings,
    workgroup: [16, 16],
    helpers: `${f.drop ? WGSL_HASH : ''}
var<workgroup> As : array<array<vec4<f32>, ${TILE / 4}>, ${BK}>;
var<workgroup> Bs : array<array<vec4<f32>, ${TILE / 4}>, ${BK}>;`,
    body: `
  let row0 = wid.y * ${TILE}u;
  let col0 = wid.x * ${TILE}u;
  var acc : array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < u.K; k0 += ${BK}u) {
    for (var e = 0u; e < ${(TILE * BK) / 256}u; e++) {
      let q = lidx + e * 256u;
      let mm = q / ${BK}u;
      let ka = q % ${BK}u;
      var va = 0.0;
      if (row0 + mm < u.M && k0 + ka < u.K) { va = A[(row0 + mm + u.r0) * u.sa0 + (k0 + ka) * u.sa1]; }
      As[ka][mm / 4u][mm % 4u] = va;
      let kb = q / ${TILE}u;
      let nn = q % ${TILE}u;
      var vb = 0.0;
      if (col0 + nn < u.N && k0 + kb < u.K) { vb = Bm[(k0 + kb) * u.sb0 + (col0 + nn) * u.sb1]; }
      Bs[kb][nn / 4u][nn % 4u] = vb;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${BK}u; kk++) {
      let a = As[kk][lid.y];
      let b = Bs[kk][lid.x];
      acc[0] = acc[0] + a.x * b;
      acc[1] = acc[1] + a.y * b;
      acc[2] = acc[2] + a.z * b;
      acc[3] = acc[3] + a.w * b;
    }
    workgroupBarrier();
  }
  let tr = row0 + lid.y * 4u;
  let tc = col0 + lid.x * 4u;
  ${store.replace(/row0 \+ r/g, 'tr + r').replace(/col0 \+ c/g, 'tc + c')}`,
  };
}

/** Column sums of X (M, N) into out (N): bias gradients, one thread per column (deterministic). */
export function colSumKernel(): KernelDef {
  return {
    key: 'colSum',
    uniforms: [
      ['M', 'u32'],
      ['N', 'u32'],
    ],
    bindings: [
      { name: 'X', kind: 'read' },
      { name: 'outS', kind: 'write' },
    ],
    workgroup: [FLAT_WG, 1],
    body: `${FLAT}
  if (i >= u.N) { return; }
  var s = 0.0;
  for (var m = 0u; m < u.M; m++) { s += X[m * u.N + i]; }
  outS[i] = s;`,
  };
}

/**
 * LayerNorm forward, one thread per row (no barriers: a row of C ≤ a few thousand values is a short loop,
 * and software GPUs pay dearly for workgroup barriers): y = (x − mean)·rstd·g + b; stats = (mean, rstd).
 */
export function layerNormForwardKernel(): KernelDef {
  return {
    key: 'lnFwd',
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

/** LayerNorm backward to the input, one thread per row; with `drop`, also dZ = dX ∘ dropout mask. */
export function layerNormBackwardKernel(drop: boolean): KernelDef {
  const bindings: BindingDef[] = [
    { name: 'dY', kind: 'read' },
    { name: 'X', kind: 'read' },
    { name: 'stats', kind: 'read' },
    { name: 'g', kind: 'read' },
    { name: 'dX', kind: 'write' },
  ];
  if (drop) bindings.push({ name: 'dZ', kind: 'write' }, { name: 'keys', kind: 'readInt' });
  return {
    key: `lnBwd${drop ? '_drop' : ''}`,
    uniforms: [
      ['rows', 'u32'],
      ['C', 'u32'],
      ['site', 'u32'],
      ['thr', 'u32'],
      ['scale', 'f32'],
    ],
    bindings,
    workgroup: [FLAT_WG, 1],
    helpers: drop ? WGSL_HASH : '',
    body: `${FLAT}
  if (i >= u.rows) { return; }
  let base = i * u.C;
  let mean = stats[2u * i];
  let rstd = stats[2u * i + 1u];
  var sg = 0.0;
  var sgx = 0.0;
  for (var c = 0u; c < u.C; c++) {
    let gy = dY[base + c] * g[c];
    sg += gy;
    sgx += gy * (X[base + c] - mean) * rstd;
  }
  let sumG = sg / f32(u.C);
  let sumGX = sgx / f32(u.C);
  for (var c = 0u; c < u.C; c++) {
    let xh = (X[base + c] - mean) * rstd;
    let d = rstd * (dY[base + c] * g[c] - sumG - xh * sumGX);
    dX[base + c] = d;
    ${drop ? 'dZ[base + c] = d * dropScale(i, c, u32(keys[u.site * 2u]), u32(keys[u.site * 2u + 1u]), u.thr, u.scale);' : ''}
  }`,
  };
}

/** LayerNorm parameter gradients, one thread per channel: dg = Σ dY·x̂, db = Σ dY over rows. */
export function layerNormParamGradKernel(): KernelDef {
  return {
    key: 'lnParamGrad',
    uniforms: [
      ['rows', 'u32'],
      ['C', 'u32'],
    ],
    bindings: [
      { name: 'dY', kind: 'read' },
      { name: 'X', kind: 'read' },
      { name: 'stats', kind: 'read' },
      { name: 'dg', kind: 'write' },
      { name: 'db', kind: 'write' },
    ],
    workgroup: [FLAT_WG, 1],
    body: `${FLAT}
  if (i >= u.C) { return; }
  var sg = 0.0;
  var sb = 0.0;
  for (var r = 0u; r < u.rows; r++) {
    let d = dY[r * u.C + i];
    sg += d * (X[r * u.C + i] - stats[2u * r]) * stats[2u * r + 1u];
    sb += d;
  }
  dg[i] = sg;
  db[i] = sb;`,
  };
}

/** WGSL shared by the attention kernels: the qkv column of (head, kind, d) and the thread's (b, h, row). */
function attnHelpers(hs: number, drop: boolean): string {
  return `${drop ? WGSL_HASH : ''}
const HS = ${hs}u;
fn col(h : u32, kind : u32, d : u32) -> u32 { return h * 3u * HS + kind * HS + d; }
fn dropW(row : u32, j : u32) -> f32 {
  ${drop ? 'return dropScale(row, j, u32(keys[u.site * 2u]), u32(keys[u.site * 2u + 1u]), u.thr, u.scale);' : 'return 1.0;'}
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
 * Attention backward, query side: one thread per query row i recomputes its weights from q, k and the
 * log-sum-exp, stores D_i = dy_i · y_i (needed by the key side) and writes dq_i.
 */
export function attentionBackwardQKernel(hs: number, drop: boolean): KernelDef {
  const bindings: BindingDef[] = [
    { name: 'dY', kind: 'read' },
    { name: 'qkv', kind: 'read' },
    { name: 'Y', kind: 'read' },
    { name: 'lse', kind: 'read' },
    { name: 'Dr', kind: 'write' },
    { name: 'dqkv', kind: 'write' },
  ];
  if (drop) bindings.push({ name: 'keys', kind: 'readInt' });
  return {
    key: `attnBwdQ_${hs}${drop ? '_drop' : ''}`,
    uniforms: ATTN_UNIFORMS,
    bindings,
    workgroup: [ATTN_WG, 1],
    helpers: attnHelpers(hs, drop),
    body: `${ATTN_ROW}
  let qi = (b * u.T + i) * C3;
  let yo = (b * u.T + i) * C + h * HS;
  var dq : array<f32, ${hs}>;
  var D = 0.0;
  for (var d = 0u; d < HS; d++) { D += dY[yo + d] * Y[yo + d]; dq[d] = 0.0; }
  Dr[row] = D;
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

/** Attention backward, key side: one thread per key row j sums over queries i ≥ j into dk_j and dv_j. */
export function attentionBackwardKVKernel(hs: number, drop: boolean): KernelDef {
  const bindings: BindingDef[] = [
    { name: 'dY', kind: 'read' },
    { name: 'qkv', kind: 'read' },
    { name: 'lse', kind: 'read' },
    { name: 'Dr', kind: 'read' },
    { name: 'dqkv', kind: 'write' },
  ];
  if (drop) bindings.push({ name: 'keys', kind: 'readInt' });
  return {
    key: `attnBwdKV_${hs}${drop ? '_drop' : ''}`,
    uniforms: ATTN_UNIFORMS,
    bindings,
    workgroup: [ATTN_WG, 1],
    helpers: attnHelpers(hs, drop),
    body: `${ATTN_ROW}
  let j = i;
  let kj = (b * u.T + j) * C3;
  var k : array<f32, ${hs}>;
  var v : array<f32, ${hs}>;
  var dk : array<f32, ${hs}>;
  var dv : array<f32, ${hs}>;
  for (var d = 0u; d < HS; d++) { k[d] = qkv[kj + col(h, 0u, d)]; v[d] = qkv[kj + col(h, 2u, d)]; dk[d] = 0.0; dv[d] = 0.0; }
  for (var qi2 = j; qi2 < u.T; qi2++) {
    let qi = (b * u.T + qi2) * C3;
    let yo = (b * u.T + qi2) * C + h * HS;
    let r = bh * u.T + qi2;
    var s = 0.0;
    var dp = 0.0;
    for (var d = 0u; d < HS; d++) { s += qkv[qi + col(h, 1u, d)] * k[d]; dp += dY[yo + d] * v[d]; }
    let p = exp(s * u.qscale - lse[r]);
    let w = dropW(r, j);
    let ds = p * (dp * w - Dr[r]) * u.qscale;
    for (var d = 0u; d < HS; d++) {
      dk[d] += ds * qkv[qi + col(h, 1u, d)];
      dv[d] += p * w * dY[yo + d];
    }
  }
  for (var d = 0u; d < HS; d++) { dqkv[kj + col(h, 0u, d)] = dk[d]; dqkv[kj + col(h, 2u, d)] = dv[d]; }`,
  };
}

/** Softmax cross-entropy fused with its gradient, one thread per row: losses[n] and dlogits = (p − y)/N. */
export function crossEntropyKernel(withGrad: boolean): KernelDef {
  const bindings: BindingDef[] = [
    { name: 'logits', kind: 'read' },
    { name: 'targets', kind: 'readInt' },
    { name: 'losses', kind: 'write' },
  ];
  if (withGrad) bindings.push({ name: 'dlogits', kind: 'write' });
  return {
    key: `crossEntropy${withGrad ? '_grad' : ''}`,
    uniforms: [
      ['N', 'u32'],
      ['V', 'u32'],
      ['invN', 'f32'],
    ],
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
  let y = u32(targets[i]);
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

/** Mean of `count` values into out[slot] (one workgroup, fixed-order tree: deterministic). */
export function meanKernel(): KernelDef {
  return {
    key: 'mean',
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
    helpers: ROW_REDUCE,
    body: `
  var s = 0.0;
  for (var k = lidx; k < u.count; k += ${ROW_WG}u) { s += X[k]; }
  let total = wgSum(s, lidx);
  if (lidx == 0u) { outM[u.slot] = total * u.inv; }`,
  };
}

/**
 * AdamW over the flat parameter buffer (torch.optim.AdamW's formula and scalars), skipped entirely when
 * the step's loss (lossBuf[0]) is NaN or infinite, so a bad batch never reaches the weights.
 */
export function adamwKernel(): KernelDef {
  return {
    key: 'adamw',
    uniforms: [
      ['n', 'u32'],
      ['decay', 'f32'],
      ['beta1', 'f32'],
      ['omb1', 'f32'],
      ['beta2', 'f32'],
      ['omb2', 'f32'],
      ['bc2', 'f32'],
      ['eps', 'f32'],
      ['stepSize', 'f32'],
    ],
    bindings: [
      { name: 'p', kind: 'write' },
      { name: 'g', kind: 'read' },
      { name: 'm', kind: 'write' },
      { name: 'v', kind: 'write' },
      { name: 'lossBuf', kind: 'read' },
    ],
    workgroup: [FLAT_WG, 1],
    body: `${FLAT}
  if (i >= u.n) { return; }
  if ((bitcast<u32>(lossBuf[0]) & 0x7f800000u) == 0x7f800000u) { return; }
  let gi = g[i];
  let mi = m[i] * u.beta1 + gi * u.omb1;
  let vi = v[i] * u.beta2 + gi * gi * u.omb2;
  m[i] = mi;
  v[i] = vi;
  p[i] = p[i] * u.decay - mi / (sqrt(vi) / u.bc2 + u.eps) * u.stepSize;`,
  };
}
