/**
 * How tokens are shown (no DOM): invisible characters become visible symbols (␣ ␊ ␉, ⟨ZWJ⟩), with a
 * spoken description for screen readers; and a window of a long text around a highlighted span.
 */

/** Short names of invisible format characters, shown as ⟨NAME⟩. */
const FORMAT_NAMES: Record<number, [string, string]> = {
  0x00ad: ['SHY', 'soft hyphen'],
  0x034f: ['CGJ', 'combining grapheme joiner'],
  0x061c: ['ALM', 'Arabic letter mark'],
  0x180e: ['MVS', 'Mongolian vowel separator'],
  0x200b: ['ZWSP', 'zero-width space'],
  0x200c: ['ZWNJ', 'zero-width non-joiner'],
  0x200d: ['ZWJ', 'zero-width joiner'],
  0x200e: ['LRM', 'left-to-right mark'],
  0x200f: ['RLM', 'right-to-left mark'],
  0x202a: ['LRE', 'left-to-right embedding'],
  0x202b: ['RLE', 'right-to-left embedding'],
  0x202c: ['PDF', 'pop directional formatting'],
  0x202d: ['LRO', 'left-to-right override'],
  0x202e: ['RLO', 'right-to-left override'],
  0x2060: ['WJ', 'word joiner'],
  0x2066: ['LRI', 'left-to-right isolate'],
  0x2067: ['RLI', 'right-to-left isolate'],
  0x2068: ['FSI', 'first strong isolate'],
  0x2069: ['PDI', 'pop directional isolate'],
  0xfeff: ['BOM', 'byte order mark'],
};

const CONTROL_NAMES: Record<number, string> = {
  0x09: 'tab',
  0x0a: 'line feed',
  0x0d: 'carriage return',
  0x20: 'space',
  0x7f: 'delete',
};

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** Visible form and spoken name of one code point, or null when it is an ordinary visible character. */
function special(cp: number): { shown: string; spoken: string } | null {
  if (cp === 0x20) return { shown: '␣', spoken: 'space' };
  if (cp < 0x20)
    return { shown: String.fromCodePoint(0x2400 + cp), spoken: CONTROL_NAMES[cp] ?? `control ${hex(cp)}` };
  if (cp === 0x7f) return { shown: '␡', spoken: 'delete' };
  if (cp >= 0x80 && cp < 0xa0) return { shown: `⟨${hex(cp)}⟩`, spoken: `control ${hex(cp)}` };
  if (cp === 0xa0) return { shown: '⍽', spoken: 'no-break space' };
  const named = FORMAT_NAMES[cp];
  if (named) return { shown: `⟨${named[0]}⟩`, spoken: `${named[1]} ${hex(cp)}` };
  if (cp >= 0xfe00 && cp <= 0xfe0f)
    return { shown: `⟨VS${cp - 0xfe00 + 1}⟩`, spoken: `variation selector ${hex(cp)}` };
  if (cp >= 0xd800 && cp <= 0xdfff) return { shown: `⟨${hex(cp)}⟩`, spoken: `lone surrogate ${hex(cp)}` };
  if (cp === 0x2028 || cp === 0x2029)
    return { shown: '↵', spoken: cp === 0x2028 ? 'line separator' : 'paragraph separator' };
  if (/\p{Zs}/u.test(String.fromCodePoint(cp))) return { shown: '␣', spoken: `space ${hex(cp)}` };
  return null;
}

const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const MARK = /^\p{M}$/u;
const FORMAT = /^\p{Cf}$/u;

/** Is this string exactly one grapheme cluster made of several code points (an emoji sequence, e + ◌́)? */
function isComposedGrapheme(text: string): boolean {
  const cps = [...text];
  if (cps.length < 2) return false;
  const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text);
  let n = 0;
  for (const _ of seg) if (++n > 1) return false;
  // A cluster that ends in a joiner or other format character (👩 + ZWJ) shows that character visibly.
  if (FORMAT.test(cps[cps.length - 1])) return false;
  return PICTOGRAPHIC.test(text) || MARK.test(cps[cps.length - 1]);
}

/** The visible text of a token: spaces as ␣, controls as ␊ ␉…, format characters as ⟨ZWJ⟩; emoji sequences kept whole. */
export function visibleToken(text: string): string {
  if (text === '') return '∅';
  if (isComposedGrapheme(text)) return text;
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const s = special(cp);
    if (s) out += s.shown;
    else if (MARK.test(ch) && out === '')
      out += `◌${ch}`; // a lone combining mark, on a dotted circle
    else out += ch;
  }
  return out;
}

/** What a screen reader should say for a token: names for invisible characters, the text otherwise. */
export function spokenToken(text: string): string {
  const cps = [...text];
  if (cps.length === 1) {
    const s = special(cps[0].codePointAt(0)!);
    if (s) return s.spoken;
    if (MARK.test(cps[0])) return `combining mark ${hex(cps[0].codePointAt(0)!)}`;
    return `“${text}”`;
  }
  const parts = cps.map((ch) => special(ch.codePointAt(0)!));
  if (parts.every((p) => p === null) || isComposedGrapheme(text)) return `“${text}”`;
  return `“${visibleToken(text)}”`;
}

/** A window of `text` around [start, end): at most `max` UTF-16 units of context, never splitting a surrogate pair. */
export interface HighlightWindow {
  before: string;
  mark: string;
  after: string;
  /** Text was cut before `before` / after `after`. */
  cutStart: boolean;
  cutEnd: boolean;
}

/** Move a cut point off the middle of a surrogate pair: backwards (for a start) or forwards (for an end). */
function safeCut(text: string, i: number, forward: boolean): number {
  const c = text.charCodeAt(i);
  const inside = i > 0 && i < text.length && c >= 0xdc00 && c <= 0xdfff;
  return inside ? (forward ? i + 1 : i - 1) : i;
}

/** Split `text` into before / marked / after, keeping about `context` units on each side of the span. */
export function highlightWindow(text: string, start: number, end: number, context = 300): HighlightWindow {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  const from = safeCut(text, Math.max(0, s - context), false);
  const to = safeCut(text, Math.min(text.length, e + context), true);
  return {
    before: text.slice(from, s),
    mark: text.slice(s, e),
    after: text.slice(e, to),
    cutStart: from > 0,
    cutEnd: to < text.length,
  };
}

/** Format a count with thousands separators (en-US) for messages. */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** A count with its noun in the right number: "1 character", "2,000 characters". */
export const countOf = (n: number, one: string, many = `${one}s`): string =>
  `${formatCount(n)} ${n === 1 ? one : many}`;
