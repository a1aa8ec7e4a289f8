import { describe, expect, test } from 'vitest';
import { createRng } from '../../../src/lib/rng';
import {
  blobSource,
  buildVocab,
  bytesSource,
  chunkedBatches,
  compareCodePoints,
  decode,
  encode,
  getRandomChunk,
  memoryBatches,
  sampleBatch,
  looksUtf16,
  scanSource,
  type ByteSource,
  scanText,
  splitTrainVal,
  stringSource,
  textSource,
  trimPartialUtf8,
  utf8,
  validateScan,
  validateText,
  vocabFromChars,
  VocabBuilder,
  type DataIssue,
} from '../../../src/model/data';

/** Text as UTF-16 bytes without a byte-order mark (what some editors save). */
function utf16(text: string, order: 'le' | 'be'): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    out[2 * i + (order === 'le' ? 0 : 1)] = u & 0xff;
    out[2 * i + (order === 'le' ? 1 : 0)] = u >> 8;
  }
  return out;
}

describe('buildVocab(text)', () => {
  test('sorts characters by code point like Python’s sorted(set(text)), not by UTF-16 unit', () => {
    // U+FF5E (a BMP character) sorts before U+1F600 by code point but after it by UTF-16 unit (0xD83D).
    const v = buildVocab('b😀a～\n');
    expect(v.chars).toEqual(['\n', 'a', 'b', '～', '😀']);
    expect([...'😀～'].sort()).toEqual(['😀', '～']); // what a plain JS sort would do
    expect(compareCodePoints('～', '😀')).toBeLessThan(0);
  });

  test('reserves an unknown id after the characters (so the notes’ ids are unchanged)', () => {
    const v = buildVocab('hello');
    expect(v.chars).toEqual(['e', 'h', 'l', 'o']);
    expect(v.unknownId).toBe(4);
    expect(v.size).toBe(5);
    expect(buildVocab('hello', { reserveUnknown: false }).size).toBe(4);
  });

  test('vocabFromChars rejects multi-character entries', () => {
    expect(() => vocabFromChars(['ab'])).toThrow(/single characters/);
  });
});

describe('encode(text, vocab) / decode(ids, vocab)', () => {
  const v = buildVocab('abc ');

  test('round-trips known text', () => {
    const { ids, unknownCount } = encode('a cab', v);
    expect(Array.from(ids)).toEqual([1, 0, 3, 1, 2]);
    expect(unknownCount).toBe(0);
    expect(decode(ids, v)).toBe('a cab');
  });

  test('maps unknown characters (astral ones count once) to the reserved id and counts them', () => {
    const { ids, unknownCount, unknownChars } = encode('ab😀xx', v);
    expect(Array.from(ids)).toEqual([1, 2, 4, 4, 4]);
    expect(unknownCount).toBe(3);
    expect(unknownChars).toEqual(
      new Map([
        ['😀', 1],
        ['x', 2],
      ]),
    );
    expect(decode(ids, v)).toBe('ab\uFFFD\uFFFD\uFFFD');
  });

  test('throws on unknown characters when no id is reserved, and on ids out of range', () => {
    expect(() => encode('z', buildVocab('a', { reserveUnknown: false }))).toThrow(/not in the vocabulary/);
    expect(() => decode([9], v)).toThrow(/outside the vocabulary/);
  });
});

describe('trimPartialUtf8(bytes)', () => {
  const e = utf8('aé€😀b'); // a, é (2 bytes), € (3), 😀 (4), b
  test.each([
    ['a whole string', 0, e.length, 'aé€😀b'],
    ['a cut inside é at the start', 2, e.length, '€😀b'],
    ['a cut inside 😀 at the end', 0, 8, 'aé€'],
    ['cuts inside € and 😀', 4, 9, ''],
    ['a cut right after a complete 😀', 0, 10, 'aé€😀'],
  ])('%s', (_label, start, end, expected) => {
    expect(new TextDecoder().decode(trimPartialUtf8(e.subarray(start, end)))).toBe(expected);
  });
});

describe('TextSource', () => {
  test('readChunk drops partial sequences at the edges and strips \\r', async () => {
    const src = stringSource('ab\r\né€x');
    expect(await src.readChunk(0, src.size)).toBe('ab\né€x');
    expect(await src.readChunk(5, 5)).toBe('€x'); // starts inside é
  });

  test('blobSource reads only the requested slice of a Blob', async () => {
    const src = textSource(blobSource(new Blob([utf8('hello world')])));
    expect(src.size).toBe(11);
    expect(await src.readChunk(6, 5)).toBe('world');
  });
});

describe('batches', () => {
  const data = Int32Array.from({ length: 50 }, (_, i) => i);

  test('sampleBatch(data, T, B, rng): y is x shifted by one, windows inside the data', () => {
    const b = sampleBatch(data, 5, 4, createRng(1));
    expect(b.x.length).toBe(20);
    for (let r = 0; r < 4; r++) {
      const x = Array.from(b.x.subarray(r * 5, r * 5 + 5));
      const y = Array.from(b.y.subarray(r * 5, r * 5 + 5));
      expect(y).toEqual(x.map((t) => t + 1));
      expect(x[0]).toBeLessThan(45);
    }
  });

  test('sampleBatch is reproducible from the RNG state and needs T + 1 ids', () => {
    const rng = createRng(3);
    const state = rng.state;
    const a = sampleBatch(data, 5, 4, rng);
    rng.state = state;
    expect(sampleBatch(data, 5, 4, rng)).toEqual(a);
    expect(() => sampleBatch(data.subarray(0, 5), 5, 1, rng)).toThrow(/block_size \+ 1 = 6/);
  });

  test('memoryBatches draws from the right split', async () => {
    const src = memoryBatches(
      data,
      Int32Array.from({ length: 10 }, () => 99),
      { blockSize: 4, batchSize: 2, seed: 1 },
    );
    expect((await src.getBatch('val')).x.every((t) => t === 99)).toBe(true);
    expect((await src.getBatch('train')).x.every((t) => t < 50)).toBe(true);
  });

  test('getRandomChunk reads one window of ≥ T·B bytes and chunkedBatches samples inside it', async () => {
    const text = 'abcdefghij'.repeat(100);
    const v = buildVocab(text);
    const src = stringSource(text);
    const chunk = await getRandomChunk(src, v, 8, 4, createRng(2));
    expect(chunk.length).toBe(44); // max(8·4, 4·(8 + 1) + 8) bytes of ASCII
    const batches = chunkedBatches(src, src, v, { blockSize: 8, batchSize: 4, seed: 2 });
    const b = await batches.getBatch('train');
    expect(decode(b.x.subarray(0, 8), v)).toMatch(/^[a-j]{8}$/);
    expect(b.y[0]).toBe((b.x[0] + 1) % 10);
  });

  test('getRandomChunk explains when a window decodes to too few characters', async () => {
    const src = stringSource('\r'.repeat(200));
    await expect(getRandomChunk(src, buildVocab('a'), 8, 4, createRng(1))).rejects.toThrow(
      /block_size \+ 1 = 9/,
    );
  });

  test('splitTrainVal keeps the first 90 % for training', () => {
    const { train, val } = splitTrainVal(data);
    expect([train.length, val.length]).toEqual([45, 5]);
    expect(val[0]).toBe(45);
    expect(() => splitTrainVal(data, 1)).toThrow(/\(0, 1\)/);
  });
});

describe('VocabBuilder / scanSource', () => {
  test('streamed chunks that split UTF-8 sequences give the same counts as the whole text', async () => {
    const text = 'héllo 😀 wörld\r\n'.repeat(50);
    const streamed = await scanSource(bytesSource(utf8(text)), { chunkBytes: 7 });
    const whole = scanText(text);
    expect(streamed.counts).toEqual(whole.counts);
    expect(streamed.chars).toBe([...text.replace(/\r/g, '')].length);
    expect(streamed.replacementChars).toBe(0);
  });

  test('build() gives the sorted vocabulary and reports progress', async () => {
    const b = new VocabBuilder();
    b.addBytes(utf8('cab'));
    expect(b.build().chars).toEqual(['a', 'b', 'c']);
    const progress: number[] = [];
    await scanSource(bytesSource(utf8('x'.repeat(10))), {
      chunkBytes: 4,
      onProgress: (n) => progress.push(n),
    });
    expect(progress).toEqual([4, 8, 10]);
  });
});

describe('scanSource on a file larger than maxBytes', () => {
  /** A byte source that records every read, to prove what was (not) read. */
  function counted(bytes: Uint8Array): { source: ByteSource; reads: [number, number][] } {
    const inner = bytesSource(bytes);
    const reads: [number, number][] = [];
    return {
      reads,
      source: {
        size: inner.size,
        read: async (start, length) => {
          const out = await inner.read(start, length);
          reads.push([start, out.length]);
          return out;
        },
      },
    };
  }

  // 100,000 bytes: 'é' (2 bytes) everywhere, '€' (3 bytes) at the start, '😀' (4 bytes) at the end and one 'Z'
  // at byte 30,500, between two of the ten evenly spaced 1,000-byte slices (at multiples of 11,000).
  const body = 'é'.repeat(50_000).split('');
  body[15_250] = 'Z';
  body.splice(15_251, 1); // keep 100,000 bytes: 'Z' is one byte, 'é' two, so drop one more 'é'
  const text = `€${body.join('').slice(2)}😀`;

  test('reads maxBytes in evenly spaced slices from the first byte to the last', async () => {
    const bytes = utf8(text);
    const { source, reads } = counted(bytes);
    const progress: [number, number][] = [];
    const scan = await scanSource(source, {
      chunkBytes: 1000,
      maxBytes: 10_000,
      onProgress: (read, total) => progress.push([read, total]),
    });
    expect(reads.length).toBe(10);
    expect(reads.reduce((n, [, len]) => n + len, 0)).toBe(10_000);
    expect(reads[0][0]).toBe(0);
    expect(reads.at(-1)![0] + reads.at(-1)![1]).toBe(bytes.length);
    expect(progress.at(-1)).toEqual([10_000, 10_000]);
    expect(scan.sampled).toBe(true);
    expect(scan.bytes).toBeLessThanOrEqual(10_000);
    // Slices cut UTF-8 sequences: their edges are dropped, never decoded as U+FFFD.
    expect(scan.replacementChars).toBe(0);
    expect([...scan.counts.keys()].sort()).toEqual(['é', '€', '😀'].sort());
  });

  test('a character outside the sample trains as the unknown token', async () => {
    const scan = await scanSource(bytesSource(utf8(text)), { chunkBytes: 1000, maxBytes: 10_000 });
    const vocab = buildVocab([...scan.counts.keys()].join(''));
    const { ids, unknownCount } = encode('éZé', vocab);
    expect(unknownCount).toBe(1);
    expect(decode(ids, vocab)).toBe('é\uFFFDé');
  });

  test('a file of at most maxBytes is read whole', async () => {
    const { source, reads } = counted(utf8(text));
    const scan = await scanSource(source, { chunkBytes: 30_000, maxBytes: 100_000 });
    expect(scan.sampled).toBe(false);
    expect(reads.map(([start]) => start)).toEqual([0, 30_000, 60_000, 90_000]);
    expect(scan.counts.get('Z')).toBe(1);
  });
});

describe('validateText / validateScan', () => {
  const cfg = { blockSize: 4, batchSize: 2 }; // one batch needs 9 characters
  const codes = (issues: DataIssue[]): string[] => issues.map((i) => `${i.severity}:${i.code}`);

  test.each<[string, string | Uint8Array, string[]]>([
    ['a usable text', 'abcdefghij', []],
    ['an empty text', '', ['error:empty']],
    ['a text shorter than one batch', 'abcdefgh', ['error:too-short']],
    ['exactly block_size × batch_size + 1 characters', 'abcdefghi', []],
    [
      'a binary file (NUL bytes)',
      Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0x14, 0, 0, 0, 8]),
      ['error:binary'],
    ],
    ['a UTF-16 file', Uint8Array.from([0xff, 0xfe, 0x61, 0, 0x62, 0]), ['error:utf16']],
    ['UTF-16LE without a byte-order mark', utf16('hello world, this is text', 'le'), ['error:utf16']],
    ['UTF-16BE without a byte-order mark', utf16('hello world, this is text', 'be'), ['error:utf16']],
    [
      'NULs at both parities (binary)',
      Uint8Array.from({ length: 64 }, (_, i) => (i % 3 ? 0 : 65)),
      ['error:binary'],
    ],
    [
      'Latin-1 bytes (not UTF-8)',
      Uint8Array.from('caf\xe9 na\xefve r\xe9sum\xe9', (c) => c.charCodeAt(0)),
      ['error:invalid-utf8'],
    ],
    [
      '3000 distinct characters',
      Array.from({ length: 3000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join(''),
      ['warning:large-vocab'],
    ],
  ])('%s → %j', async (_label, input, expected) => {
    const issues =
      typeof input === 'string'
        ? validateText(input, cfg)
        : validateScan(await scanSource(bytesSource(input)), cfg);
    expect(codes(issues)).toEqual(expected);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(20);
  });

  test('the UTF-16 message says how to convert the file', async () => {
    const [issue] = validateScan(await scanSource(bytesSource(utf16('some text here', 'le'))), cfg);
    expect(issue.message).toMatch(
      /UTF-16.*every other byte is NUL.*Encoding: UTF-8.*iconv -f UTF-16 -t UTF-8/,
    );
    const bom = Uint8Array.from([0xff, 0xfe, ...utf16('some text', 'le')]);
    expect(validateScan(await scanSource(bytesSource(bom)), cfg)[0].message).toMatch(/byte-order mark/);
  });

  test.each<[string, [number, number], number, boolean]>([
    ['ASCII in UTF-16LE', [0, 50], 100, true],
    ['ASCII in UTF-16BE', [50, 0], 100, true],
    ['a few NULs', [1, 0], 100, false],
    ['NULs on both sides', [20, 20], 100, false],
  ])('looksUtf16: %s', (_label, nulParity, bytes, expected) => {
    expect(looksUtf16({ bytes, nulBytes: nulParity[0] + nulParity[1], nulParity })).toBe(expected);
  });

  test('the too-short message gives the numbers', () => {
    expect(validateText('abc', cfg)[0].message).toMatch(/3 characters.*block_size × batch_size \+ 1 = 9/);
    expect(validateText('a', cfg)[0].message).toMatch(/^The text has 1 character, but/);
  });
});
