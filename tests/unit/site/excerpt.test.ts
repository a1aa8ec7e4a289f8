import { describe, expect, it } from 'vitest';
import { excerptLines } from '../../../src/site/excerpt';

const code = ['a', 'b', 'export function f() {', '  return 1;', '}', 'z', ''].join('\n');

describe('excerptLines', () => {
  it.each([
    ['a line range', { lines: [2, 3] as const }, 'b\nexport function f() {', 2, 3],
    [
      'an anchor and a count',
      { from: 'function f', count: 3 },
      'export function f() {\n  return 1;\n}',
      3,
      5,
    ],
    ['a count past the end, clipped', { from: '}', count: 10 }, '}\nz', 5, 6],
    ['indented lines, dedented', { lines: [4, 4] as const }, 'return 1;', 4, 4],
  ])('picks %s', (_name, spec, text, first, last) => {
    expect(excerptLines(code, spec)).toEqual({ text, first, last, total: 6 });
  });
  it.each([
    ['a missing anchor', { from: 'nope' }, /no line contains "nope"/],
    ['a range past the end', { lines: [5, 9] as const }, /lines 5–9 are outside 1–6/],
    ['no selection', {}, /needs `lines` or `from`/],
  ])('throws a clear message for %s', (_name, spec, message) => {
    expect(() => excerptLines(code, spec, 'x.ts')).toThrow(message);
  });
});
