import { describe, expect, it } from 'vitest';
import {
  fmt,
  parseFields,
  parseNumber,
  parseNumberList,
  parseNumberRows,
  rangeText,
} from '../../../components/widgets/shared/parse';

/** Rules the tables below share (a label and the range it must be in). */
const RULE = {
  seed: { label: 'Seed', min: 0, max: 9, integer: true },
  heads: { label: 'Heads', min: 1, max: 8, integer: true },
  lr: { label: 'Learning rate', min: 0, max: 100, minExclusive: true },
  dropout: { label: 'Dropout rate p', min: 0, max: 1, maxExclusive: true },
  topK: { label: 'Top-k', min: 1, max: 4, integer: true, hint: ' 4 keeps every token.' },
};

describe('parseNumber(text, rule)', () => {
  it.each([
    ['0.5', { label: 'p', min: 0, max: 1 }, 0.5],
    [' 3 ', RULE.heads, 3],
    ['−2', { label: 'x', min: -5, max: 5 }, -2],
    ['1e-3', RULE.lr, 0.001],
    ['100', RULE.lr, 100],
    ['.5', { label: 'p' }, 0.5],
  ])('reads %j', (text, rule, value) => {
    expect(parseNumber(text, rule)).toEqual({ ok: true, value });
  });

  it.each([
    ['', RULE.seed, 'Seed must be a whole number from 0 to 9 (it is empty).'],
    ['2.5', RULE.heads, 'Heads must be a whole number from 1 to 8 (got “2.5”).'],
    ['0', RULE.lr, 'Learning rate must be a number above 0 and at most 100 (got “0”).'],
    ['1', RULE.dropout, 'Dropout rate p must be a number from 0 and below 1 (got “1”).'],
    ['abc', { label: 'p', min: 0, max: 1 }, 'p must be a number from 0 to 1 (got “abc”).'],
    ['0x10', { label: 'n', min: 0, max: 100 }, 'n must be a number from 0 to 100 (got “0x10”).'],
    ['Infinity', { label: 'n', min: 0 }, 'n must be a number from 0 (got “Infinity”).'],
    ['9', RULE.topK, 'Top-k must be a whole number from 1 to 4 (got “9”). 4 keeps every token.'],
  ])('rejects %j with one wording', (text, rule, message) => {
    expect(parseNumber(text, rule)).toEqual({ ok: false, message });
  });

  it('quotes typed text as text and shortens it', () => {
    const r = parseNumber(`<b>${'x'.repeat(40)}</b>`, { label: 'n', min: 0, max: 1 });
    expect(!r.ok && r.message).toContain('“<b>xxxxxxxxxxxxxxxxx…”');
  });

  it.each([
    [{ min: 0, max: 1 }, 'from 0 to 1'],
    [{ min: 0, max: 1, minExclusive: true }, 'above 0 and at most 1'],
    [{ min: 0, max: 1, minExclusive: true, maxExclusive: true }, 'above 0 and below 1'],
    [{ max: 5 }, 'at most 5'],
    [{ min: 2 }, 'from 2'],
    [{}, 'of any size'],
  ])('words the range %j as %j', (rule, words) => {
    expect(rangeText(rule)).toBe(words);
  });
});

describe('parseNumberList(text, rule)', () => {
  it.each([
    ['2, 1, 0.1', [2, 1, 0.1]],
    ['  -3   4e2,5 ', [-3, 400, 5]],
    ['1; 2\n3', [1, 2, 3]],
    ['1000,1000', [1000, 1000]],
  ])('parses %j', (text, value) => {
    expect(parseNumberList(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['', {}, 'Enter at least one number, e.g. 2, 1, 0.1.'],
    ['1', { label: 'Logits', minCount: 2 }, 'Logits: enter at least two numbers (got 1).'],
    ['1, two, 3', {}, 'Entry 2 (“two”) is not a finite number.'],
    ['1, Infinity', {}, 'Entry 2 (“Infinity”) is not a finite number.'],
    ['1, NaN', { label: 'Inputs x' }, 'Inputs x: entry 2 (“NaN”) is not a finite number.'],
    ['<b>x</b>', {}, 'Entry 1 (“<b>x</b>”) is not a finite number.'],
    ['1, 200', { maxAbs: 100 }, 'Entry 2 (200) must be between −100 and 100.'],
    ['1 1 1', { maxCount: 2 }, 'Enter at most two numbers (got 3).'],
  ])('rejects %j with a message naming the entry', (text, rule, message) => {
    expect(parseNumberList(text, rule)).toEqual({ ok: false, message });
  });

  it('caps the number of entries and shortens a long bad entry', () => {
    const r = parseNumberList(Array.from({ length: 40 }, () => '1').join(','));
    expect(r).toEqual({ ok: false, message: 'Enter at most 32 numbers (got 40).' });
    const long = parseNumberList(`1, ${'x'.repeat(100)}`);
    expect(!long.ok && long.message).toContain('…');
  });
});

describe('fmt(x, options)', () => {
  it.each([
    [0.5, {}, '0.500'],
    [-0.0001, {}, '0.000'],
    [-1.25, { minusSign: true }, '−1.250'],
    [-1.25, 2, '-1.25'],
    [-Infinity, {}, '−∞'],
    [Infinity, {}, '∞'],
    [NaN, {}, 'NaN'],
    [0.00001234, { digits: 4, scientific: true }, '1.234e-5'],
    [123456, { digits: 4, scientific: true }, '1.235e+5'],
    [0, { digits: 4, scientific: true }, '0.0000'],
    [0.25, { digits: 4, scientific: true }, '0.2500'],
  ])('writes %j with %j as %j', (x, options, text) => {
    expect(fmt(x, options)).toBe(text);
  });
});

describe('parseNumberRows(text, rule)', () => {
  it('reads one row per line', () => {
    expect(parseNumberRows('1, 2\n\n 3 4 \n', { maxRows: 4, example: '1, 2' })).toEqual({
      ok: true,
      value: [
        [1, 2],
        [3, 4],
      ],
    });
  });

  it.each([
    ['', { maxRows: 4, example: '1, 2' }, 'Enter at least one row, one per line, e.g. 1, 2.'],
    [
      '1, 2',
      { minRows: 2, maxRows: 4, example: '1, 2' },
      'Enter at least two rows (got 1), one per line, e.g. 1, 2.',
    ],
    ['1\n2\n3', { maxRows: 2, example: '1' }, 'Enter at most two rows (got 3).'],
    ['1, 2\n1, 2, 3', { maxRows: 4, example: '1' }, 'Row 2: enter exactly two numbers (got 3).'],
    [
      '1, 2, 3\n1, 2',
      { maxRows: 4, columns: 3, example: '1' },
      'Row 2: enter exactly three numbers (got 2).',
    ],
    ['1, 2\n1, NaN', { maxRows: 4, example: '1' }, 'Row 2: entry 2 (“NaN”) is not a finite number.'],
    [
      '1, 2000',
      { maxRows: 4, maxAbs: 1000, example: '1' },
      'Row 1: entry 2 (2000) must be between −1000 and 1000.',
    ],
  ])('rejects %j', (text, rule, message) => {
    expect(parseNumberRows(text, rule)).toEqual({ ok: false, message });
  });
});

describe('parseFields(raw, rules) and per-entry rules', () => {
  const rules = {
    batch: { label: 'Batch size', min: 1, max: 512, integer: true },
    rate: { label: 'Rate', min: 0, max: 1 },
  };
  it('returns every value or the first bad field', () => {
    expect(parseFields({ batch: '4', rate: '0.5' }, rules)).toEqual({
      ok: true,
      value: { batch: 4, rate: 0.5 },
    });
    expect(parseFields({ batch: '0', rate: 'x' }, rules)).toEqual({
      ok: false,
      field: 'batch',
      message: 'Batch size must be a whole number from 1 to 512 (got “0”).',
    });
  });

  it('checks every entry of a list against `each`', () => {
    const each = { min: 1, max: 10000, integer: true };
    expect(parseNumberList('5, 0', { label: 'Lengths', each })).toEqual({
      ok: false,
      message: 'Lengths: entry 2 (0) must be a whole number from 1 to 10000.',
    });
    expect(parseNumberList('5, 7', { each })).toEqual({ ok: true, value: [5, 7] });
  });
});
