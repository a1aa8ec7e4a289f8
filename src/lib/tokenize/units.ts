/**
 * Splitting text into "characters". By default a character is a Unicode code point, exactly what Python's
 * `list(text)` yields (so the notes' tokenizer is reproduced); 'grapheme' instead yields user-perceived
 * characters (Intl.Segmenter), keeping e + U+0301, emoji ZWJ sequences, flags and CRLF together.
 */
import { fail } from '../validate';

/** How text is cut into characters: Unicode code points (Python's default) or grapheme clusters. */
export type Segmentation = 'codepoint' | 'grapheme';

/** A piece of text with its UTF-16 offsets [start, end) in the source string. */
export interface TextUnit {
  text: string;
  start: number;
  end: number;
}

/** Split text into code points or grapheme clusters, with UTF-16 offsets: string → (n) units. */
export function splitUnits(text: string, segmentation: Segmentation = 'codepoint'): TextUnit[] {
  if (typeof text !== 'string') fail('splitUnits', `text must be a string, got ${typeof text}`);
  const out: TextUnit[] = [];
  if (segmentation === 'codepoint') {
    let offset = 0;
    for (const ch of text) {
      out.push({ text: ch, start: offset, end: offset + ch.length });
      offset += ch.length;
    }
    return out;
  }
  if (segmentation !== 'grapheme') {
    fail('splitUnits', `segmentation must be 'codepoint' or 'grapheme', got ${String(segmentation)}`);
  }
  for (const s of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    out.push({ text: s.segment, start: s.index, end: s.index + s.segment.length });
  }
  return out;
}

/** Compare strings by code point sequence, like Python's str ordering (not JS's UTF-16 code unit order). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** A character the vocabulary does not hold: which unit (position), where in the text (UTF-16 offset). */
export interface UnknownUnit {
  /** Index in the token sequence. */
  position: number;
  /** UTF-16 offset in the source text. */
  offset: number;
  /** The unknown text. */
  text: string;
}

/** Look each unit up in a vocabulary: ids (n), an unknown unit → unkId and listed with where it stands. */
export function lookUpUnits(
  vocab: { stoi: ReadonlyMap<string, number>; unkId: number },
  units: readonly TextUnit[],
): { ids: number[]; unknown: UnknownUnit[] } {
  const unknown: UnknownUnit[] = [];
  const ids = units.map((u, position) => {
    const id = vocab.stoi.get(u.text);
    if (id !== undefined) return id;
    unknown.push({ position, offset: u.start, text: u.text });
    return vocab.unkId;
  }); // (n)
  return { ids, unknown };
}
