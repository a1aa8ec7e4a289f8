import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  brownFiles,
  buildBrownCorpus,
  detokenize,
  parseBrownDocument,
  sortedChars,
  tokenTag,
  tokenWord,
} from '../../../scripts/prepare-corpus.mjs';

describe('tokenWord(token) / tokenTag(token)', () => {
  test.each([
    ['The/at', 'The', 'at'],
    ['1-1/2/cd', '1-1/2', 'cd'],
    ["''/''", "''", "''"],
    ['Merger/nn-hl', 'Merger', 'nn-hl'],
    ['/', '/', ''],
  ])('%s → %s / %s', (token, word, tag) => {
    expect(tokenWord(token)).toBe(word);
    expect(tokenTag(token)).toBe(tag);
  });
});

describe('detokenize(words)', () => {
  test.each([
    [['Hello', ',', 'world', '.'], 'Hello, world.'],
    [['He', 'said', '``', 'no', "''", '.'], 'He said "no."'],
    [['``', 'Yes', "''", ',', 'she', 'said'], '"Yes," she said'],
    [['a', '(', 'b', ')', 'c', ';', 'd', ':', 'e', '?', '!'], 'a (b) c; d: e?!'],
    [['word', '--', 'another'], 'word--another'],
    [['the', "'", 'Met', "'", 'again'], "the 'Met' again"],
    [['Ivan', 'Allen', 'Jr.', '.'], 'Ivan Allen Jr.'],
    [['40', 'lbs.', "''", '.'], '40 lbs."'],
    [['$', '5', 'and', '4', '%'], '$5 and 4%'],
  ])('%j → %s', (words, expected) => {
    expect(detokenize(words)).toBe(expected);
  });
});

describe('parseBrownDocument(raw)', () => {
  test('paragraphs start at a tab or after a blank line; headlines stand alone; sentences join with spaces', () => {
    const raw = [
      '',
      '\tThe/at jury/nn said/vbd ./.',
      'It/pps agreed/vbd ./.',
      'Merger/nn-hl proposed/vbn-hl ',
      'However/wrb ,/, no/at ./.',
      '',
      'Next/ap paragraph/nn ./.',
      '\tTabbed/vbn one/cd ./.',
    ].join('\n');
    expect(parseBrownDocument(raw)).toBe(
      'The jury said. It agreed.\n\nMerger proposed\n\nHowever, no.\n\nNext paragraph.\n\nTabbed one.',
    );
  });
});

describe('buildBrownCorpus(dir)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'brown-'));
  for (let i = 1; i <= 12; i++) {
    writeFileSync(join(dir, `ca${String(i).padStart(2, '0')}`), `\tDocument/nn ${i}/cd ./.\n`);
  }
  writeFileSync(join(dir, 'README'), 'not a document');

  test('lists only the document files, sorted', () => {
    expect(brownFiles(dir)).toEqual(
      Array.from({ length: 12 }, (_, i) => `ca${String(i + 1).padStart(2, '0')}`),
    );
  });

  test('puts every tenth document (index 9 mod 10) in val and is deterministic', () => {
    const a = buildBrownCorpus(dir);
    expect(a.valText).toBe('Document 10.\n');
    expect(a.trainText.split('\n\n').length).toBe(11);
    expect(a.meta.documents).toEqual({ train: 11, val: 1 });
    expect(a.vocab.chars).toEqual(sortedChars(a.trainText + a.valText));
    expect(a.meta.sha256.val).toMatch(/^[0-9a-f]{64}$/);
    expect(buildBrownCorpus(dir)).toEqual(a);
  });
});

describe('sortedChars(text)', () => {
  test('orders by code point like Python', () => {
    expect(sortedChars('b😀a～')).toEqual(['a', 'b', '～', '😀']);
  });
});
