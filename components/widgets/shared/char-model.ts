/**
 * The small character model the site ships (public/models/char-embeddings.json, trained by
 * scripts/reference/char_embeddings.py): validate the JSON and run its forward pass (no DOM).
 *   x = concat(E[c1..cT]) (T·d) → h = tanh(x·W1 + b1) (H) → logits = h·W2 + b2 (V)
 */
import { tanh } from '../../../src/lib/activations';
import { matVec, transpose, type Matrix } from '../../../src/lib/matrix';

/** The shipped model: vocabulary, context length and weights. */
export interface CharModel {
  meta: Record<string, string | number>;
  /** Characters sorted by code point, (V). */
  vocab: string[];
  /** Characters the model reads, T. */
  context: number;
  /** (V, d) */
  embeddings: Matrix;
  /** (T·d, H) */
  w1: Matrix;
  /** (H) */
  b1: number[];
  /** (H, V) */
  w2: Matrix;
  /** (V) */
  b2: number[];
  /** PyTorch's logits for a few prompts, for tests. */
  checks: { prompt: string; logits: number[] }[];
}

/** The model's URL under the site's base path. */
export function modelUrl(base: string): string {
  return `${base.replace(/\/?$/, '/')}models/char-embeddings.json`;
}

function isMatrix(m: unknown, rows: number, cols: number): m is Matrix {
  return (
    Array.isArray(m) &&
    m.length === rows &&
    m.every(
      (r) =>
        Array.isArray(r) && r.length === cols && r.every((x) => typeof x === 'number' && Number.isFinite(x)),
    )
  );
}

function isVector(v: unknown, n: number): v is number[] {
  return Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** Check the JSON's shapes; returns the model or a message that says what is wrong. */
export function parseCharModel(json: unknown): CharModel | string {
  if (typeof json !== 'object' || json === null) return 'the model file is not a JSON object';
  const m = json as Partial<CharModel>;
  if (!Array.isArray(m.vocab) || m.vocab.length < 2 || !m.vocab.every((c) => typeof c === 'string')) {
    return 'the model file has no vocabulary';
  }
  const v = m.vocab.length;
  if (!Number.isInteger(m.context) || (m.context as number) < 1)
    return 'the model file has no context length';
  const t = m.context as number;
  if (!Array.isArray(m.embeddings) || !Array.isArray(m.embeddings[0]))
    return 'the model file has no embeddings';
  const d = m.embeddings[0].length;
  if (!isMatrix(m.embeddings, v, d)) return `embeddings must be ${v} × ${d} finite numbers`;
  if (!Array.isArray(m.w1) || !Array.isArray(m.w1[0])) return 'the model file has no first layer';
  const h = m.w1[0].length;
  if (!isMatrix(m.w1, t * d, h)) return `w1 must be ${t * d} × ${h}`;
  if (!isVector(m.b1, h)) return `b1 must have ${h} numbers`;
  if (!isMatrix(m.w2, h, v)) return `w2 must be ${h} × ${v}`;
  if (!isVector(m.b2, v)) return `b2 must have ${v} numbers`;
  return {
    meta: (m.meta ?? {}) as CharModel['meta'],
    vocab: m.vocab,
    context: t,
    embeddings: m.embeddings,
    w1: m.w1,
    b1: m.b1,
    w2: m.w2,
    b2: m.b2,
    checks: Array.isArray(m.checks) ? m.checks : [],
  };
}

/** Characters of a prompt the model cannot read (not in its vocabulary), distinct, in order. */
export function unknownChars(model: CharModel, prompt: string): string[] {
  const known = new Set(model.vocab);
  return [...new Set([...prompt].filter((c) => !known.has(c)))];
}

/** The last `context` characters of a prompt, left-padded with spaces (as in training). */
export function contextOf(model: CharModel, prompt: string): string[] {
  const chars = [...prompt];
  const padded = [...Array<string>(Math.max(0, model.context - chars.length)).fill(' '), ...chars];
  return padded.slice(padded.length - model.context);
}

/** Forward-pass stages for one prompt. */
export interface ForwardStages {
  /** The characters read, (T). */
  context: string[];
  /** Their ids, (T). */
  ids: number[];
  /** Hidden activations tanh(x·W1 + b1), (H). */
  hidden: number[];
  /** Next-character logits, (V). */
  logits: number[];
}

/** Next-character logits for a prompt whose characters are all in the vocabulary. */
export function nextCharLogits(model: CharModel, prompt: string, w1t?: Matrix, w2t?: Matrix): ForwardStages {
  const context = contextOf(model, prompt);
  const ids = context.map((c) => {
    const id = model.vocab.indexOf(c);
    if (id < 0) throw new RangeError(`nextCharLogits: ${JSON.stringify(c)} is not in the vocabulary`);
    return id;
  });
  const x = ids.flatMap((id) => model.embeddings[id]); // (T·d)
  const pre = matVec(w1t ?? transpose(model.w1), x); // (H)
  const hidden = pre.map((z, j) => tanh(z + model.b1[j])); // (H)
  const logits = matVec(w2t ?? transpose(model.w2), hidden).map((z, k) => z + model.b2[k]); // (V)
  return { context, ids, hidden, logits };
}

/** A forward function with the transposed weights computed once (for generating many characters). */
export function forwardFor(model: CharModel): (prompt: string) => ForwardStages {
  const w1t = transpose(model.w1);
  const w2t = transpose(model.w2);
  return (prompt) => nextCharLogits(model, prompt, w1t, w2t);
}
