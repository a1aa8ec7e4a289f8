import { describe, expect, it } from 'vitest';
import { parseNumberList } from '../../../components/widgets/softmax-mini/parse';

describe('parseNumberList(text)', () => {
  it.each([
    ['2, 1, 0.1', [2, 1, 0.1]],
    ['  -3   4e2,5 ', [-3, 400, 5]],
    ['1000,1000', [1000, 1000]],
  ])('parses %j', (text, values) => {
    expect(parseNumberList(text)).toEqual({ ok: true, values });
  });

  it.each([
    ['', /at least one number/],
    ['1, two, 3', /Entry 2 \(“two”\) is not a finite number/],
    ['1, Infinity', /Entry 2/],
    ['1, NaN', /Entry 2/],
    ['<b>x</b>', /Entry 1 \(“<b>x<\/b>”\)/],
  ])('rejects %j with a message naming the entry', (text, message) => {
    const r = parseNumberList(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('caps the number of entries and shortens a long bad entry', () => {
    const r = parseNumberList(Array.from({ length: 40 }, () => '1').join(','));
    expect(r).toEqual({ ok: false, message: 'Enter at most 32 numbers (got 40).' });
    const long = parseNumberList(`1, ${'x'.repeat(100)}`);
    expect(!long.ok && long.message).toContain('…');
  });
});
