/**
 * The notes' character tokenizer: `chars = sorted(list(set(text)))`, stoi/itos, encode/decode.
 * A "character" is a Unicode code point by default (as in the notes' Python), sorted by code point as
 * Python does; pass segmentation 'grapheme' to treat user-perceived characters as units instead.
 * Unknown characters: the notes' `encode` would raise KeyError; ours maps them to a visible unknown token
 * (U+FFFD '\uFFFD' by default) whose id is `chars.length` (after all known ids, so known ids match the notes)
 * and reports each with its position and offset.
 */
import { checkString, fail } from '../validate';
import { compareCodePoints, lookUpUnits, splitUnits, type Segmentation, type UnknownUnit } from './units';

/** The default visible unknown token: U+FFFD REPLACEMENT CHARACTER. */
export const UNK_TOKEN = '\uFFFD';

/** A character vocabulary: sorted characters, their ids, and the unknown token's id. */
export interface CharVocab {
  /** The sorted distinct characters (code point order), (V). */
  chars: string[];
  /** Character → id. */
  stoi: Map<string, number>;
  /** Id → character; itos[unkId] is the unknown token, (V + 1). */
  itos: string[];
  /** Id of the unknown token: chars.length. */
  unkId: number;
  /** The unknown token's text. */
  unkToken: string;
  /** How text is cut into characters. */
  segmentation: Segmentation;
  /** Number of ids including the unknown token: chars.length + 1. */
  size: number;
}

/** Stages of character encoding. */
export interface CharEncoding {
  /** The text cut into characters, (n). */
  units: string[];
  /** Token ids, (n); unknown characters get vocab.unkId. */
  ids: number[];
  /** Every character that was not in the vocabulary. */
  unknown: UnknownUnit[];
}

/** Build the vocabulary of a text: sorted(set(text)) by code point, stoi/itos, plus the unknown token. */
export function buildCharVocab(
  text: string,
  options: { segmentation?: Segmentation; unkToken?: string } = {},
): CharVocab {
  checkString('buildCharVocab', 'text', text);
  const segmentation = options.segmentation ?? 'codepoint';
  const unkToken = options.unkToken ?? UNK_TOKEN;
  if (typeof unkToken !== 'string' || unkToken.length === 0) {
    fail('buildCharVocab', 'unkToken must be a non-empty string');
  }
  const units = splitUnits(text, segmentation);
  const chars = [...new Set(units.map((u) => u.text))].sort(compareCodePoints);
  const stoi = new Map(chars.map((c, i) => [c, i]));
  return {
    chars,
    stoi,
    itos: [...chars, unkToken],
    unkId: chars.length,
    unkToken,
    segmentation,
    size: chars.length + 1,
  };
}

/** Encode text → ids (n) with the vocabulary's segmentation; unknown characters → unkId, reported. */
export function encodeChars(vocab: CharVocab, text: string): CharEncoding {
  checkString('encodeChars', 'text', text);
  const units = splitUnits(text, vocab.segmentation);
  const { ids, unknown } = lookUpUnits(vocab, units);
  return { units: units.map((u) => u.text), ids, unknown };
}

/** Decode ids (n) → text; the unknown id decodes to the visible unknown token; other ids must be in range. */
export function decodeChars(vocab: CharVocab, ids: readonly number[]): string {
  return ids
    .map((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= vocab.size) {
        fail('decodeChars', `ids[${i}] must be an integer in [0, ${vocab.size - 1}], got ${id}`);
      }
      return vocab.itos[id];
    })
    .join('');
}
