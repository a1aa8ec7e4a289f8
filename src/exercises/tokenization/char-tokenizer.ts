/** Exercise (chapter 1): the notes' character tokenizer with an unknown id, checked against src/lib. */
import { buildCharVocab, encodeChars, decodeChars } from '../../lib/tokenize/char';
import { exported, show, type Exercise } from '../types';

export const charTokenizerExercise: Exercise = {
  id: 'tokenization/char-tokenizer',
  chapter: 'tokenization',
  title: 'A character tokenizer with an unknown token',
  starter: `// vocab: the sorted unique characters of the training text (sorted(set(text)) in the notes).
// encode: each character's index in vocab; a character not in vocab gets vocab.length (the unknown id).
// decode: ids back to text; the unknown id becomes '\\uFFFD'.
export function buildVocab(text: string): string[] {
  return [...new Set(text)].sort();
}

export function encode(text: string, vocab: string[]): number[] {
  // TODO: map unknown characters to vocab.length instead of -1
  return [...text].map((ch) => vocab.indexOf(ch));
}

export function decode(ids: number[], vocab: string[]): string {
  // TODO: the unknown id should decode to '\\uFFFD'
  return ids.map((i) => vocab[i]).join('');
}

const vocab = buildVocab('hello world');
encode('hello there', vocab);
`,
  solution: `export function buildVocab(text: string): string[] {
  return [...new Set(text)].sort();
}

export function encode(text: string, vocab: string[]): number[] {
  const stoi = new Map(vocab.map((ch, i) => [ch, i]));
  return [...text].map((ch) => stoi.get(ch) ?? vocab.length);
}

export function decode(ids: number[], vocab: string[]): string {
  return ids.map((i) => (i < vocab.length ? vocab[i] : '\\uFFFD')).join('');
}

const vocab = buildVocab('hello world');
encode('hello there', vocab);
`,
  check(mod, c, rng) {
    const build = exported<(t: string) => string[]>(mod, 'buildVocab');
    const encode = exported<(t: string, v: string[]) => number[]>(mod, 'encode');
    const decode = exported<(ids: number[], v: string[]) => string>(mod, 'decode');
    const letters = 'abcdefghij ,.!';
    const random = (n: number) =>
      Array.from({ length: n }, () => letters[Math.floor(rng.next() * letters.length)]).join('');
    const cases: [string, string][] = [
      ['hello world', 'hello there'],
      ['abcabc', 'cab!'],
      [random(30), random(12) + 'xyz'],
    ];
    for (const [train, text] of cases) {
      const ref = buildCharVocab(train);
      c.run(`buildVocab(${show(train)})`, () => {
        const v = build(train);
        c.that(
          show(v) === show(ref.chars),
          `buildVocab(${show(train)}) is ${show(v)}, not ${show(ref.chars)}`,
        );
      });
      c.run(`encode(${show(text)})`, () => {
        c.close(
          encode(text, ref.chars),
          encodeChars(ref, text).ids,
          `encode(${show(text)}) with the vocabulary of ${show(train)}`,
          0,
        );
      });
      const ids = encodeChars(ref, text).ids;
      c.run(`decode(${show(ids)})`, () => {
        const got = decode(ids, ref.chars);
        const want = decodeChars(ref, ids);
        c.that(got === want, `decode(${show(ids)}) is ${show(got)}, not ${show(want)}`);
      });
    }
  },
};
