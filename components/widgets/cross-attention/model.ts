import { SEED, parseNumber } from '../shared/parse';
import { crossAttention } from '../../../src/lib/attention/cross';
import type { AttentionStages } from '../../../src/lib/attention/scaled-dot';
import type { Matrix } from '../../../src/lib/matrix';
import { createRng, type Rng } from '../../../src/lib/rng';
import { tokenizeWords } from '../../../src/lib/tokenize/word';

/** Most words per sentence the widget shows. */
export const MAX_WORDS = 12;

/** The words of the two sentences and the cross-attention stages between them. */
export interface CrossAttentionDemo {
  /** Words of the sentence being written (queries), (T). */
  targets: string[];
  /** Words of the sentence being read (keys and values), (S). */
  sources: string[];
  /** Stages from src/lib: q (T, d), k (S, d), v (S, d), scores/weights (T, S), output (T, d). */
  stages: AttentionStages;
}

export type CrossAttentionResult = { ok: true; demo: CrossAttentionDemo } | { ok: false; message: string };

/** A (rows, cols) matrix of normal(0, 1) draws, rounded to 2 decimals so the numbers stay readable. */
function randomMatrix(rng: Rng, rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => Math.round(rng.normal(0, 1) * 100) / 100),
  );
}

/** Words of a sentence (punctuation dropped), or a message naming the field when it is unusable. */
function words(text: string, field: string): string[] | string {
  const units = tokenizeWords(text, { lowercase: true })
    .map((u) => u.text)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (units.length === 0) return `${field}: type at least one word.`;
  if (units.length > MAX_WORDS) return `${field}: at most ${MAX_WORDS} words (got ${units.length}).`;
  return units;
}

/**
 * Cross-attention of `target` over `source` (the seed typed as text or given as a number): each word gets a seeded embedding (d) shared by both
 * sentences, seeded W_Q, W_K, W_V (d, d), and src/lib's crossAttention computes every stage.
 */
export function crossAttentionDemo(
  target: string,
  source: string,
  seed: number | string,
  d = 4,
): CrossAttentionResult {
  const targets = words(target, 'Target sentence');
  if (typeof targets === 'string') return { ok: false, message: targets };
  const sources = words(source, 'Source sentence');
  if (typeof sources === 'string') return { ok: false, message: sources };
  const read = parseNumber(String(seed), SEED);
  if (!read.ok) return read;
  const rng = createRng(read.value);
  const w = { wq: randomMatrix(rng, d, d), wk: randomMatrix(rng, d, d), wv: randomMatrix(rng, d, d) };
  const table = new Map<string, number[]>();
  const embed = (word: string) => {
    if (!table.has(word)) table.set(word, randomMatrix(rng, 1, d)[0]);
    return table.get(word) as number[];
  };
  const x = targets.map(embed); // (T, d)
  const context = sources.map(embed); // (S, d)
  return { ok: true, demo: { targets, sources, stages: crossAttention(x, context, w) } };
}
