/**
 * A word tokenizer: runs of letters, digits, connector punctuation and combining marks form words (like
 * Python's `\w+`, but a combining mark stays on its letter); every other non-space grapheme cluster (punctuation,
 * an emoji with its ZWJ sequence, a flag) is a token by itself; whitespace (including CRLF) separates tokens.
 * A vocabulary maps tokens to ids with id 0 reserved for the visible unknown token '⟨unk⟩'.
 */
import { checkInt, checkString, fail } from '../validate';
import { compareCodePoints, lookUpUnits, splitUnits, type TextUnit, type UnknownUnit } from './units';

/** The word vocabulary's visible unknown token (id 0). */
export const WORD_UNK = '⟨unk⟩';

const WORD_START = /^[\p{L}\p{N}\p{Pc}\p{M}]/u;
const SPACE = /^\s+$/u;

/** Split text into word and symbol tokens with UTF-16 offsets (into the lowercased text if lowercase): string → (n). */
export function tokenizeWords(text: string, options: { lowercase?: boolean } = {}): TextUnit[] {
  checkString('tokenizeWords', 'text', text);
  const source = options.lowercase ? text.toLowerCase() : text;
  const out: TextUnit[] = [];
  let current: TextUnit | null = null;
  for (const g of splitUnits(source, 'grapheme')) {
    if (SPACE.test(g.text)) {
      current = null;
    } else if (WORD_START.test(g.text)) {
      if (current) {
        current.text += g.text;
        current.end = g.end;
      } else {
        current = { ...g };
        out.push(current);
      }
    } else {
      current = null;
      out.push({ ...g });
    }
  }
  return out;
}

/** A word vocabulary: id 0 is the unknown token, then words by descending count, ties in code point order. */
export interface WordVocab {
  /** Id → token, (V); itos[0] is the unknown token. */
  itos: string[];
  /** Token → id. */
  stoi: Map<string, number>;
  /** Token → count in the training tokens. */
  counts: Map<string, number>;
  /** Id of the unknown token: 0. */
  unkId: number;
}

/** Build a word vocabulary from tokens (n): keep tokens seen >= minCount times, at most maxSize ids in all. */
export function buildWordVocab(
  tokens: readonly string[],
  options: { minCount?: number; maxSize?: number } = {},
): WordVocab {
  if (!Array.isArray(tokens)) fail('buildWordVocab', 'tokens must be an array of strings');
  const minCount = options.minCount ?? 1;
  const maxSize = options.maxSize ?? Number.MAX_SAFE_INTEGER;
  checkInt('buildWordVocab', 'minCount', minCount, 1);
  checkInt('buildWordVocab', 'maxSize', maxSize, 1);
  const counts = new Map<string, number>();
  tokens.forEach((t, i) => {
    checkString('buildWordVocab', `tokens[${i}]`, t);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  });
  const words = [...counts.entries()]
    .filter(([w, c]) => c >= minCount && w !== WORD_UNK)
    .sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]))
    .slice(0, maxSize - 1)
    .map(([w]) => w);
  const itos = [WORD_UNK, ...words];
  return { itos, stoi: new Map(itos.map((w, i) => [w, i])), counts, unkId: 0 };
}

/** Stages of word encoding. */
export interface WordEncoding {
  /** The tokens with offsets, (n). */
  tokens: TextUnit[];
  /** Ids, (n); unknown tokens → 0. */
  ids: number[];
  /** Tokens missing from the vocabulary. */
  unknown: UnknownUnit[];
}

/** Tokenize and encode text with a word vocabulary: string → ids (n), reporting unknown words. */
export function encodeWords(
  vocab: WordVocab,
  text: string,
  options: { lowercase?: boolean } = {},
): WordEncoding {
  const tokens = tokenizeWords(text, options);
  const { ids, unknown } = lookUpUnits(vocab, tokens);
  return { tokens, ids, unknown };
}

/** Decode ids (n) → tokens joined by `separator` (a space by default). */
export function decodeWords(vocab: WordVocab, ids: readonly number[], separator = ' '): string {
  return ids
    .map((id, i) => {
      checkInt('decodeWords', `ids[${i}]`, id, 0, vocab.itos.length - 1);
      return vocab.itos[id];
    })
    .join(separator);
}
