/**
 * The training step, written out as dispatch lists over the engine's fixed buffers (the order of
 * ./reference.ts, which runs the same step on the CPU twins). Forward per layer: qkv matmul, attention,
 * projection (+bias, dropout, residual), LayerNorm, feed-forward up (+bias, ReLU), down (+bias, dropout,
 * residual), LayerNorm. Backward mirrors it; gradients are written, never accumulated, so nothing is zeroed.
 */
import type { GPTConfig } from '../config';
import * as Kn from './kernels';
import type { ParamLayout } from './plan';
import { flatGrid, type Dispatch, type Range } from './runtime';
import { threshold } from './hash';

/** The engine's buffers by plan name, plus the per-step inputs. */
export interface Buffers {
  get(name: string): GPUBuffer;
}

/** What a graph needs: config, layout, buffers, (B, T) of this program and whether dropout is on. */
export interface GraphContext {
  cfg: GPTConfig;
  layout: ParamLayout;
  buf: Buffers;
  B: number;
  T: number;
  training: boolean;
  /** Decode one token at this row (B = 1), reusing the rows before it from the buffers (the KV cache). */
  decodeRow?: number;
  /** Matmuls with workgroup-memory tiles (GPUs) or direct global reads (software GPUs, no barriers). */
  tiled: boolean;
  /** AdamW's ranges of the flat buffers (plan.ts checkPlan; default: one range over all of them). */
  flatChunks?: { offset: number; size: number }[];
}

/** LayerNorm epsilon (PyTorch's). */
const EPS = 1e-5;

/** Index of the dropout site (layer, slot) in the keys buffer. */
export function siteIndex(layer: number, slot: number): number {
  return layer * 3 + slot;
}

function ctxHelpers(g: GraphContext) {
  const { cfg, layout, buf } = g;
  const drop = g.training && cfg.dropout > 0;
  const dropU = { thr: threshold(cfg.dropout), scale: Math.fround(1 / (1 - cfg.dropout || 1)) };
  const param = (name: string, which = 'params'): Range => {
    const s = layout.byName.get(name);
    if (!s) throw new Error(`graph: unknown parameter ${name}`);
    return { buffer: buf.get(which), offset: s.offset, size: s.size };
  };
  const qkvW = (l: number, which = 'params'): Range => ({
    buffer: buf.get(which),
    offset: layout.qkvOffset[l],
    size: 3 * cfg.nEmbd * cfg.nEmbd,
  });
  return { drop, dropU, param, qkvW, b: (n: string) => buf.get(n) };
}

/** A matmul dispatch C (M, N) = A·B with strides and epilogue flags. */
function mm(
  tiled: boolean,
  flags: Kn.MatmulFlags,
  M: number,
  N: number,
  K: number,
  sa: [number, number],
  sb: [number, number],
  bind: Dispatch['bind'],
  extra: Record<string, number> = {},
): Dispatch {
  return {
    kernel: Kn.matmulKernel(flags, tiled),
    uniforms: { M, N, K, sa0: sa[0], sa1: sa[1], sb0: sb[0], sb1: sb[1], ...extra },
    bind,
    grid: [Math.ceil(N / Kn.matmulTile(tiled)), Math.ceil(M / Kn.matmulTile(tiled))],
  };
}

/** Forward to the logits (B·T, V); in training mode with dropout sites keyed from the `keys` buffer. */
export function forwardGraph(g: GraphContext): Dispatch[] {
  const { cfg, B, T } = g;
  const { drop, dropU, param, qkvW, b } = ctxHelpers(g);
  const { nEmbd: C, nHead: H, nLayer: L, vocabSize: V } = cfg;
  const hs = C / H;
  const N = B * T;
  // Decoding one token (KV cache): every row-wise dispatch covers row `dec` only, attention its query.
  const dec = g.decodeRow;
  const M = dec === undefined ? N : 1;
  const r0 = dec ?? 0;
  const out: Dispatch[] = [
    {
      kernel: Kn.embedForwardKernel(),
      uniforms: { count: M * C, T: dec === undefined ? T : cfg.blockSize, C, n0: r0 },
      bind: {
        idx: b('idx'),
        wte: param('token_embedding_table.weight'),
        wpe: param('position_embedding_table.weight'),
        outX: b('x0'),
      },
      grid: flatGrid(M * C),
    },
  ];
  const ln = (X: GPUBuffer, gName: string, Y: GPUBuffer, st: GPUBuffer): Dispatch => ({
    kernel: Kn.layerNormForwardKernel(),
    uniforms: { rows: M, C, eps: EPS, r0 },
    bind: { X, g: param(`${gName}.weight`), b: param(`${gName}.bias`), Y, stats: st },
    grid: flatGrid(M),
  });
  for (let l = 0; l < L; l++) {
    const p = `blocks.${l}`;
    const site = (slot: number) => ({ site: l * 3 + slot, ...dropU, r0 });
    out.push(
      mm(
        g.tiled,
        {},
        M,
        3 * C,
        C,
        [C, 1],
        [1, C],
        { A: b(`x${l}`), Bm: qkvW(l), outC: b(`qkv${l}`) },
        { r0 },
      ),
    );
    out.push({
      kernel: Kn.attentionForwardKernel(hs, drop),
      uniforms: { B, T: dec === undefined ? T : dec + 1, H, qscale: 1 / Math.sqrt(hs), ...site(0), i0: r0 },
      bind: { qkv: b(`qkv${l}`), Y: b(`att${l}`), lse: b(`lse${l}`), keys: b('keys') },
      grid: [dec === undefined ? Math.ceil(T / Kn.ATTN_WG) : 1, B * H],
    });
    out.push(
      mm(
        g.tiled,
        { bias: true, drop, residual: true },
        M,
        C,
        C,
        [C, 1],
        [1, C],
        {
          A: b(`att${l}`),
          Bm: param(`${p}.sa.proj.weight`),
          outC: b(`s1_${l}`),
          bias: param(`${p}.sa.proj.bias`),
          R: b(`x${l}`),
          keys: b('keys'),
        },
        site(1),
      ),
    );
    out.push(ln(b(`s1_${l}`), `${p}.ln1`, b(`x1_${l}`), b(`st1_${l}`)));
    out.push(
      mm(
        g.tiled,
        { bias: true, relu: true },
        M,
        4 * C,
        C,
        [C, 1],
        [1, C],
        {
          A: b(`x1_${l}`),
          Bm: param(`${p}.ffwd.net.0.weight`),
          outC: b(`hid${l}`),
          bias: param(`${p}.ffwd.net.0.bias`),
        },
        { r0 },
      ),
    );
    out.push(
      mm(
        g.tiled,
        { bias: true, drop, residual: true },
        M,
        C,
        4 * C,
        [4 * C, 1],
        [1, 4 * C],
        {
          A: b(`hid${l}`),
          Bm: param(`${p}.ffwd.net.2.weight`),
          outC: b(`s2_${l}`),
          bias: param(`${p}.ffwd.net.2.bias`),
          R: b(`x1_${l}`),
          keys: b('keys'),
        },
        site(2),
      ),
    );
    out.push(ln(b(`s2_${l}`), `${p}.ln2`, b(`x${l + 1}`), b(`st2_${l}`)));
  }
  out.push(ln(b(`x${L}`), 'ln_f', b('lnf'), b('stf')));
  out.push(
    mm(
      g.tiled,
      { bias: true },
      M,
      V,
      C,
      [C, 1],
      [1, C],
      { A: b('lnf'), Bm: param('lm_head.weight'), outC: b('logits'), bias: param('lm_head.bias') },
      { r0 },
    ),
  );
  return out;
}

/** Cross-entropy rows (with dlogits when `grad`) and their mean into target[slot] (rewritable uniform). */
export function lossGraph(
  g: GraphContext,
  grad: boolean,
  target: 'lossBuf' | 'evalBuf',
  slot = 0,
): Dispatch[] {
  const { cfg, B, T } = g;
  const { b } = ctxHelpers(g);
  const N = B * T;
  return [
    {
      kernel: Kn.crossEntropyKernel(grad),
      uniforms: { N, V: cfg.vocabSize, invN: 1 / N },
      bind: { logits: b('logits'), targets: b('targets'), losses: b('losses'), dlogits: b('dlogits') },
      grid: flatGrid(N),
    },
    {
      kernel: Kn.meanKernel(),
      uniforms: { count: N, slot, inv: 1 / N },
      bind: { X: b('losses'), outM: b(target) },
      grid: [1, 1],
    },
  ];
}

/** Backward from dlogits to every parameter gradient (written into `grads` at the parameters' offsets). */
export function backwardGraph(g: GraphContext): Dispatch[] {
  const { cfg, B, T } = g;
  const { drop, dropU, param, qkvW, b } = ctxHelpers(g);
  const { nEmbd: C, nHead: H, nLayer: L, vocabSize: V, blockSize: Tmax } = cfg;
  const hs = C / H;
  const N = B * T;
  const grad = (n: string): Range => param(n, 'grads');
  const out: Dispatch[] = [];
  // dW (out, in) = dYᵀ · X; db = column sums of dY; dX (N, in) = dY · W (+ residual or ReLU gate).
  const dW = (dY: GPUBuffer, X: GPUBuffer, o: number, i: number, w: Range): Dispatch =>
    mm(g.tiled, {}, o, i, N, [1, o], [i, 1], { A: dY, Bm: X, outC: w });
  const db = (dY: GPUBuffer, o: number, r: Range): Dispatch => ({
    kernel: Kn.colSumKernel(),
    uniforms: { M: N, N: o },
    bind: { X: dY, outS: r },
    grid: flatGrid(o),
  });
  const dX = (
    dY: GPUBuffer,
    w: Range,
    o: number,
    i: number,
    to: GPUBuffer,
    f: Kn.MatmulFlags = {},
    R?: GPUBuffer,
  ): Dispatch => mm(g.tiled, f, N, i, o, [o, 1], [i, 1], { A: dY, Bm: w, outC: to, ...(R ? { R } : {}) });
  const lnBack = (
    dY: GPUBuffer,
    X: GPUBuffer,
    st: GPUBuffer,
    name: string,
    dXb: GPUBuffer,
    site: number | null,
  ): Dispatch[] => [
    {
      kernel: Kn.layerNormBackwardKernel(site !== null && drop),
      uniforms: { rows: N, C, site: site ?? 0, ...dropU },
      bind: { dY, X, stats: st, g: param(`${name}.weight`), dX: dXb, dZ: b('dZ'), keys: b('keys') },
      grid: flatGrid(N),
    },
    {
      kernel: Kn.layerNormParamGradKernel(),
      uniforms: { rows: N, C },
      bind: { dY, X, stats: st, dg: grad(`${name}.weight`), db: grad(`${name}.bias`) },
      grid: flatGrid(C),
    },
  ];
  out.push(dW(b('dlogits'), b('lnf'), V, C, grad('lm_head.weight')));
  out.push(db(b('dlogits'), V, grad('lm_head.bias')));
  out.push(dX(b('dlogits'), param('lm_head.weight'), V, C, b('dA')));
  out.push(...lnBack(b('dA'), b(`x${L}`), b('stf'), 'ln_f', b('dB'), null));
  // The residual-stream gradient ping-pongs between dB (into a block) and dA (inside it).
  const branch = (dx: GPUBuffer): GPUBuffer => (drop ? b('dZ') : dx); // the dropped branch's gradient
  for (let l = L - 1; l >= 0; l--) {
    const p = `blocks.${l}`;
    out.push(...lnBack(b('dB'), b(`s2_${l}`), b(`st2_${l}`), `${p}.ln2`, b('dA'), siteIndex(l, 2)));
    const dz2 = branch(b('dA'));
    out.push(dW(dz2, b(`hid${l}`), C, 4 * C, grad(`${p}.ffwd.net.2.weight`)));
    out.push(db(dz2, C, grad(`${p}.ffwd.net.2.bias`)));
    out.push(dX(dz2, param(`${p}.ffwd.net.2.weight`), C, 4 * C, b('dHid'), { reluGate: true }, b(`hid${l}`)));
    out.push(dW(b('dHid'), b(`x1_${l}`), 4 * C, C, grad(`${p}.ffwd.net.0.weight`)));
    out.push(db(b('dHid'), 4 * C, grad(`${p}.ffwd.net.0.bias`)));
    out.push(dX(b('dHid'), param(`${p}.ffwd.net.0.weight`), 4 * C, C, b('dB'), { residual: true }, b('dA')));
    out.push(...lnBack(b('dB'), b(`s1_${l}`), b(`st1_${l}`), `${p}.ln1`, b('dA'), siteIndex(l, 1)));
    const dz1 = branch(b('dA'));
    out.push(dW(dz1, b(`att${l}`), C, C, grad(`${p}.sa.proj.weight`)));
    out.push(db(dz1, C, grad(`${p}.sa.proj.bias`)));
    out.push(dX(dz1, param(`${p}.sa.proj.weight`), C, C, b('dAtt')));
    const au = { B, T, H, qscale: 1 / Math.sqrt(hs), site: siteIndex(l, 0), ...dropU };
    const grid: [number, number] = [Math.ceil(T / Kn.ATTN_WG), B * H];
    out.push({
      kernel: Kn.attentionBackwardQKernel(hs, drop),
      uniforms: au,
      bind: {
        dY: b('dAtt'),
        qkv: b(`qkv${l}`),
        Y: b(`att${l}`),
        lse: b(`lse${l}`),
        Dr: b('dRow'),
        dqkv: b('dQkv'),
        keys: b('keys'),
      },
      grid,
    });
    out.push({
      kernel: Kn.attentionBackwardKVKernel(hs, drop),
      uniforms: au,
      bind: {
        dY: b('dAtt'),
        qkv: b(`qkv${l}`),
        lse: b(`lse${l}`),
        Dr: b('dRow'),
        dqkv: b('dQkv'),
        keys: b('keys'),
      },
      grid,
    });
    out.push(dW(b('dQkv'), b(`x${l}`), 3 * C, C, qkvW(l, 'grads')));
    out.push(dX(b('dQkv'), qkvW(l), 3 * C, C, b('dB'), { residual: true }, b('dA')));
  }
  out.push({
    kernel: Kn.embedBackwardKernel(),
    uniforms: { V, Tmax, B, T, C },
    bind: {
      dx: b('dB'),
      order: b('order'),
      start: b('start'),
      dwte: grad('token_embedding_table.weight'),
      dwpe: grad('position_embedding_table.weight'),
    },
    grid: flatGrid((V + Tmax) * C),
  });
  return out;
}

/**
 * The AdamW update over the flat buffers (its scalars are rewritten every step): one dispatch per chunk of
 * g.flatChunks, so flat buffers over maxStorageBufferBindingSize are bound as several ranges.
 */
export function adamwGraph(g: GraphContext): Dispatch[] {
  const { b } = ctxHelpers(g);
  const chunks = g.flatChunks ?? [{ offset: 0, size: g.layout.total }];
  return chunks.map(({ offset, size }) => {
    const r = (name: string): Range => ({ buffer: b(name), offset, size });
    return {
      kernel: Kn.adamwKernel(),
      uniforms: { n: size },
      bind: { p: r('params'), g: r('grads'), m: r('adamM'), v: r('adamV'), lossBuf: b('lossBuf') },
      grid: flatGrid(size),
    };
  });
}

/** Attention weights of every layer (for `attention()`), after a forward pass with B = 1. */
export function attentionWeightsGraph(g: GraphContext): Dispatch[] {
  const { cfg, T } = g;
  const { b } = ctxHelpers(g);
  const hs = cfg.nEmbd / cfg.nHead;
  return Array.from({ length: cfg.nLayer }, (_, l) => ({
    kernel: Kn.attentionWeightsKernel(hs),
    uniforms: { B: 1, T, H: cfg.nHead, qscale: 1 / Math.sqrt(hs), base: l * cfg.nHead * T * T },
    bind: { qkv: b(`qkv${l}`), lse: b(`lse${l}`), W: b('attW') },
    grid: [Math.ceil(T / Kn.ATTN_WG), cfg.nHead] as [number, number],
  }));
}
