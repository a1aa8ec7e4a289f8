/**
 * The training step, written out as dispatch lists over the engine's fixed buffers (the order of
 * ./reference.ts, which runs the same step on the CPU twins). Forward per layer: qkv matmul, attention,
 * projection (+bias, dropout, residual), LayerNorm, feed-forward up (+bias, ReLU), down (+bias, dropout,
 * residual), LayerNorm. Backward mirrors it; gradients are written, never accumulated, so nothing is zeroed.
 */
import type { GPTConfig } from '../config';
import * as Kn from './kernels';
import type { ParamLayout } from './plan';
import { flatGrid, foldGrid, type Dispatch, type Range } from './runtime';
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
  /** Device features the kernels use (subgroup reductions, f16 matmul inputs); plain f32 without. */
  features?: Kn.KernelFeatures;
  /**
   * This graph's row slice of a bigger batch (./slices.ts): B sequences from sequence b0, slice number
   * `index` of a batch of batchB. Ids, targets and dropout rows are the batch's; weight gradients and the
   * loss are added to the earlier slices'. Default: the whole batch, b0 = 0, written.
   */
  slice?: { b0: number; index: number; batchB: number };
}

/** LayerNorm epsilon (PyTorch's). */
const EPS = 1e-5;

/** Index of the dropout site (layer, slot) in the keys buffer. */
export function siteIndex(layer: number, slot: number): number {
  return layer * 3 + slot;
}

/** Where a row slice sits in its batch (zeros and writes for a whole batch; see GraphContext.slice). */
function sliceOffsets(g: GraphContext) {
  const { b0, index, batchB } = g.slice ?? { b0: 0, index: 0, batchB: g.B };
  return {
    /** The slice's first row of the batch (ids, targets, dropout rows of (rows, C) tensors). */
    g0: b0 * g.T,
    /** The slice's first row of the attention weights viewed as (B·H·T, T), for their dropout. */
    attnRow0: b0 * g.cfg.nHead * g.T,
    /** Where the slice's token-position lists start in `start` (V + 1 offsets per slice). */
    s0: index * (g.cfg.vocabSize + 1),
    /** Add weight gradients and the loss to the earlier slices' (every slice after the first). */
    accumulate: index > 0,
    /** Rows of the whole batch: the loss is their mean. */
    rowsTotal: batchB * g.T,
  };
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
  g: GraphContext,
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
    kernel: Kn.matmulKernel(flags, g.tiled, !!g.features?.f16),
    uniforms: { M, N, K, sa0: sa[0], sa1: sa[1], sb0: sb[0], sb1: sb[1], ...extra },
    bind,
    grid: [Math.ceil(N / Kn.matmulTile(g.tiled)), Math.ceil(M / Kn.matmulTile(g.tiled))],
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
  const sg = !!g.features?.subgroups;
  const M = dec === undefined ? N : 1;
  const r0 = dec ?? 0;
  const { g0, attnRow0 } = sliceOffsets(g);
  const out: Dispatch[] = [
    {
      kernel: Kn.embedForwardKernel(),
      uniforms: { count: M * C, T: dec === undefined ? T : cfg.blockSize, C, n0: r0, g0 },
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
    kernel: Kn.layerNormForwardKernel(sg),
    uniforms: { rows: M, C, eps: EPS, r0 },
    bind: { X, g: param(`${gName}.weight`), b: param(`${gName}.bias`), Y, stats: st },
    grid: sg ? foldGrid(M) : flatGrid(M), // a workgroup per row with subgroups, a thread per row without
  });
  for (let l = 0; l < L; l++) {
    const p = `blocks.${l}`;
    const site = (slot: number) => ({ site: l * 3 + slot, ...dropU, r0, hr0: g0 });
    out.push(
      mm(g, {}, M, 3 * C, C, [C, 1], [1, C], { A: b(`x${l}`), Bm: qkvW(l), outC: b(`qkv${l}`) }, { r0 }),
    );
    out.push({
      kernel: Kn.attentionForwardKernel(hs, drop),
      uniforms: {
        ...{ B, T: dec === undefined ? T : dec + 1, H, qscale: 1 / Math.sqrt(hs) },
        ...{ ...site(0), i0: r0, hr0: attnRow0 },
      },
      bind: { qkv: b(`qkv${l}`), Y: b(`att${l}`), lse: b(`lse${l}`), keys: b('keys') },
      grid: [dec === undefined ? Math.ceil(T / Kn.ATTN_WG) : 1, B * H],
    });
    out.push(
      mm(
        g,
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
        g,
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
        g,
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
      g,
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
  const sg = !!g.features?.subgroups;
  const { g0, accumulate, rowsTotal } = sliceOffsets(g);
  return [
    {
      kernel: Kn.crossEntropyKernel(grad, sg),
      uniforms: { N, V: cfg.vocabSize, invN: 1 / rowsTotal, g0 },
      bind: { logits: b('logits'), targets: b('targets'), losses: b('losses'), dlogits: b('dlogits') },
      grid: sg ? foldGrid(N) : flatGrid(N),
    },
    {
      kernel: Kn.meanKernel(sg, accumulate),
      uniforms: { count: N, slot, inv: 1 / rowsTotal },
      bind: { X: b('losses'), outM: b(target) },
      grid: [1, 1],
    },
  ];
}

/**
 * Backward from dlogits to every parameter gradient (written into `grads` at the parameters' offsets).
 * Per layer 7 dispatches: LayerNorm backward (dX, dZ and its dg, db in one batched grid), each Linear's
 * dW + db + dX in one (linearBackwardKernel), attention backward (query and key sides in one). With
 * `embed: false` the embedding backward is left to the fused AdamW (stepGraph).
 */
export function backwardGraph(g: GraphContext, opts: { embed?: boolean } = {}): Dispatch[] {
  const { cfg, B, T } = g;
  const { drop, dropU, param, qkvW, b } = ctxHelpers(g);
  const { nEmbd: C, nHead: H, nLayer: L, vocabSize: V } = cfg;
  const hs = C / H;
  const N = B * T;
  const grad = (n: string): Range => param(n, 'grads');
  const { g0, attnRow0, accumulate } = sliceOffsets(g);
  const out: Dispatch[] = [];
  const tile = Kn.matmulTile(g.tiled);
  // A Linear (out o, in i) from dY (N, o): dW (o, i) = dYᵀ·X, db = column sums of dY, dX (N, i) = dY·W
  // (+ residual R, or gated by the saved ReLU output R), all in one dispatch.
  const linear = (
    dY: GPUBuffer,
    X: GPUBuffer,
    w: Range,
    dw: Range,
    dbias: Range | null,
    o: number,
    i: number,
    to: GPUBuffer,
    f: Kn.MatmulFlags = {},
    R?: GPUBuffer,
  ): Dispatch => {
    const [tx0, ty0, tx1, ty1] = [
      Math.ceil(i / tile),
      Math.ceil(o / tile),
      Math.ceil(i / tile),
      Math.ceil(N / tile),
    ];
    const bind: Dispatch['bind'] = { A: dY, X, dW: dw, W: w, dX: to };
    if (dbias) bind.dBias = dbias;
    if (R) bind.R = R;
    return {
      kernel: Kn.linearBackwardKernel(dbias !== null, f, g.tiled, !!g.features?.f16, accumulate),
      uniforms: {
        ...{ wM: o, wN: i, wK: N, wsa0: 1, wsa1: o, wsb0: i, wsb1: 1 },
        ...{ xM: N, xN: i, xK: o, xsa0: o, xsa1: 1, xsb0: i, xsb1: 1 },
        ...{ ty0, tx0, tx1 },
      },
      bind,
      grid: [Math.max(tx0 + (dbias ? 1 : 0), tx1), ty0 + ty1],
    };
  };
  const lnBack = (
    dY: GPUBuffer,
    X: GPUBuffer,
    st: GPUBuffer,
    name: string,
    dXb: GPUBuffer,
    site: number | null,
  ): Dispatch => {
    const gw = grad(`${name}.weight`);
    const gb = grad(`${name}.bias`);
    const { rowWg, workgroups } = Kn.layerNormBackwardGrid(N, C);
    const d = site !== null && drop;
    const bind: Dispatch['bind'] = {
      dY,
      X,
      stats: st,
      g: param(`${name}.weight`),
      dX: dXb,
      // gamma's and beta's gradients as one range: beta's sits bOff floats after gamma's.
      dgb: { buffer: gw.buffer, offset: gw.offset, size: (gb.offset ?? 0) - (gw.offset ?? 0) + C },
    };
    if (d) Object.assign(bind, { dZ: b('dZ'), keys: b('keys') });
    return {
      kernel: Kn.layerNormBackwardKernel(d, accumulate),
      uniforms: {
        ...{ rows: N, C, site: site ?? 0, ...dropU, rowWg, hr0: g0 },
        bOff: (gb.offset ?? 0) - (gw.offset ?? 0),
      },
      bind,
      grid: foldGrid(workgroups),
    };
  };
  const lm = 'lm_head';
  out.push(
    linear(
      b('dlogits'),
      b('lnf'),
      param(`${lm}.weight`),
      grad(`${lm}.weight`),
      grad(`${lm}.bias`),
      V,
      C,
      b('dA'),
    ),
  );
  out.push(lnBack(b('dA'), b(`x${L}`), b('stf'), 'ln_f', b('dB'), null));
  // The residual-stream gradient ping-pongs between dB (into a block) and dA (inside it).
  const branch = (dx: GPUBuffer): GPUBuffer => (drop ? b('dZ') : dx); // the dropped branch's gradient
  for (let l = L - 1; l >= 0; l--) {
    const p = `blocks.${l}`;
    const w = (n: string) =>
      [param(`${p}.${n}.weight`), grad(`${p}.${n}.weight`), grad(`${p}.${n}.bias`)] as const;
    out.push(lnBack(b('dB'), b(`s2_${l}`), b(`st2_${l}`), `${p}.ln2`, b('dA'), siteIndex(l, 2)));
    const dz2 = branch(b('dA'));
    out.push(
      linear(dz2, b(`hid${l}`), ...w('ffwd.net.2'), C, 4 * C, b('dHid'), { reluGate: true }, b(`hid${l}`)),
    );
    out.push(
      linear(b('dHid'), b(`x1_${l}`), ...w('ffwd.net.0'), 4 * C, C, b('dB'), { residual: true }, b('dA')),
    );
    out.push(lnBack(b('dB'), b(`s1_${l}`), b(`st1_${l}`), `${p}.ln1`, b('dA'), siteIndex(l, 1)));
    const dz1 = branch(b('dA'));
    out.push(linear(dz1, b(`att${l}`), ...w('sa.proj'), C, C, b('dAtt')));
    out.push({
      kernel: Kn.attentionBackwardKernel(hs, drop),
      uniforms: { B, T, H, qscale: 1 / Math.sqrt(hs), site: siteIndex(l, 0), ...dropU, hr0: attnRow0 },
      bind: {
        dY: b('dAtt'),
        qkv: b(`qkv${l}`),
        Y: b(`att${l}`),
        lse: b(`lse${l}`),
        dqkv: b('dQkv'),
        ...(drop ? { keys: b('keys') } : {}),
      },
      grid: [2 * Math.ceil(T / Kn.ATTN_WG), B * H],
    });
    out.push(
      linear(
        b('dQkv'),
        b(`x${l}`),
        qkvW(l),
        qkvW(l, 'grads'),
        null,
        3 * C,
        C,
        b('dB'),
        { residual: true },
        b('dA'),
      ),
    );
  }
  if (opts.embed !== false) out.push({ ...embedBackward(g), kernel: Kn.embedBackwardKernel(accumulate) });
  return out;
}

/** The embedding backward's uniforms, bindings and grid (alone, or inside the fused AdamW). */
function embedBackward(g: GraphContext): Omit<Dispatch, 'kernel'> {
  const { cfg, B, T } = g;
  const { param, b } = ctxHelpers(g);
  const { nEmbd: C, vocabSize: V, blockSize: Tmax } = cfg;
  return {
    uniforms: { V, Tmax, B, T, C, s0: sliceOffsets(g).s0 },
    bind: {
      dx: b('dB'),
      order: b('order'),
      start: b('start'),
      dwte: param('token_embedding_table.weight', 'grads'),
      dwpe: param('position_embedding_table.weight', 'grads'),
    },
    grid: flatGrid((V + Tmax) * C),
  };
}

/**
 * The AdamW update over the flat buffers (its scalars are rewritten every step). With `embed`, one dispatch
 * fused with the embedding backward (see adamwKernel), which binds the flat buffers whole; without, one
 * dispatch per chunk of g.flatChunks, so flat buffers over maxStorageBufferBindingSize bind as several ranges.
 */
export function adamwGraph(g: GraphContext, embed = false): Dispatch[] {
  const { b } = ctxHelpers(g);
  if (!embed) {
    const chunks = g.flatChunks ?? [{ offset: 0, size: g.layout.total }];
    return chunks.map(({ offset, size }) => {
      const r = (name: string): Range => ({ buffer: b(name), offset, size });
      return {
        kernel: Kn.adamwKernel(false),
        uniforms: { n: size },
        bind: { p: r('params'), g: r('grads'), m: r('adamM'), v: r('adamV'), lossBuf: b('lossBuf') },
        grid: flatGrid(size),
      };
    });
  }
  const n = g.layout.total;
  const bind: Dispatch['bind'] = {
    p: b('params'),
    g: b('grads'),
    m: b('adamM'),
    v: b('adamV'),
    lossBuf: b('lossBuf'),
  };
  const e = embedBackward(g);
  Object.assign(bind, { dx: e.bind.dx, order: e.bind.order, start: e.bind.start });
  const uniforms: Record<string, number> = { n };
  Object.assign(uniforms, e.uniforms, {
    wte0: g.layout.byName.get('token_embedding_table.weight')!.offset,
    wpe0: g.layout.byName.get('position_embedding_table.weight')!.offset,
  });
  return [{ kernel: Kn.adamwKernel(true), uniforms, bind, grid: flatGrid(n) }];
}

/**
 * Everything after the forward pass in a training step: loss, backward, AdamW with the embedding backward
 * fused into it; when the flat buffers are split over several bindings, the embedding backward runs as its
 * own dispatch and AdamW once per chunk.
 */
export function stepGraph(g: GraphContext): Dispatch[] {
  const split = (g.flatChunks?.length ?? 1) > 1;
  return [
    ...withRole('loss', lossGraph(g, true, 'lossBuf')),
    ...withRole('backward', backwardGraph(g, { embed: split })),
    ...withRole('adamw', adamwGraph(g, !split)),
  ];
}

/** Tag dispatches with their role in the step (kept where already set), for the GPU profile. */
export function withRole(role: string, ds: Dispatch[]): Dispatch[] {
  for (const d of ds) d.role ??= role;
  return ds;
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
