/**
 * What a learner types into the attention calculator, read without the DOM: the sentence (with notes on
 * what was changed), embedding cells, d_k, and the checks that heads divide d_model and that a variant can
 * run with several heads. Numbers go through the widgets' shared parser, so messages read like every
 * other widget's.
 */
import { tokenizeWords } from '../../../src/lib/tokenize/word';
import { parseNumber, shown, type Parsed } from '../shared/parse';

/** The notes' example sentence. */
export const DEFAULT_SENTENCE = 'I love apples a lot';
/** At most this many tokens are attended over (the rest are dropped, with a message). */
export const MAX_TOKENS = 12;
/** Only this many characters of a long paste are read, so a 1 MB paste stays responsive. */
export const MAX_CHARS = 2000;
/** Largest model width d_model and key width d_k. */
export const MAX_DIM = 64;
/** Largest number of heads. */
export const MAX_HEADS = 8;
/** Largest magnitude of an embedding entry a learner may type. */
export const MAX_ABS = 1000;
/** Token labels longer than this many characters are shortened. */
export const MAX_LABEL = 16;

/** The attention variants the calculator can show. */
export type Variant = 'scaled-dot' | 'additive' | 'multiplicative' | 'local' | 'hard';
/** Luong's two unscaled scores. */
export type LuongScore = 'dot' | 'general';

/** Variants with their names; `multiHead` says whether the calculator runs them with several heads. */
export const VARIANTS: readonly { id: Variant; label: string; multiHead: boolean }[] = [
  { id: 'scaled-dot', label: 'Scaled dot-product', multiHead: true },
  { id: 'additive', label: 'Additive (Bahdanau)', multiHead: false },
  { id: 'multiplicative', label: 'Multiplicative (Luong)', multiHead: false },
  { id: 'local', label: 'Local window', multiHead: true },
  { id: 'hard', label: 'Hard vs soft', multiHead: false },
];

/** The tokens of a sentence plus notes about what was changed or how to read it. */
export interface SentenceResult {
  ok: boolean;
  /** Tokens in typed order, at most MAX_TOKENS. */
  tokens: string[];
  /** Why nothing can be computed (empty input), when !ok. */
  error?: string;
  /** Informational messages: truncation, removed characters, HTML-looking text, emoji, right-to-left text. */
  notes: string[];
}

// Control characters other than tab/newline/return, and invisible bidirectional formatting controls.
const CONTROL =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
const INVISIBLE_TOKEN = /^[\p{Cf}\p{Cc}\p{Z}]+$/u;
const HTML_LIKE = /<\s*\/?\s*[a-z!][^>]*>|&[a-z]+;|&#\d+;/i;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;

/**
 * Split a sentence into word tokens (src/lib word tokenizer) for the calculator: reads at most MAX_CHARS
 * characters, removes control characters, keeps at most MAX_TOKENS tokens, and explains each change.
 */
export function parseSentence(text: string): SentenceResult {
  const notes: string[] = [];
  let source = text;
  if (source.length > MAX_CHARS) {
    let cut = MAX_CHARS;
    const code = source.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // never split a surrogate pair
    notes.push(
      `Your text has ${source.length.toLocaleString('en')} characters; only the first ${MAX_CHARS.toLocaleString('en')} are read.`,
    );
    source = source.slice(0, cut);
  }
  let removed = 0;
  source = source.replace(CONTROL, () => {
    removed += 1;
    return ' ';
  });
  if (removed > 0) {
    notes.push(
      `Removed ${removed} invisible control character${removed === 1 ? '' : 's'}; they would be tokens nobody can see.`,
    );
  }
  const all = tokenizeWords(source)
    .map((t) => t.text)
    .filter((t) => !INVISIBLE_TOKEN.test(t));
  if (all.length === 0) {
    return {
      ok: false,
      tokens: [],
      error: 'Type a sentence: there are no words to attend over yet (try “I love apples a lot”).',
      notes,
    };
  }
  let tokens = all;
  if (all.length > MAX_TOKENS) {
    const more = source.length < text.length ? 'at least ' : '';
    notes.push(
      `The sentence has ${more}${all.length} tokens; the calculator uses the first ${MAX_TOKENS} so every matrix stays readable.`,
    );
    tokens = all.slice(0, MAX_TOKENS);
  }
  if (HTML_LIKE.test(source)) {
    notes.push(
      'This text looks like HTML. It is split into words and shown as plain text; nothing in it runs.',
    );
  }
  if (tokens.some((t) => EMOJI.test(t))) {
    notes.push('Each emoji is a token of its own (joined emoji, such as families or flags, stay one token).');
  }
  if (tokens.some((t) => RTL.test(t))) {
    notes.push(
      'Right-to-left words keep the order you typed them: token 1 is the first word you typed, even where it is drawn on the right.',
    );
  }
  if (tokens.some((t) => [...t].length > MAX_LABEL)) {
    notes.push(`Tokens longer than ${MAX_LABEL} characters are shortened in labels (marked with …).`);
  }
  return { ok: true, tokens, notes };
}

/** A short label for a token: at most MAX_LABEL characters, with … when shortened. */
export function tokenLabel(token: string): string {
  const chars = [...token];
  return chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join('')}…` : token;
}

/** Parse one matrix cell typed by a learner; `what` names it in the message (e.g. "embedding of apples, dimension 2"). */
export function parseCell(text: string, what: string): Parsed<number> {
  const label = what.charAt(0).toUpperCase() + what.slice(1);
  const t = text.trim();
  if (/^[+\-\u2212]?\d+,\d+$/.test(t)) {
    return {
      ok: false,
      message: `${label}: “${shown(t)}” uses a comma; write decimals with a dot, e.g. 0.5.`,
    };
  }
  return parseNumber(text, { label, min: -MAX_ABS, max: MAX_ABS });
}

/** Parse d_k with the special explanation for 0. */
export function parseDk(text: string): Parsed<number> {
  if (text.trim() !== '' && Number(text.trim()) === 0) {
    return {
      ok: false,
      message:
        'd_k = 0 does not work: queries and keys need at least one number to compare, and the scores are divided by √d_k, which would divide by zero. Use 1 or more.',
    };
  }
  return parseNumber(text, { label: 'd_k', min: 1, max: MAX_DIM, integer: true });
}

/** The divisors of n, e.g. 4 → [1, 2, 4]. */
export function divisors(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1).filter((h) => n % h === 0);
}

/** Check that h heads split d_model evenly; returns a message or null. */
export function headsMessage(heads: number, dModel: number): string | null {
  if (dModel % heads === 0) return null;
  const ok = divisors(dModel).filter((h) => h <= MAX_HEADS);
  return `${heads} heads do not divide d_model = ${dModel}: each head takes d_model / h columns, so h must be one of ${ok.join(', ')}.`;
}

/** Check that a variant can run with the configured number of heads; returns a message or null. */
export function variantMessage(variant: Variant, heads: number): string | null {
  const v = VARIANTS.find((x) => x.id === variant);
  if (!v) return 'Choose an attention variant from the list.';
  if (heads > 1 && !v.multiHead) {
    return `${v.label} attention is shown with one head here. Set heads to 1, or choose scaled dot-product or local window.`;
  }
  return null;
}
