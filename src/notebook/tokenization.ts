/** Runnable cells of chapter 1 (tokenization). */

/** The notes' character tokenizer from scratch, beside src/lib's, with an unknown character. */
export const charTokenizer = `import { buildCharVocab, encodeChars, decodeChars } from 'lib';

const text = 'hello world';
// The notes: chars = sorted(list(set(text))); stoi / itos; encode / decode.
const chars = [...new Set(text)].sort();
const stoi = new Map(chars.map((ch, i) => [ch, i]));
const encode = (s: string) => [...s].map((ch) => stoi.get(ch) ?? chars.length); // unknown → last id
const decode = (ids: number[]) => ids.map((i) => chars[i] ?? '\\uFFFD').join('');

console.log('vocabulary', chars, 'size', chars.length);
const ids = encode('hello there');
console.log('ids', ids); // 't' never appeared in the training text: it gets the unknown id
console.log('decoded', decode(ids));

// src/lib does the same and records which characters were unknown:
const vocab = buildCharVocab(text);
const enc = encodeChars(vocab, 'hello there');
console.log('lib ids', enc.ids, 'unknown', enc.unknown);
decodeChars(vocab, enc.ids)
`;
