import { afterEach, describe, expect, test, vi } from 'vitest';
import { readStoredRecord } from '../../../components/ui/stored-record';

/** Keep entries that hold a numeric `n`. */
const accept = (v: unknown) => {
  const e = v as { n?: unknown } | null;
  return typeof e?.n === 'number' ? { n: e.n } : undefined;
};

function storing(text: string | null | Error) {
  vi.stubGlobal('localStorage', {
    getItem: () => {
      if (text instanceof Error) throw text;
      return text;
    },
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('readStoredRecord', () => {
  test.each([
    ['nothing stored', null, {}],
    ['well-formed entries', '{"a":{"n":1},"b":{"n":2}}', { a: { n: 1 }, b: { n: 2 } }],
    ['malformed entries dropped, good ones kept', '{"a":{"n":"x"},"b":null,"c":{"n":3}}', { c: { n: 3 } }],
    ['damaged JSON', '{"a":', {}],
    ['an array', '[{"n":1}]', {}],
    ['a number', '7', {}],
  ])('%s', (_, stored, expected) => {
    storing(stored);
    expect(readStoredRecord('key', accept)).toEqual(expected);
  });

  test('blocked storage reads as empty', () => {
    storing(new Error('SecurityError'));
    expect(readStoredRecord('key', accept)).toEqual({});
  });
});
