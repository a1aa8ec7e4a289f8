import { describe, expect, it } from 'vitest';
import {
  findTermRanges,
  isGenuineMatch,
  matchedWords,
  normalizeWord,
  queryTerms,
} from '../../../src/site/search-match';

describe('search matches', () => {
  it.each([
    // Pagefind's fallback: the longest known prefix of an unknown word
    ['xyzzyq', ['x'], false],
    ['xyzzyq', ['x', 'x'], false],
    ['ark', ['ar'], false],
    ['orchid', ['or'], false],
    ['softmax', ['softmax'], true],
    ['Softmax', ['softmax'], true],
    ['soft', ['softmax'], true], // still typing
    ['weights', ['weight'], true], // stemmed
    ['attention weights', ['attention', 'weights'], true],
    ['attention xyzzyq', ['attention', 'x'], false],
    ['   ', ['x'], false],
  ])('%j matched by %j: %s', (query, words, want) => {
    expect(isGenuineMatch(query, words)).toBe(want);
  });

  it('reads the matched words where Pagefind located them', () => {
    const content = 'Softmax turns a whole vector of scores, into probabilities.';
    expect(matchedWords(content, [0, 6, 99])).toEqual(['softmax', 'scores']);
    expect(normalizeWord('“Softmax,”')).toBe('softmax');
    expect(queryTerms('  Attention   weights ')).toEqual(['attention', 'weights']);
  });

  it.each([
    ['Softmax turns scores into weights.', ['softmax'], [[0, 7]]],
    [
      'The weight and the weights, reweighted.',
      ['weights'],
      [
        [4, 10],
        [19, 26],
      ],
    ],
    ['x and xyz', ['xyzzyq'], []],
    ['nothing here', [''], []],
  ])('finds %j words starting with %j', (text, terms, want) => {
    expect(findTermRanges(text, terms)).toEqual(want);
  });
});
