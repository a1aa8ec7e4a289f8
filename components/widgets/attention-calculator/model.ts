/**
 * DOM-free computation of the attention calculator: deterministic embeddings and projection matrices from
 * a seed, and the attention of src/lib. Every number the widget shows comes from `computeAttention`, which
 * only wires inputs to src/lib. What the learner types is read in input.ts and config.ts.
 */
import { createRng } from '../../../src/lib/rng';
import type { Matrix, Vector } from '../../../src/lib/matrix';
import {
  projectQkv,
  scaledDotProductAttention,
  type AttentionStages,
} from '../../../src/lib/attention/scaled-dot';
import { additiveAttention } from '../../../src/lib/attention/additive';
import { multiplicativeAttention } from '../../../src/lib/attention/multiplicative';
import { localAttention } from '../../../src/lib/attention/local';
import { hardAttention } from '../../../src/lib/attention/hard';
import { multiHeadAttention } from '../../../src/lib/attention/multi-head';
import { windowMask } from '../../../src/lib/attention/mask';

import type { LuongScore, Variant } from './input';

/** Everything the computation needs. */
export interface CalcConfig {
  tokens: string[];
  /** Embedding width. */
  dModel: number;
  /** Query/key width of one head (single head: free; several heads: d_model / heads). */
  dk: number;
  heads: number;
  seed: number;
  variant: Variant;
  luong: LuongScore;
  /** Local window half-width: key j is visible from query i when |i − j| <= window. */
  window: number;
  causal: boolean;
  /** Divide by √d_k (scaled dot-product, local and hard); off sets the scale to 1. */
  scaled: boolean;
}

/** Learner edits of embedding entries: token → (dimension → value). */
export type Edits = Map<string, Map<number, number>>;

/** FNV-1a hash of a string's UTF-16 code units → unsigned 32-bit. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A generator for one named stream of a seed, so each matrix stays put when others change shape. */
function streamFor(seed: number, name: string) {
  return createRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ hashString(name)) >>> 0);
}

const round2 = (x: number): number => Math.round(x * 100) / 100 + 0; // + 0 turns −0 into 0

/**
 * The seeded embedding of a token, (d_model): N(0, 1) entries rounded to 2 decimals. It depends only on the
 * seed and the token text, so a word keeps its vector when the rest of the sentence changes, and a wider
 * d_model only appends entries.
 */
export function tokenEmbedding(seed: number, token: string, dModel: number): Vector {
  const rng = streamFor(seed, `embedding:${token}`);
  return Array.from({ length: dModel }, () => round2(rng.normal()));
}

/** The embedding matrix X (T, d_model) of the tokens, with the learner's edits applied. */
export function embeddingMatrix(
  seed: number,
  tokens: readonly string[],
  dModel: number,
  edits?: Edits,
): Matrix {
  return tokens.map((tok) => {
    const row = tokenEmbedding(seed, tok, dModel);
    edits?.get(tok)?.forEach((x, dim) => {
      if (dim < dModel) row[dim] = x;
    });
    return row;
  });
}

/** A seeded weight matrix (rows, cols) with N(0, 1/rows) entries rounded to 2 decimals. */
export function weightMatrix(seed: number, name: string, rows: number, cols: number): Matrix {
  const rng = streamFor(seed, `weight:${name}:${rows}x${cols}`);
  const std = 1 / Math.sqrt(rows);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => round2(rng.normal(0, std))));
}

/** All learned parameters the calculator uses, generated from the seed. */
export interface CalcParams {
  /** (d_model, P) each, P = d_k for one head or d_model for several. */
  wq: Matrix;
  wk: Matrix;
  wv: Matrix;
  /** Output projection (d_model, d_model), several heads only. */
  wo: Matrix | null;
  /** Additive attention: W₁ (d_k, d_k), W₂ (d_k, d_k), vₐ (d_k). */
  additive: { wq: Matrix; wk: Matrix; va: Vector } | null;
  /** Luong 'general': W_a (d_k, d_k). */
  luongW: Matrix | null;
}

/** The projection width P: d_k for one head, d_model (split into heads) for several. */
export function projectionWidth(c: Pick<CalcConfig, 'dModel' | 'dk' | 'heads'>): number {
  return c.heads > 1 ? c.dModel : c.dk;
}

/** Generate the parameters of a configuration from its seed. */
export function makeParams(c: CalcConfig): CalcParams {
  const p = projectionWidth(c);
  const multi = c.heads > 1;
  return {
    wq: weightMatrix(c.seed, 'wq', c.dModel, p),
    wk: weightMatrix(c.seed, 'wk', c.dModel, p),
    wv: weightMatrix(c.seed, 'wv', c.dModel, p),
    wo: multi ? weightMatrix(c.seed, 'wo', c.dModel, c.dModel) : null,
    additive:
      !multi && c.variant === 'additive'
        ? {
            wq: weightMatrix(c.seed, 'additive-w1', c.dk, c.dk),
            wk: weightMatrix(c.seed, 'additive-w2', c.dk, c.dk),
            va: weightMatrix(c.seed, 'additive-va', c.dk, 1).map((r) => r[0]),
          }
        : null,
    luongW:
      !multi && c.variant === 'multiplicative' && c.luong === 'general'
        ? weightMatrix(c.seed, 'luong-wa', c.dk, c.dk)
        : null,
  };
}

/** One head's stages plus what its variant adds. */
export interface HeadResult extends AttentionStages {
  /** Query/key width of this head. */
  dk: number;
  /** Additive: tanh features (T, S, d_a). */
  hidden?: number[][][];
  /** Luong 'general': q·W_a (T, d_k). */
  transformedQ?: Matrix;
  /** Hard: chosen key per query, one-hot weights (T, S) and the copied values (T, d_v). */
  argmax?: number[];
  hardWeights?: Matrix;
  hardOutput?: Matrix;
}

/** The whole computation, for the view. */
export interface CalcResult {
  config: CalcConfig;
  params: CalcParams;
  /** Embeddings (T, d_model). */
  x: Matrix;
  /** Projections (T, P): all heads side by side. */
  q: Matrix;
  k: Matrix;
  v: Matrix;
  heads: HeadResult[];
  /** Head outputs side by side (T, d_model), several heads only. */
  concat: Matrix | null;
  /** Final output: weighted sums (one head) or concat·W_O (several). */
  output: Matrix;
}

/** Run the configured attention on embeddings x (T, d_model) with src/lib. Throws RangeError on bad shapes. */
export function computeAttention(c: CalcConfig, x: Matrix, params: CalcParams = makeParams(c)): CalcResult {
  const t = x.length;
  if (c.heads > 1) {
    const mask = c.variant === 'local' ? windowMask(t, t, c.window) : undefined;
    const wo = params.wo ?? weightMatrix(c.seed, 'wo', c.dModel, c.dModel);
    const mh = multiHeadAttention(x, { wq: params.wq, wk: params.wk, wv: params.wv, wo }, c.heads, {
      causal: c.causal,
      mask,
    });
    return {
      config: c,
      params,
      x,
      q: mh.q,
      k: mh.k,
      v: mh.v,
      heads: mh.heads.map((h) => ({ ...h, dk: mh.headDim })),
      concat: mh.concat,
      output: mh.output,
    };
  }
  const [q, k, v] = projectQkv('attentionCalculator', x, x, { wq: params.wq, wk: params.wk, wv: params.wv });
  const scale = c.scaled ? undefined : 1;
  let head: HeadResult;
  switch (c.variant) {
    case 'additive': {
      const a = params.additive!;
      const r = additiveAttention(q, k, v, { wq: a.wq, wk: a.wk, va: a.va }, { causal: c.causal });
      head = { ...r, dk: c.dk };
      break;
    }
    case 'multiplicative': {
      const r = multiplicativeAttention(q, k, v, c.luong, {
        causal: c.causal,
        w: params.luongW ?? undefined,
      });
      head = { ...r, dk: c.dk };
      break;
    }
    case 'local':
      head = { ...localAttention(q, k, v, c.window, { causal: c.causal, scale }), dk: c.dk };
      break;
    case 'hard':
      head = { ...hardAttention(q, k, v, { causal: c.causal, scale }), dk: c.dk };
      break;
    default:
      head = { ...scaledDotProductAttention(q, k, v, { causal: c.causal, scale }), dk: c.dk };
  }
  return { config: c, params, x, q, k, v, heads: [head], concat: null, output: head.output };
}

/** The stages the step control walks through. */
export type StageId =
  'embed' | 'project' | 'scores' | 'scale' | 'mask' | 'softmax' | 'sum' | 'hard' | 'concat' | 'out';

/** Does this configuration divide the scores by √d_k? */
export function usesScale(c: Pick<CalcConfig, 'variant' | 'scaled' | 'heads'>): boolean {
  if (c.heads > 1) return true;
  if (c.variant === 'additive' || c.variant === 'multiplicative') return false;
  return c.scaled;
}

/** The stage list for a configuration, with labels that name what each stage computes. */
export function stageList(c: CalcConfig): { id: StageId; label: string }[] {
  const scoreLabel =
    c.heads === 1 && c.variant === 'additive'
      ? 'Scores vₐ·tanh(…)'
      : c.heads === 1 && c.variant === 'multiplicative' && c.luong === 'general'
        ? 'Scores Q·W·Kᵀ'
        : 'Scores Q·Kᵀ';
  const local = c.variant === 'local';
  const maskLabel =
    c.causal && local
      ? 'Causal + window mask'
      : c.causal
        ? 'Causal mask'
        : local
          ? 'Window mask'
          : 'Mask (off)';
  const stages: { id: StageId; label: string }[] = [
    { id: 'embed', label: 'Embeddings X' },
    { id: 'project', label: 'Projections Q, K, V' },
    { id: 'scores', label: scoreLabel },
    { id: 'scale', label: usesScale(c) ? 'Scale by 1/√d_k' : 'Scale (none)' },
    { id: 'mask', label: maskLabel },
    { id: 'softmax', label: 'Softmax weights' },
    { id: 'sum', label: 'Weighted sums' },
  ];
  if (c.heads === 1 && c.variant === 'hard') stages.push({ id: 'hard', label: 'Hard choice' });
  if (c.heads > 1) {
    stages.push({ id: 'concat', label: 'Concatenate heads' }, { id: 'out', label: 'Output projection W_O' });
  }
  return stages;
}

/** Row sums of a matrix (n, m) → (n). */
export function rowSums(m: Matrix): number[] {
  return m.map((row) => row.reduce((a, b) => a + b, 0));
}

/** The cell an arrow/Home/End key moves to from (i, j) in a (rows, cols) table, or null for other keys. */
export function moveByKey(
  key: string,
  i: number,
  j: number,
  rows: number,
  cols: number,
  ctrl = false,
): [number, number] | null {
  switch (key) {
    case 'ArrowUp':
      return [Math.max(0, i - 1), j];
    case 'ArrowDown':
      return [Math.min(rows - 1, i + 1), j];
    case 'ArrowLeft':
      return [i, Math.max(0, j - 1)];
    case 'ArrowRight':
      return [i, Math.min(cols - 1, j + 1)];
    case 'Home':
      return ctrl ? [0, 0] : [i, 0];
    case 'End':
      return ctrl ? [rows - 1, cols - 1] : [i, cols - 1];
    default:
      return null;
  }
}
