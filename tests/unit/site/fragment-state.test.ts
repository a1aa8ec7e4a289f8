import { describe, expect, it } from 'vitest';
import {
  cellKey,
  decodeState,
  decodeStateAsync,
  encodeState,
  encodeStateCompressed,
  fragmentAnchor,
  hasFragmentState,
  readFragmentEntry,
  widgetKey,
  writeFragmentEntry,
} from '../../../src/site/fragment-state';

describe('readFragmentEntry', () => {
  it.each([
    ['', 'w.a', null],
    ['#', 'w.a', null],
    ['#w.a=1', 'w.a', '1'],
    ['w.a=1', 'w.a', '1'],
    ['#w.a=1&w.b=2', 'w.b', '2'],
    ['#intro', 'intro', null], // a plain heading anchor is never state
    ['#intro&w.a=x', 'w.a', 'x'],
    ['#w.a=', 'w.a', ''],
    ['#w.a=a%26b%3Dc', 'w.a', 'a&b=c'],
    ['#w.a=one+two', 'w.a', 'one two'],
    ['#w.a=%E0%A4', 'w.a', '%E0%A4'], // a malformed escape is kept, not thrown
    ['#c.cell-1=v', 'c.cell-1', 'v'],
  ])('%j[%s] → %j', (hash, key, expected) => {
    expect(readFragmentEntry(hash, key)).toBe(expected);
  });
});

describe('writeFragmentEntry', () => {
  it.each([
    ['', 'w.a', '1', '#w.a=1'],
    ['#w.a=1', 'w.a', '2', '#w.a=2'],
    ['#w.a=1&w.b=2', 'w.a', '3', '#w.a=3&w.b=2'], // keeps the others, in order
    ['#w.a=1&w.b=2', 'w.c', '3', '#w.a=1&w.b=2&w.c=3'],
    ['#w.a=1&w.b=2', 'w.a', null, '#w.b=2'],
    ['#w.a=1', 'w.a', null, ''],
    ['', 'w.a', null, ''],
    ['#intro', 'w.a', '1', '#intro&w.a=1'], // the heading anchor is left alone
    ['#intro&w.a=1', 'w.a', null, '#intro'],
    ['#w.a=1', 'w.a', 'a&b=c #d', '#w.a=a%26b%3Dc%20%23d'],
  ])('%j with %s=%j → %j', (hash, key, value, expected) => {
    expect(writeFragmentEntry(hash, key, value)).toBe(expected);
  });

  it('round-trips any text value through read', () => {
    for (const value of ['', 'plain', 'a&b=c', '100% + 1', 'héllo 👩‍💻', '#hash']) {
      const hash = writeFragmentEntry('#intro&c.x=1', 'w.k', value);
      expect(readFragmentEntry(hash, 'w.k')).toBe(value);
      expect(readFragmentEntry(hash, 'c.x')).toBe('1');
      expect(fragmentAnchor(hash)).toBe('intro');
    }
  });
});

describe('keys and anchors', () => {
  it('names widget and cell keys', () => {
    expect(widgetKey('attention-1')).toBe('w.attention-1');
    expect(cellKey('c3')).toBe('c.c3');
  });
  it.each([
    ['', false, null],
    ['#intro', false, 'intro'],
    ['#intro&w.a=1', true, 'intro'],
    ['#w.a=1', true, null],
  ])('%j: state %s, anchor %j', (hash, state, anchor) => {
    expect(hasFragmentState(hash)).toBe(state);
    expect(fragmentAnchor(hash)).toBe(anchor);
  });
});

describe('encodeState / decodeState', () => {
  it.each([
    [{ temperature: 0.7, k: 5, text: 'héllo 👩‍💻', on: true }],
    [[1, 2.5, -3e-6]],
    ['just text'],
    [null],
    [{}],
  ])('round-trips %j', (value) => {
    const text = encodeState(value);
    expect(text).toMatch(/^1\.[A-Za-z0-9_-]*$/); // URL-safe, no padding
    expect(decodeState(text)).toEqual({ ok: true, value });
  });

  it('rejects a value without a JSON form', () => {
    expect(() => encodeState(undefined)).toThrow(/JSON/);
  });

  it.each([
    [null, 'empty'],
    ['', 'empty'],
    ['0.eyJhIjoxfQ', 'outdated'],
    ['9.eyJhIjoxfQ', 'unsupported'],
    ['garbage', 'malformed'],
    ['1.***', 'malformed'],
    ['1.e', 'malformed'], // impossible base64 length
    ['1.eyJhIjox', 'malformed'], // truncated JSON
    ['1.__8', 'malformed'], // not UTF-8
    ['1z.AAAA', 'unsupported'], // compressed needs the async decoder
  ])('%j → %s, with a message, without throwing', (text, kind) => {
    const result = decodeState(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.kind).toBe(kind);
      expect(result.error.length).toBeGreaterThan(5);
    }
  });
});

describe('encodeStateCompressed / decodeStateAsync', () => {
  it('compresses a long value and reads it back', async () => {
    const code = 'for (let i = 0; i < 10; i++) console.log(i);\n'.repeat(40);
    const packed = await encodeStateCompressed({ code });
    expect(packed.startsWith('1z.')).toBe(true);
    expect(packed.length).toBeLessThan(encodeState({ code }).length / 4);
    expect(await decodeStateAsync(packed)).toEqual({ ok: true, value: { code } });
  });

  it('keeps a short value plain when deflate would not shrink it', async () => {
    const packed = await encodeStateCompressed({ k: 1 });
    expect(packed).toBe(encodeState({ k: 1 }));
    expect(await decodeStateAsync(packed)).toEqual({ ok: true, value: { k: 1 } });
  });

  it.each([
    ['1z.AAAA', 'malformed'],
    ['1z.!!', 'malformed'],
    ['0.abc', 'outdated'],
  ])('%j → %s without rejecting', async (text, kind) => {
    const result = await decodeStateAsync(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.kind).toBe(kind);
  });
});
