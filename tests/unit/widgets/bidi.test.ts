import { describe, expect, it } from 'vitest';
import { isolate, isolatedList } from '../../../components/widgets/shared/bidi';

describe('bidi isolation', () => {
  it.each([
    ['ا', '\u2068ا\u2069'],
    ['abc', '\u2068abc\u2069'],
    ['', '\u2068\u2069'],
  ])('isolates %j', (text, want) => {
    expect(isolate(text)).toBe(want);
  });

  it('isolates every item of a list, keeping the separators outside', () => {
    expect(isolatedList(['ا', 'ب', 'ت'], ' ')).toBe('\u2068ا\u2069 \u2068ب\u2069 \u2068ت\u2069');
    expect(isolatedList(['שלום', 'a'], ', ')).toBe('\u2068שלום\u2069, \u2068a\u2069');
    expect(isolatedList([], ' ')).toBe('');
  });
});
