import { describe, expect, it } from 'vitest';
import {
  buildCharVocab,
  buildWordVocab,
  compareCodePoints,
  decodeBpe,
  decodeChars,
  decodeWords,
  encodeBpe,
  encodeChars,
  encodeWords,
  splitUnits,
  tokenizeWords,
  trainBpe,
  UNK_TOKEN,
  WORD_UNK,
} from '../../../src/lib/index';
import { loadGolden } from '../helpers/golden';

const golden = loadGolden('tokenize');

interface CharCase {
  text: string;
  probe: string;
  chars: string[];
  ids: number[];
  unknown: { position: number; text: string }[];
}

describe('character tokenizer (the notes: sorted(list(set(text))))', () => {
  it.each(golden.char as CharCase[])('vocab and ids match Python for $text', (c) => {
    const vocab = buildCharVocab(c.text);
    expect(vocab.chars).toEqual(c.chars);
    expect(vocab.unkId).toBe(c.chars.length);
    expect(vocab.size).toBe(c.chars.length + 1);
    const enc = encodeChars(vocab, c.probe);
    expect(enc.ids).toEqual(c.ids);
    expect(enc.unknown.map(({ position, text }) => ({ position, text }))).toEqual(c.unknown);
    // Round trip of the training text itself is lossless.
    expect(decodeChars(vocab, encodeChars(vocab, c.text).ids)).toBe(c.text);
  });

  it('sorts astral characters after U+FFFF like Python, unlike a JS string sort', () => {
    const vocab = buildCharVocab('\uFF21😀');
    expect(vocab.chars).toEqual(['\uFF21', '😀']);
    expect(['\uFF21', '😀'].sort()).toEqual(['😀', '\uFF21']); // what JS would have done
    expect(compareCodePoints('a😀', 'a\uFF21')).toBeGreaterThan(0);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
  });

  it('maps unknown characters to the visible unknown token and reports position and UTF-16 offset', () => {
    const vocab = buildCharVocab('abc');
    const enc = encodeChars(vocab, 'a😀z');
    expect(enc.units).toEqual(['a', '😀', 'z']);
    expect(enc.ids).toEqual([0, 3, 3]);
    expect(enc.unknown).toEqual([
      { position: 1, offset: 1, text: '😀' },
      { position: 2, offset: 3, text: 'z' },
    ]);
    expect(decodeChars(vocab, enc.ids)).toBe(`a${UNK_TOKEN}${UNK_TOKEN}`);
    expect(decodeChars(buildCharVocab('ab', { unkToken: '⟨unk⟩' }), [0, 2])).toBe('a⟨unk⟩');
  });

  it('offers grapheme segmentation: combining marks, ZWJ emoji, flags and CRLF stay whole', () => {
    const text = 'e\u0301👩\u200d💻🇫🇷\r\n';
    expect(splitUnits(text).map((u) => u.text)).toEqual([
      'e',
      '\u0301',
      '👩',
      '\u200d',
      '💻',
      '🇫',
      '🇷',
      '\r',
      '\n',
    ]);
    expect(splitUnits(text, 'grapheme').map((u) => u.text)).toEqual(['e\u0301', '👩\u200d💻', '🇫🇷', '\r\n']);
    const vocab = buildCharVocab(text, { segmentation: 'grapheme' });
    expect(vocab.chars).toEqual(['\r\n', 'e\u0301', '🇫🇷', '👩\u200d💻']); // by code points: U+1F1EB < U+1F469
    expect(encodeChars(vocab, '🇫🇷e\u0301').ids).toEqual([2, 1]);
  });

  it.each([
    [
      'non-string text',
      () => buildCharVocab(3 as unknown as string),
      /buildCharVocab: text must be a string/,
    ],
    ['empty unk token', () => buildCharVocab('a', { unkToken: '' }), /unkToken must be a non-empty string/],
    [
      'id out of range',
      () => decodeChars(buildCharVocab('ab'), [0, 3]),
      /decodeChars: ids\[1\] must be an integer in \[0, 2\], got 3/,
    ],
    ['non-integer id', () => decodeChars(buildCharVocab('ab'), [0.5]), /ids\[0\] must be an integer/],
    [
      'bad segmentation',
      () => splitUnits('a', 'word' as 'grapheme'),
      /segmentation must be 'codepoint' or 'grapheme'/,
    ],
    [
      'encode non-string',
      () => encodeChars(buildCharVocab('a'), null as unknown as string),
      /encodeChars: text must be a string/,
    ],
  ])('rejects %s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});

describe('word tokenizer', () => {
  it.each([
    ['Hello, world!', ['Hello', ',', 'world', '!']],
    ["don't stop", ['don', "'", 't', 'stop']],
    ['café naïve', ['café', 'naïve']],
    ['cafe\u0301 ok', ['cafe\u0301', 'ok']],
    ['I ❤️ 👩\u200d💻 code', ['I', '❤️', '👩\u200d💻', 'code']],
    ['line one\r\nline_two\t3.14', ['line', 'one', 'line_two', '3', '.', '14']],
    ['日本語 テキスト', ['日本語', 'テキスト']],
    ['   ', []],
  ])('%j', (text, want) => {
    expect(tokenizeWords(text).map((t) => t.text)).toEqual(want);
  });

  it('keeps UTF-16 offsets into the source', () => {
    const text = '😀 ab, c';
    const toks = tokenizeWords(text);
    expect(toks.map((t) => text.slice(t.start, t.end))).toEqual(['😀', 'ab', ',', 'c']);
  });

  it('builds a vocabulary by frequency (ties in code point order) with ⟨unk⟩ at id 0', () => {
    const tokens = tokenizeWords('the cat the dog the cat a', { lowercase: true }).map((t) => t.text);
    const vocab = buildWordVocab(tokens);
    expect(vocab.itos).toEqual([WORD_UNK, 'the', 'cat', 'a', 'dog']);
    expect(buildWordVocab(tokens, { minCount: 2 }).itos).toEqual([WORD_UNK, 'the', 'cat']);
    expect(buildWordVocab(tokens, { maxSize: 2 }).itos).toEqual([WORD_UNK, 'the']);
    const enc = encodeWords(vocab, 'The bird', { lowercase: true });
    expect(enc.ids).toEqual([1, 0]);
    expect(enc.unknown).toEqual([{ position: 1, offset: 4, text: 'bird' }]);
    expect(decodeWords(vocab, [1, 2, 0])).toBe(`the cat ${WORD_UNK}`);
    expect(decodeWords(vocab, [1, 2], '|')).toBe('the|cat');
  });

  it.each([
    ['non-string', () => tokenizeWords(1 as unknown as string), /tokenizeWords: text must be a string/],
    ['tokens not array', () => buildWordVocab('a' as unknown as string[]), /tokens must be an array/],
    ['minCount 0', () => buildWordVocab(['a'], { minCount: 0 }), /minCount must be an integer >= 1, got 0/],
    ['bad token', () => buildWordVocab(['a', 2 as unknown as string]), /tokens\[1\] must be a string/],
    [
      'decode range',
      () => decodeWords(buildWordVocab(['a']), [2]),
      /decodeWords: ids\[0\] must be an integer in \[0, 1\]/,
    ],
  ])('rejects %s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});

interface BpeCase {
  text: string;
  numMerges: number;
  probe: string;
  base: string[];
  merges: {
    rank: number;
    pair: [number, number];
    token: string;
    count: number;
    id: number;
    lengthAfter: number;
  }[];
  ids: number[];
  tokens: string[];
  steps: number;
}

describe('byte-pair encoding', () => {
  it.each(golden.bpe as BpeCase[])(
    'training on $text and encoding $probe match the Python reference',
    (c) => {
      const model = trainBpe(c.text, c.numMerges);
      expect(model.base).toEqual(c.base);
      expect(
        model.merges.map(({ rank, pair, token, count, id, lengthAfter }) => ({
          rank,
          pair,
          token,
          count,
          id,
          lengthAfter,
        })),
      ).toEqual(c.merges);
      const enc = encodeBpe(model, c.probe);
      expect(enc.ids).toEqual(c.ids);
      expect(enc.tokens).toEqual(c.tokens);
      expect(enc.steps).toHaveLength(c.steps);
    },
  );

  it('records each merge for replay, and encoding steps show the tokens after each merge', () => {
    const model = trainBpe('aaabdaaabac', 3);
    expect(model.merges.map((m) => m.parts)).toEqual([
      ['a', 'a'],
      ['aa', 'a'],
      ['aaa', 'b'],
    ]);
    expect(model.unkId).toBe(4);
    expect(model.vocab).toEqual(['a', 'b', 'c', 'd', UNK_TOKEN, 'aa', 'aaa', 'aaab']);
    const enc = encodeBpe(model, 'aaab');
    expect(enc.initialIds).toEqual([0, 0, 0, 1]);
    expect(enc.steps.map((s) => s.tokens)).toEqual([['aa', 'a', 'b'], ['aaa', 'b'], ['aaab']]);
    expect(decodeBpe(model, enc.ids)).toBe('aaab');
  });

  it('never merges across an unknown character and reports it', () => {
    const model = trainBpe('abab', 1);
    const enc = encodeBpe(model, 'a?b');
    expect(enc.tokens).toEqual(['a', UNK_TOKEN, 'b']);
    expect(enc.unknown).toEqual([{ position: 1, offset: 1, text: '?' }]);
  });

  it('stops when no pair repeats (minCount) and supports grapheme units', () => {
    expect(trainBpe('abcd', 5).merges).toEqual([]);
    expect(trainBpe('abcd', 1, { minCount: 1 }).merges[0].token).toBe('ab');
    const model = trainBpe('👩\u200d💻👩\u200d💻👩\u200d💻', 1, { segmentation: 'grapheme' });
    expect(model.base).toEqual(['👩\u200d💻']);
    expect(model.merges[0]).toMatchObject({ token: '👩\u200d💻👩\u200d💻', count: 2, lengthAfter: 2 });
    // In code points the ZWJ sequence is three units, which BPE can learn to glue back together.
    const cp = trainBpe('👩\u200d💻 👩\u200d💻', 2);
    expect(cp.merges.map((m) => m.token)).toEqual(['👩\u200d', '👩\u200d💻']);
  });

  it.each([
    ['negative merges', () => trainBpe('ab', -1), /trainBpe: numMerges must be an integer >= 0, got -1/],
    ['minCount 0', () => trainBpe('ab', 1, { minCount: 0 }), /minCount must be an integer >= 1/],
    ['non-string', () => trainBpe(5 as unknown as string, 1), /trainBpe: text must be a string/],
    [
      'encode non-string',
      () => encodeBpe(trainBpe('ab', 0), 5 as unknown as string),
      /encodeBpe: text must be a string/,
    ],
    [
      'decode range',
      () => decodeBpe(trainBpe('ab', 0), [3]),
      /decodeBpe: ids\[0\] must be an integer in \[0, 2\], got 3/,
    ],
    [
      'decode non-array',
      () => decodeBpe(trainBpe('ab', 0), 'x' as unknown as number[]),
      /decodeBpe: ids must be an array/,
    ],
  ])('rejects %s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});
