/**
 * The WebGPU engine's kernel self-check: every WGSL kernel run on the device against its CPU twin
 * (./twins.ts) on seeded random inputs — values and gradients, odd shapes, T = 1 and T = block size,
 * dropout on and off — plus whole training steps against the twins' reference step. The training worker
 * runs it on request, so a browser test proves the kernels on the browser's own WebGPU (SwiftShader in CI).
 */
import { createRng } from '../../lib/rng';
import { adamwScalars } from '../adamw-scalars';
import { makeConfig } from '../config';
import { createWebGPUEngine } from './engine';
import { engineCases } from './engine-checks';
import { hashKeys, threshold } from './hash';
import * as Kn from './kernels';
import { referenceStep } from './reference';
import { flatGrid, foldGrid, Runtime, type Dispatch } from './runtime';
import * as Tw from './twins';
import { relErr } from './rel-err';
import { tokenRows, type TokenRows } from './slices';

/** The outcome of one case: the largest error relative to the reference's scale, and the tolerance. */
export interface EngineCheckResult {
  name: string;
  /** max |gpu − twin| / (1 + max |twin|) over every output. */
  err: number;
  tol: number;
  ok: boolean;
  /** Device validation errors raised by the case (should be none). */
  errors: string[];
}

type Arr = Float32Array | Int32Array;

function randn(n: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal(0, scale));
}

function randInt(n: number, hi: number, seed: number): Int32Array {
  const rng = createRng(seed);
  return Int32Array.from({ length: n }, () => Math.min(hi - 1, Math.floor(rng.next() * hi)));
}

/** Each token's positions (order) and their offsets per token (start, V + 1): one slice, as the engine uploads. */
const embedOrder = (idx: Int32Array, V: number): TokenRows => tokenRows(idx, V, idx.length);

/** Run one kernel on fresh buffers: inputs uploaded, outputs (name → float count) read back. */
async function runKernel(
  rt: Runtime,
  kernel: Kn.KernelDef,
  uniforms: Record<string, number>,
  inputs: Record<string, Arr>,
  outputs: Record<string, number>,
  grid: [number, number],
): Promise<Record<string, Float32Array>> {
  const device = rt.device;
  const bind: Dispatch['bind'] = {};
  const made: GPUBuffer[] = [];
  const make = (name: string, floats: number): GPUBuffer => {
    const b = device.createBuffer({
      size: Math.max(16, Math.ceil((4 * floats) / 16) * 16),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    made.push(b);
    bind[name] = b;
    return b;
  };
  for (const [name, data] of Object.entries(inputs))
    device.queue.writeBuffer(make(name, data.length), 0, data);
  for (const [name, n] of Object.entries(outputs)) if (!bind[name]) make(name, n);
  const program = rt.program([{ kernel, uniforms, bind, grid }], kernel.key);
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  program.encode(pass);
  pass.end();
  const reads: [string, GPUBuffer, number][] = Object.entries(outputs).map(([name, n]) => {
    const r = device.createBuffer({
      size: Math.max(16, 4 * n),
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    enc.copyBufferToBuffer(bind[name] as GPUBuffer, 0, r, 0, 4 * n);
    return [name, r, n];
  });
  device.queue.submit([enc.finish()]);
  const out: Record<string, Float32Array> = {};
  for (const [name, r, n] of reads) {
    await r.mapAsync(GPUMapMode.READ);
    out[name] = new Float32Array(r.getMappedRange(0, 4 * n).slice(0));
    r.destroy();
  }
  for (const b of made) b.destroy();
  return out;
}

/** One case: a name, a tolerance and a function returning [gpu, twin] output pairs. */
interface Case {
  name: string;
  tol: number;
  run(rt: Runtime): Promise<[ArrayLike<number>, ArrayLike<number>][]>;
}

const site = (rate: number, salt: number): Tw.DropSite => {
  const [k1, k2] = hashKeys(1337, 5, salt);
  return { k1, k2, thr: threshold(rate), scale: Math.fround(1 / (1 - rate)) };
};
/** The keys buffer holding one site at index 0, and its uniforms. */
const siteBind = (s: Tw.DropSite) => ({
  keys: Int32Array.from([s.k1, s.k2]),
  u: { site: 0, thr: s.thr, scale: s.scale },
});

function matmulCase(
  M: number,
  N: number,
  K: number,
  trans: 'nt' | 'nn' | 'tn',
  flags: Kn.MatmulFlags,
  tiled: boolean,
  f16: 'no' | 'device' | 'spelled f32' = 'no',
): Case {
  const mode = f16 === 'no' ? '' : f16 === 'device' ? ' f16 inputs' : ' f16 source (f16 spelled f32)';
  return {
    name: `matmul ${tiled ? 'tiled' : 'direct'}${mode} ${trans} ${Object.keys(flags).join('+') || 'plain'} (${M}×${K})·(${K}×${N})`,
    tol: 1e-5,
    async run(rt) {
      const a = randn(M * K, M + N + K);
      const b = randn(K * N, M * N + 1);
      const sa: Tw.Strides = trans === 'tn' ? [1, M] : [K, 1];
      const sb: Tw.Strides = trans === 'nt' ? [1, K] : [N, 1];
      const bias = randn(N, 5);
      const R = randn(M * N, 6);
      const s = site(0.3, 9);
      const ep: Tw.Epilogue = {
        bias: flags.bias ? bias : undefined,
        relu: flags.relu,
        drop: flags.drop ? s : null,
        residual: flags.residual ? R : undefined,
        reluGate: flags.reluGate ? R : undefined,
        f16: f16 === 'device',
      };
      const want = Tw.matmul(a, sa, b, sb, M, N, K, ep);
      const kernel = Kn.matmulKernel(flags, tiled, f16 !== 'no');
      const inputs: Record<string, Arr> = { A: a, Bm: b };
      if (flags.bias) inputs.bias = bias;
      if (flags.residual || flags.reluGate) inputs.R = R;
      if (flags.drop) inputs.keys = siteBind(s).keys;
      const got = await runKernel(
        rt,
        f16 === 'spelled f32' ? spellF16AsF32(kernel) : kernel,
        { M, N, K, sa0: sa[0], sa1: sa[1], sb0: sb[0], sb1: sb[1], ...siteBind(s).u },
        inputs,
        { outC: M * N },
        [Math.ceil(N / Kn.matmulTile(tiled)), Math.ceil(M / Kn.matmulTile(tiled))],
      );
      return [[got.outC, want]];
    },
  };
}

/**
 * A mixed-precision kernel with every f16 spelled f32 and no `enable f16`: on a device without
 * `shader-f16` this still compiles and checks the generated f16 source's structure, indexing and logic.
 */
function spellF16AsF32(k: Kn.KernelDef): Kn.KernelDef {
  const f = (t: string): string => t.replace(/\bf16\b/g, 'f32');
  return {
    ...k,
    key: `${k.key}_asF32`,
    enables: k.enables?.filter((e) => e !== 'f16'),
    body: f(k.body),
    helpers: f(k.helpers ?? ''),
  };
}

/** A Linear's fused backward (dW, db, dX in one dispatch) against the matmul and column-sum twins. */
function linearBackwardCase(
  N: number,
  o: number,
  i: number,
  biasGrad: boolean,
  flags: Kn.MatmulFlags,
  tiled: boolean,
  accumulate = false,
): Case {
  return {
    name: `linear backward ${tiled ? 'tiled' : 'direct'} ${biasGrad ? 'dW+db' : 'dW'}+dX${flags.residual ? '+residual' : ''}${flags.reluGate ? '+reluGate' : ''}${accumulate ? ' accumulating into dW, db (a later row slice)' : ''} (N=${N}, out=${o}, in=${i})`,
    tol: 1e-5,
    async run(rt) {
      const dy = randn(N * o, N + o); // (N, o)
      const x = randn(N * i, i + 1); // (N, i)
      const w = randn(o * i, o + 2); // (o, i)
      const R = randn(N * i, 31); // (N, i)
      const wantW = Tw.matmul(dy, [1, o], x, [i, 1], o, i, N, {}); // (o, i) = dYᵀ·X
      const wantX = Tw.matmul(dy, [o, 1], w, [i, 1], N, i, o, {
        residual: flags.residual ? R : undefined,
        reluGate: flags.reluGate ? R : undefined,
      }); // (N, i) = dY·W
      const t = Kn.matmulTile(tiled);
      const [tx0, ty0, ty1] = [Math.ceil(i / t), Math.ceil(o / t), Math.ceil(N / t)];
      const inputs: Record<string, Arr> = { A: dy, X: x, W: w };
      if (flags.residual || flags.reluGate) inputs.R = R;
      // Accumulating, dW and db start from an earlier slice's values and end at them plus this slice's.
      const [prevW, prevB] = accumulate ? [randn(o * i, 41), randn(o, 42)] : [null, null];
      if (prevW && prevB) Object.assign(inputs, { dW: prevW, dBias: prevB });
      const plus = (a: ArrayLike<number>, p: Float32Array | null) =>
        p ? Array.from(a, (v, k) => v + p[k]) : a;
      const outs: Record<string, number> = { dW: o * i, dX: N * i };
      if (biasGrad) outs.dBias = o;
      const got = await runKernel(
        rt,
        Kn.linearBackwardKernel(biasGrad, flags, tiled, false, accumulate),
        {
          ...{ wM: o, wN: i, wK: N, wsa0: 1, wsa1: o, wsb0: i, wsb1: 1 },
          ...{ xM: N, xN: i, xK: o, xsa0: o, xsa1: 1, xsb0: i, xsb1: 1 },
          ...{ ty0, tx0, tx1: tx0 },
        },
        inputs,
        outs,
        [tx0 + (biasGrad ? 1 : 0), ty0 + ty1],
      );
      const pairs: [ArrayLike<number>, ArrayLike<number>][] = [
        [got.dW, plus(wantW, prevW)],
        [got.dX, wantX],
      ];
      if (biasGrad) pairs.push([got.dBias, plus(Tw.colSum(dy, N, o), prevB)]);
      return pairs;
    },
  };
}

function layerNormCase(rows: number, C: number, drop: boolean, sg = false, accumulate = false): Case {
  return {
    name: `layerNorm fwd+bwd${drop ? '+dropout' : ''}${sg ? ' (subgroup forward)' : ''}${accumulate ? ' accumulating into dg, db' : ''} (${rows}, ${C})`,
    tol: 1e-5,
    async run(rt) {
      const x = randn(rows * C, rows * C, 2);
      const g = randn(C, 2);
      const b = randn(C, 3);
      const dy = randn(rows * C, 4);
      const s = site(0.25, 3);
      const f = Tw.layerNormForward(x, g, b, rows, C, 1e-5);
      const bw = Tw.layerNormBackward(dy, x, f.mean, f.rstd, g, rows, C, drop ? s : null);
      const fo = await runKernel(
        rt,
        Kn.layerNormForwardKernel(sg),
        { rows, C, eps: 1e-5 },
        { X: x, g, b },
        { Y: rows * C, stats: 2 * rows },
        sg ? foldGrid(rows) : flatGrid(rows),
      );
      const stats = new Float32Array(2 * rows);
      f.mean.forEach((m, r) => ((stats[2 * r] = m), (stats[2 * r + 1] = f.rstd[r])));
      const inputs: Record<string, Arr> = { dY: dy, X: x, stats, g };
      if (drop) inputs.keys = siteBind(s).keys;
      const bOff = C + 3; // beta's gradient sits an (odd) aligned gap after gamma's
      const outs: Record<string, number> = { dX: rows * C, dgb: bOff + C };
      if (drop) outs.dZ = rows * C;
      const prev = accumulate ? randn(bOff + C, 43) : new Float32Array(bOff + C); // an earlier slice's
      if (accumulate) inputs.dgb = prev;
      const { rowWg, workgroups } = Kn.layerNormBackwardGrid(rows, C);
      const bo = await runKernel(
        rt,
        Kn.layerNormBackwardKernel(drop, accumulate),
        { rows, C, ...siteBind(s).u, rowWg, bOff },
        inputs,
        outs,
        foldGrid(workgroups),
      );
      const pairs: [ArrayLike<number>, ArrayLike<number>][] = [
        [fo.Y, f.y],
        [fo.stats, stats],
        [bo.dX, bw.dx],
        [bo.dgb.subarray(0, C), bw.dg.map((v, c) => v + prev[c])],
        [bo.dgb.subarray(bOff), bw.db.map((v, c) => v + prev[bOff + c])],
      ];
      if (drop) pairs.push([bo.dZ, bw.dz]);
      return pairs;
    },
  };
}

function attentionCase(B: number, T: number, H: number, hs: number, rate: number): Case {
  return {
    name: `attention fwd+bwd B=${B} T=${T} H=${H} hs=${hs}${rate ? ` dropout ${rate}` : ''}`,
    tol: 1e-4,
    async run(rt) {
      const drop = rate > 0;
      const s = site(rate || 0.5, 7);
      const shape = { B, T, H, hs };
      const qkv = randn(B * T * 3 * H * hs, B * T + H, 1);
      const dy = randn(B * T * H * hs, 11);
      const f = Tw.attentionForward(qkv, shape, drop ? s : null);
      const dq = Tw.attentionBackward(dy, qkv, f.y, f.lse, shape, drop ? s : null);
      const u = { B, T, H, qscale: 1 / Math.sqrt(hs), ...siteBind(s).u };
      const grid: [number, number] = [Math.ceil(T / Kn.ATTN_WG), B * H];
      const keys = siteBind(s).keys;
      const fo = await runKernel(
        rt,
        Kn.attentionForwardKernel(hs, drop),
        u,
        { qkv, keys },
        { Y: f.y.length, lse: f.lse.length },
        grid,
      );
      const bw = await runKernel(
        rt,
        Kn.attentionBackwardKernel(hs, drop),
        u,
        { dY: dy, qkv, Y: f.y, lse: f.lse, keys },
        { dqkv: qkv.length },
        [2 * Math.ceil(T / Kn.ATTN_WG), B * H],
      );
      const w = await runKernel(
        rt,
        Kn.attentionWeightsKernel(hs),
        { ...u, B, base: 0 },
        { qkv, lse: f.lse },
        { W: B * H * T * T },
        grid,
      );
      return [
        [fo.Y, f.y],
        [fo.lse, f.lse],
        [bw.dqkv, dq],
        [w.W, f.weights],
      ];
    },
  };
}

/**
 * Every kernel case (values and gradients, odd shapes, T = 1 and T = block size), with the subgroup and
 * f16 variants the device's features allow (f16 sources are checked spelled f32 where it lacks shader-f16).
 */
export function kernelChecks(features: Kn.KernelFeatures = {}): Case[] {
  const f16 = features.f16 ? 'device' : 'spelled f32';
  const cases: Case[] = [
    {
      name: 'embedding fwd+bwd (B=3, T=5, C=7, V=11, Tmax=6), and as the last 2 sequences’ row slice accumulating',
      tol: 1e-6,
      async run(rt) {
        const [B, T, C, V, Tm] = [3, 5, 7, 11, 6];
        const idx = randInt(B * T, V, 1);
        const wte = randn(V * C, 2);
        const wpe = randn(Tm * C, 3);
        const dx = randn(B * T * C, 4);
        const fo = await runKernel(
          rt,
          Kn.embedForwardKernel(),
          { count: B * T * C, T, C, n0: 0 },
          { idx, wte, wpe },
          { outX: B * T * C },
          flatGrid(B * T * C),
        );
        const { order, start } = embedOrder(idx, V);
        const bo = await runKernel(
          rt,
          Kn.embedBackwardKernel(),
          { V, Tmax: Tm, B, T, C },
          { dx, order, start },
          { dwte: V * C, dwpe: Tm * C },
          flatGrid((V + Tm) * C),
        );
        const want = Tw.embedBackward(idx, dx, V, Tm, B, T, C);
        // A row slice: sequences 1 and 2, its ids from row g0 = T of idx, its token lists after another
        // slice's (s0 = V + 1), its gradients added to an earlier slice's.
        const [sIdx, sDx] = [idx.subarray(T), dx.subarray(T * C)];
        const sf = await runKernel(
          rt,
          Kn.embedForwardKernel(),
          { count: (B - 1) * T * C, T, C, n0: 0, g0: T },
          { idx, wte, wpe },
          { outX: (B - 1) * T * C },
          flatGrid((B - 1) * T * C),
        );
        const so = embedOrder(sIdx, V);
        const [prevTe, prevPe] = [randn(V * C, 44), randn(Tm * C, 45)];
        const sb = await runKernel(
          rt,
          Kn.embedBackwardKernel(true),
          { V, Tmax: Tm, B: B - 1, T, C, s0: V + 1 },
          {
            dx: sDx,
            order: so.order,
            start: Int32Array.from([...start, ...so.start]),
            dwte: prevTe,
            dwpe: prevPe,
          },
          { dwte: V * C, dwpe: Tm * C },
          flatGrid((V + Tm) * C),
        );
        const sw = Tw.embedBackward(sIdx, sDx, V, Tm, B - 1, T, C);
        return [
          [fo.outX, Tw.embedForward(idx, wte, wpe, B, T, C)],
          [bo.dwte, want.dwte],
          [bo.dwpe, want.dwpe],
          [sf.outX, Tw.embedForward(sIdx, wte, wpe, B - 1, T, C)],
          [sb.dwte, sw.dwte.map((v, k) => v + prevTe[k])],
          [sb.dwpe, sw.dwpe.map((v, k) => v + prevPe[k])],
        ];
      },
    },
    ...[true, false].flatMap((tiled) => [
      matmulCase(67, 33, 19, 'nt', { bias: true, relu: true }, tiled),
      matmulCase(130, 70, 65, 'nt', { bias: true, drop: true, residual: true }, tiled),
      matmulCase(1, 5, 3, 'nn', {}, tiled),
      matmulCase(45, 17, 71, 'nn', { reluGate: true }, tiled),
      matmulCase(45, 17, 71, 'nn', { residual: true }, tiled),
      matmulCase(29, 31, 77, 'tn', {}, tiled),
      linearBackwardCase(67, 33, 19, true, {}, tiled),
      linearBackwardCase(1, 5, 3, true, { residual: true }, tiled),
      linearBackwardCase(130, 70, 65, false, { residual: true }, tiled),
      linearBackwardCase(45, 17, 71, true, { reluGate: true }, tiled),
      linearBackwardCase(67, 33, 19, true, { residual: true }, tiled, true),
    ]),
    layerNormCase(9, 129, true),
    layerNormCase(1, 7, false),
    layerNormCase(70, 33, true), // several row workgroups, each channel lane summing several rows
    layerNormCase(70, 33, true, false, true),
    ...(features.subgroups ? [layerNormCase(9, 129, true, true), layerNormCase(1, 7, false, true)] : []),
    ...[true, false].flatMap((tiled) => [
      matmulCase(67, 33, 19, 'nt', { bias: true, relu: true }, tiled, f16),
      matmulCase(45, 17, 71, 'tn', {}, tiled, f16),
    ]),
    attentionCase(2, 1, 3, 5, 0),
    attentionCase(2, 7, 3, 5, 0.3),
    attentionCase(1, 65, 2, 8, 0.1),
    ...[false, ...(features.subgroups ? [true] : [])].map((sg): Case => ({
      name: `cross-entropy + mean${sg ? ' with subgroups' : ''} (13, 37), and the mean accumulating`,
      tol: 1e-5,
      async run(rt) {
        const [N, V] = [13, 37];
        const logits = randn(N * V, 12, 3);
        const targets = randInt(N, V, 13);
        const want = Tw.crossEntropy(logits, targets, N, V);
        const o = await runKernel(
          rt,
          Kn.crossEntropyKernel(true, sg),
          { N, V, invN: 1 / N },
          { logits, targets },
          { losses: N, dlogits: N * V },
          sg ? foldGrid(N) : flatGrid(N),
        );
        const m = await runKernel(
          rt,
          Kn.meanKernel(sg),
          { count: N, slot: 1, inv: 1 / N },
          { X: o.losses },
          { outM: 2 },
          [1, 1],
        );
        // a later row slice's mean, added to the earlier slices' in the same slot
        const acc = await runKernel(
          rt,
          Kn.meanKernel(sg, true),
          { count: N, slot: 1, inv: 1 / N },
          { X: o.losses, outM: Float32Array.of(0.5, 0.25) },
          { outM: 2 },
          [1, 1],
        );
        return [
          [o.losses, want.losses],
          [o.dlogits, want.dlogits],
          [[m.outM[1]], [want.loss]],
          [
            [acc.outM[0], acc.outM[1]],
            [0.5, 0.25 + want.loss],
          ],
        ];
      },
    })),
    ...(
      [
        [1.5, false],
        [NaN, false],
        [1.5, true],
        [Infinity, true],
      ] as const
    ).map(([loss, embed]): Case => ({
      name: `AdamW update${embed ? ' + embedding backward (B=3, T=5, C=7, V=11, Tmax=6)' : ''} (1000 values, loss ${loss}: ${Number.isFinite(loss) ? 'applied' : 'skipped'})`,
      tol: 1e-6,
      async run(rt) {
        const n = 1000;
        const p = randn(n, 20);
        const g = randn(n, 21);
        const m = randn(n, 22, 0.1);
        const v = randn(n, 23, 0.1).map(Math.abs);
        const s = adamwScalars({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 }, 1e-3, 3);
        // The fused variant: wte (11, 7) at 64 and wpe (6, 7) at 192 get their gradients from dx.
        const [B, T, C, V, Tm, wte0, wpe0] = [3, 5, 7, 11, 6, 64, 192];
        const idx = randInt(B * T, V, 1);
        const dx = randn(B * T * C, 4);
        const e = embedOrder(idx, V);
        const gw = g.slice();
        if (embed) {
          const want = Tw.embedBackward(idx, dx, V, Tm, B, T, C);
          gw.set(want.dwte, wte0);
          gw.set(want.dwpe, wpe0);
        }
        const [pw, mw, vw] = [p.slice(), m.slice(), v.slice()];
        if (Number.isFinite(loss)) Tw.adamwStep(pw, gw, mw, vw, s);
        const inputs: Record<string, Arr> = { p, g, m, v, lossBuf: Float32Array.from([loss]) };
        if (embed) Object.assign(inputs, { dx, order: e.order, start: e.start });
        const o = await runKernel(
          rt,
          Kn.adamwKernel(embed),
          {
            n,
            ...s,
            ...{ V, Tmax: Tm, B, T, C, wte0, wpe0 },
          },
          inputs,
          { p: n, m: n, v: n, g: n },
          flatGrid(n),
        );
        return [
          [o.p, pw],
          [o.m, mw],
          [o.v, vw],
          [o.g, gw],
        ];
      },
    })),
  ];
  return cases;
}

/**
 * Whole steps: the engine's loss and gradients (dropout on) against the twins' reference step. With
 * `sliced`, B = 3 under a fake 3,456-byte maxStorageBufferBindingSize: two sequences' feed-forward
 * activations (1,728 bytes each) fit one binding, so the batch runs in row slices of 2 and 1.
 */
function stepCase(T: number, matmul: 'tiled' | 'direct', subgroups = false, sliced = false): Case {
  const B = sliced ? 3 : 2;
  const cfg = makeConfig('tiny', {
    vocabSize: 13,
    blockSize: 9,
    nEmbd: 12,
    nHead: 3,
    dropout: 0.2,
    batchSize: B,
    learningRate: 1e-2,
    seed: 99,
  });
  const limits = sliced ? { maxStorageBufferBindingSize: 3456 } : {};
  return {
    name: `training step (${matmul} matmuls${subgroups ? ', subgroup reductions' : ''}${sliced ? ', row slices of 2 + 1 under a fake 3.4 KiB binding limit' : ''}) with dropout 0.2 vs the twins' reference (B=${B}, T=${T}, blockSize 9)`,
    tol: 1e-4,
    async run(rt) {
      const engine = await createWebGPUEngine(null, cfg, { device: rt.device, matmul, subgroups, limits });
      try {
        if (sliced && engine.sliceB !== 2) throw new Error(`expected row slices of 2, got ${engine.sliceB}`);
        const x = randInt(B * T, cfg.vocabSize, T);
        const y = randInt(B * T, cfg.vocabSize, T + 1);
        const batch = { x, y, batchSize: B, blockSize: T };
        await engine.step(batch); // step 1 draws other masks than step 0
        const p = new Map([...(await engine.getWeights())].map(([n, w]) => [n, w.data]));
        const got = await engine.lossAndGradients(batch);
        const want = referenceStep(cfg, p, x, y, B, T, { training: true, step: engine.stepCount });
        const pairs: [ArrayLike<number>, ArrayLike<number>][] = [[[got.loss], [want.loss]]];
        for (const [n, g] of want.grads) pairs.push([got.grads.get(n)!.data, g]);
        return pairs;
      } finally {
        engine.dispose();
      }
    },
  };
}

/** Generation through the KV cache (one row per new token) against the twins' full forward pass. */
function decodeCase(matmul: 'tiled' | 'direct'): Case {
  const cfg = makeConfig('tiny', {
    vocabSize: 11,
    blockSize: 6,
    nEmbd: 8,
    dropout: 0.1,
    batchSize: 2,
    learningRate: 1e-2,
    seed: 3,
  });
  return {
    name: `next-token probabilities through the KV cache (${matmul} matmuls), contexts of 1 … 9 tokens, blockSize 6`,
    tol: 1e-5,
    async run(rt) {
      const engine = await createWebGPUEngine(null, cfg, { device: rt.device, matmul });
      try {
        const p = new Map([...(await engine.getWeights())].map(([n, w]) => [n, w.data]));
        const ids = randInt(9, cfg.vocabSize, 4);
        const pairs: [ArrayLike<number>, ArrayLike<number>][] = [];
        for (let k = 1; k <= ids.length; k++) {
          const got = await engine.nextTokenProbs(ids.subarray(0, k));
          const ctx = ids.subarray(Math.max(0, k - cfg.blockSize), k);
          const T = ctx.length;
          const logits = referenceStep(cfg, p, ctx, null, 1, T).logits.subarray((T - 1) * cfg.vocabSize);
          const max = Math.max(...logits);
          const e = Array.from(logits, (l) => Math.exp(l - max));
          const sum = e.reduce((a, b) => a + b, 0);
          pairs.push([got, e.map((x) => x / sum)]);
        }
        return pairs;
      } finally {
        engine.dispose();
      }
    },
  };
}

/** Run every case on a device; the device's validation errors are collected per case. */
export async function checkEngineKernels(device: GPUDevice): Promise<EngineCheckResult[]> {
  const rt = new Runtime(device);
  const errors: string[] = [];
  const onError = (e: Event): void => void errors.push((e as GPUUncapturedErrorEvent).error.message);
  device.addEventListener('uncapturederror', onError);
  const results: EngineCheckResult[] = [];
  try {
    const features: Kn.KernelFeatures = {
      subgroups: device.features.has('subgroups'),
      f16: device.features.has('shader-f16'),
    };
    for (const c of [
      ...kernelChecks(features),
      stepCase(1, 'direct'),
      stepCase(9, 'direct'),
      stepCase(9, 'tiled'),
      stepCase(9, 'direct', false, true),
      stepCase(9, 'tiled', false, true),
      ...(features.subgroups ? [stepCase(1, 'direct', true), stepCase(9, 'tiled', true)] : []),
      decodeCase('direct'),
      decodeCase('tiled'),
      ...engineCases(),
    ]) {
      errors.length = 0;
      let err = 0;
      try {
        for (const [a, b] of await c.run(rt)) err = Math.max(err, relErr(a, b));
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
        err = Infinity;
      }
      results.push({
        name: c.name,
        err,
        tol: c.tol,
        ok: err <= c.tol && errors.length === 0,
        errors: [...errors],
      });
    }
  } finally {
    device.removeEventListener('uncapturederror', onError);
    rt.dispose();
  }
  return results;
}
