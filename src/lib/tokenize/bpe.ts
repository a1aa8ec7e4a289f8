/**
 * Byte-pair encoding over characters (code points by default, or grapheme clusters), in the style of
 * minbpe: the whole training text is one sequence; each round merges every occurrence of the most
 * frequent adjacent pair into a new token. Ties go to the pair that occurs first in the sequence (what
 * Python's max() over an insertion-ordered dict picks). Training stops after `numMerges` merges or when
 * no pair occurs at least `minCount` (default 2) times. Every merge is recorded so the explorer can replay it.
 * Ids: base characters sorted by code point get 0..B-1, the unknown token (U+FFFD) gets B, merges get B+1…
 */
import { checkInt, checkString, fail } from '../validate';
import { UNK_TOKEN } from './char';
import { compareCodePoints, splitUnits, type Segmentation, type UnknownUnit } from './units';

/** One learned merge: `left` + `right` → `id`, found `count` times when it was learned. */
export interface BpeMerge {
  /** 0-based merge rank (earlier merges apply first when encoding). */
  rank: number;
  /** The merged pair of ids. */
  pair: [number, number];
  /** The pair's texts. */
  parts: [string, string];
  /** The new token's id. */
  id: number;
  /** The new token's text. */
  token: string;
  /** Occurrences of the pair in the training sequence at this round. */
  count: number;
  /** Sequence length after this merge. */
  lengthAfter: number;
}

/** A trained BPE model. */
export interface BpeModel {
  /** Base characters sorted by code point, (B). */
  base: string[];
  /** Id → token text, (B + 1 + merges). */
  vocab: string[];
  /** The merges in rank order. */
  merges: BpeMerge[];
  /** The unknown token's id: B. */
  unkId: number;
  /** How text is cut into base characters. */
  segmentation: Segmentation;
}

/** Count adjacent id pairs; keys "a,b" in order of first occurrence. */
function pairCounts(ids: readonly number[], skip: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + 1 < ids.length; i++) {
    if (ids[i] === skip || ids[i + 1] === skip) continue;
    const key = `${ids[i]},${ids[i + 1]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Replace every non-overlapping occurrence (left to right) of pair (a, b) by id: (n) → (m <= n). */
function mergePair(ids: readonly number[], a: number, b: number, id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
      out.push(id);
      i++;
    } else out.push(ids[i]);
  }
  return out;
}

/** Train BPE on a text: learn up to numMerges merges, recording each one. */
export function trainBpe(
  text: string,
  numMerges: number,
  options: { segmentation?: Segmentation; minCount?: number } = {},
): BpeModel {
  checkString('trainBpe', 'text', text);
  checkInt('trainBpe', 'numMerges', numMerges, 0);
  const minCount = options.minCount ?? 2;
  checkInt('trainBpe', 'minCount', minCount, 1);
  const segmentation = options.segmentation ?? 'codepoint';
  const units = splitUnits(text, segmentation).map((u) => u.text);
  const base = [...new Set(units)].sort(compareCodePoints);
  const unkId = base.length;
  const vocab = [...base, UNK_TOKEN];
  const index = new Map(base.map((c, i) => [c, i]));
  let ids = units.map((u) => index.get(u)!);
  const merges: BpeMerge[] = [];
  for (let rank = 0; rank < numMerges; rank++) {
    let bestKey = '';
    let best = 0;
    for (const [key, c] of pairCounts(ids, unkId)) {
      if (c > best) {
        best = c;
        bestKey = key;
      }
    }
    if (best < minCount) break;
    const [a, b] = bestKey.split(',').map(Number);
    const id = vocab.length;
    vocab.push(vocab[a] + vocab[b]);
    ids = mergePair(ids, a, b, id);
    merges.push({
      rank,
      pair: [a, b],
      parts: [vocab[a], vocab[b]],
      id,
      token: vocab[id],
      count: best,
      lengthAfter: ids.length,
    });
  }
  return { base, vocab, merges, unkId, segmentation };
}

/** One encoding step: the merge applied and the token texts after it. */
export interface BpeStep {
  merge: BpeMerge;
  tokens: string[];
}

/** Stages of BPE encoding. */
export interface BpeEncoding {
  /** The base characters of the text, (n). */
  units: string[];
  /** Ids before any merge, (n). */
  initialIds: number[];
  /** The merges applied in order, with the tokens after each. */
  steps: BpeStep[];
  /** Final ids, (m). */
  ids: number[];
  /** Final token texts, (m). */
  tokens: string[];
  /** Base characters missing from the model (encoded as unkId, never merged). */
  unknown: UnknownUnit[];
}

/** Encode text with a trained model: repeatedly apply the lowest-rank merge present; string → ids (m). */
export function encodeBpe(model: BpeModel, text: string): BpeEncoding {
  checkString('encodeBpe', 'text', text);
  const units = splitUnits(text, model.segmentation);
  const index = new Map(model.base.map((c, i) => [c, i]));
  const unknown: UnknownUnit[] = [];
  const initialIds = units.map((u, position) => {
    const id = index.get(u.text);
    if (id !== undefined) return id;
    unknown.push({ position, offset: u.start, text: u.text });
    return model.unkId;
  });
  const rankOf = new Map(model.merges.map((m) => [`${m.pair[0]},${m.pair[1]}`, m]));
  let ids = initialIds;
  const steps: BpeStep[] = [];
  for (;;) {
    let next: BpeMerge | undefined;
    for (const key of pairCounts(ids, model.unkId).keys()) {
      const m = rankOf.get(key);
      if (m && (!next || m.rank < next.rank)) next = m;
    }
    if (!next) break;
    ids = mergePair(ids, next.pair[0], next.pair[1], next.id);
    steps.push({ merge: next, tokens: ids.map((id) => model.vocab[id]) });
  }
  return {
    units: units.map((u) => u.text),
    initialIds,
    steps,
    ids,
    tokens: ids.map((id) => model.vocab[id]),
    unknown,
  };
}

/** Decode ids (m) → text by concatenating token texts; ids must be in range. */
export function decodeBpe(model: BpeModel, ids: readonly number[]): string {
  if (!Array.isArray(ids)) fail('decodeBpe', 'ids must be an array of integers');
  return ids
    .map((id, i) => {
      checkInt('decodeBpe', `ids[${i}]`, id, 0, model.vocab.length - 1);
      return model.vocab[id];
    })
    .join('');
}
