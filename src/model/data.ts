/**
 * Text → token ids → batches, the notes' way: a character vocabulary sorted by code point (Python's
 * sorted(set(text))), encode/decode, random (x, y) batches from a seeded RNG, and the notes'
 * get_random_chunk over a byte source that can be a multi-gigabyte file (Blob.slice) or a string in tests.
 */
import { createRng, type Rng } from '../lib/rng';
import type { GPTConfig } from './config';
import type { Batch } from './engine';

/** What the reserved unknown id decodes to. */
export const UNKNOWN_CHAR = '\uFFFD';

/** A character vocabulary: ids 0..chars.length-1 are the sorted characters, then an optional unknown id. */
export interface Vocab {
  /** The characters (code points) in Python's sorted(set(text)) order. */
  chars: string[];
  /** Id that every character outside `chars` maps to (chars.length), or null when none is reserved. */
  unknownId: number | null;
  /** Number of ids: chars.length, plus one when an unknown id is reserved (this is the model's vocabSize). */
  size: number;
  /** Character → id. */
  index: Map<string, number>;
}

/** Order two strings by code point, like Python (JS's default sort compares UTF-16 code units instead). */
export function compareCodePoints(a: string, b: string): number {
  const x = a.codePointAt(0) ?? -1;
  const y = b.codePointAt(0) ?? -1;
  return x - y;
}

/** A vocabulary from its characters (for example vocab.json); they are de-duplicated and sorted by code point. */
export function vocabFromChars(chars: Iterable<string>, { reserveUnknown = true } = {}): Vocab {
  const sorted = [...new Set(chars)].sort(compareCodePoints);
  for (const c of sorted) {
    if ([...c].length !== 1)
      throw new RangeError(`vocabulary entries must be single characters, got ${JSON.stringify(c)}`);
  }
  const index = new Map(sorted.map((c, i) => [c, i]));
  const unknownId = reserveUnknown ? sorted.length : null;
  return { chars: sorted, unknownId, size: sorted.length + (reserveUnknown ? 1 : 0), index };
}

/** The vocabulary of a text: every distinct code point, sorted, plus a reserved unknown id by default. */
export function buildVocab(text: string, opts: { reserveUnknown?: boolean } = {}): Vocab {
  return vocabFromChars(text, opts);
}

/** Ids of a text and how many characters were outside the vocabulary. */
export interface Encoded {
  ids: Int32Array;
  /** Characters mapped to the unknown id. */
  unknownCount: number;
  /** Each unknown character and how often it occurred. */
  unknownChars: Map<string, number>;
}

/** Encode by code point; characters outside the vocabulary map to its unknown id (throws if none is reserved). */
export function encode(text: string, vocab: Vocab): Encoded {
  const ids = new Int32Array(text.length); // upper bound: one id per UTF-16 unit
  const unknownChars = new Map<string, number>();
  let n = 0;
  let unknownCount = 0;
  for (const ch of text) {
    let id = vocab.index.get(ch);
    if (id === undefined) {
      if (vocab.unknownId === null) {
        throw new RangeError(`encode: character ${JSON.stringify(ch)} is not in the vocabulary`);
      }
      id = vocab.unknownId;
      unknownCount++;
      unknownChars.set(ch, (unknownChars.get(ch) ?? 0) + 1);
    }
    ids[n++] = id;
  }
  return { ids: ids.slice(0, n), unknownCount, unknownChars };
}

/** Decode ids back to text; the unknown id becomes U+FFFD; ids outside the vocabulary throw. */
export function decode(ids: ArrayLike<number>, vocab: Vocab): string {
  let out = '';
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === vocab.unknownId) out += UNKNOWN_CHAR;
    else if (id >= 0 && id < vocab.chars.length) out += vocab.chars[id];
    else throw new RangeError(`decode: id ${id} is outside the vocabulary (size ${vocab.size})`);
  }
  return out;
}

// ------------------------------------------------------------------------------------------ sources

/** Random access to bytes: a File/Blob in the browser, a Uint8Array in tests. */
export interface ByteSource {
  /** Total length in bytes. */
  readonly size: number;
  /** Up to `length` bytes starting at `start` (fewer at the end). */
  read(start: number, length: number): Promise<Uint8Array>;
}

/** Random access to text, chunk by chunk: `readChunk` returns clean text (see textSource). */
export interface TextSource {
  /** Total length in bytes. */
  readonly size: number;
  /** Decode bytes [start, start + length): partial UTF-8 sequences at the edges dropped, '\r' removed. */
  readChunk(start: number, length: number): Promise<string>;
}

/** The part of Blob that a byte source needs (structural, so this module has no DOM dependency). */
export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** A byte source over bytes in memory. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: async (start, length) => bytes.subarray(start, Math.min(bytes.length, start + length)),
  };
}

/** A byte source over a File or Blob (reads only the requested slice). */
export function blobSource(blob: BlobLike): ByteSource {
  return {
    size: blob.size,
    read: async (start, length) => new Uint8Array(await blob.slice(start, start + length).arrayBuffer()),
  };
}

/** Bytes of a string as UTF-8. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text);
}

/** Drop a partial UTF-8 sequence at either edge of a slice (continuation bytes first, a cut-off lead last). */
export function trimPartialUtf8(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length && start < 3 && (bytes[start] & 0xc0) === 0x80) start++;
  let end = bytes.length;
  for (let i = end - 1; i >= Math.max(start, end - 4); i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue; // continuation: keep looking for the lead byte
    const need = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (i + need > end) end = i; // the sequence runs past the slice: drop it
    break;
  }
  return bytes.subarray(start, end);
}

/** Text access over bytes: UTF-8 decoding with partial sequences at the edges dropped and '\r' stripped. */
export function textSource(bytes: ByteSource): TextSource {
  const decoder = new TextDecoder('utf-8');
  return {
    size: bytes.size,
    readChunk: async (start, length) =>
      decoder.decode(trimPartialUtf8(await bytes.read(start, length))).replace(/\r/g, ''),
  };
}

/** A text source over a string (encoded to UTF-8 so it behaves exactly like a file). */
export function stringSource(text: string): TextSource {
  return textSource(bytesSource(utf8(text)));
}

// ------------------------------------------------------------------------------------------ batches

/**
 * B random windows of T+1 ids from an encoded array, like the notes' get_batch: offsets uniform in
 * [0, len − T), x = data[i : i+T], y = data[i+1 : i+T+1].
 */
export function sampleBatch(data: Int32Array, blockSize: number, batchSize: number, rng: Rng): Batch {
  if (data.length < blockSize + 1) {
    throw new RangeError(
      `sampleBatch: need at least block_size + 1 = ${blockSize + 1} ids, got ${data.length}`,
    );
  }
  const x = new Int32Array(batchSize * blockSize);
  const y = new Int32Array(batchSize * blockSize);
  for (let b = 0; b < batchSize; b++) {
    const i = rng.int(data.length - blockSize);
    x.set(data.subarray(i, i + blockSize), b * blockSize);
    y.set(data.subarray(i + 1, i + blockSize + 1), b * blockSize);
  }
  return { x, y, batchSize, blockSize };
}

/**
 * The notes' get_random_chunk: a random window of block_size × batch_size bytes (at least enough bytes for
 * block_size + 1 four-byte characters), decoded and encoded. Start offsets are uniform in [0, size − length].
 */
export async function getRandomChunk(
  source: TextSource,
  vocab: Vocab,
  blockSize: number,
  batchSize: number,
  rng: Rng,
): Promise<Int32Array> {
  const length = Math.min(source.size, Math.max(blockSize * batchSize, 4 * (blockSize + 1) + 8));
  const start = rng.int(source.size - length + 1);
  const { ids } = encode(await source.readChunk(start, length), vocab);
  if (ids.length < blockSize + 1) {
    throw new RangeError(
      `getRandomChunk: a ${length}-byte window at ${start} holds only ${ids.length} characters; ` +
        `block_size + 1 = ${blockSize + 1} are needed (is the file mostly '\\r' or multi-byte text?)`,
    );
  }
  return ids;
}

/** Which split a batch comes from. */
export type Split = 'train' | 'val';

/** Where the training loop gets its batches; `rng` is exposed so checkpoints can save and restore it. */
export interface BatchSource {
  getBatch(split: Split): Promise<Batch>;
  readonly rng: Rng;
}

/** A BatchSource that samples B windows from the ids `idsOf` gives for the split (held or read per batch). */
function windowBatches(
  cfg: Pick<GPTConfig, 'blockSize' | 'batchSize'>,
  rng: Rng,
  idsOf: (split: Split) => Int32Array | Promise<Int32Array>,
): BatchSource {
  return {
    rng,
    getBatch: async (split) => sampleBatch(await idsOf(split), cfg.blockSize, cfg.batchSize, rng),
  };
}

/** Batches from encoded arrays held in memory (small corpora, tests). */
export function memoryBatches(
  train: Int32Array,
  val: Int32Array,
  cfg: Pick<GPTConfig, 'blockSize' | 'batchSize' | 'seed'>,
  rng: Rng = createRng(cfg.seed),
): BatchSource {
  return windowBatches(cfg, rng, (split) => (split === 'train' ? train : val));
}

/** Batches the notes' way: each batch reads one random chunk of the split's file, then picks B windows in it. */
export function chunkedBatches(
  train: TextSource,
  val: TextSource,
  vocab: Vocab,
  cfg: Pick<GPTConfig, 'blockSize' | 'batchSize' | 'seed'>,
  rng: Rng = createRng(cfg.seed),
): BatchSource {
  return windowBatches(cfg, rng, (split) =>
    getRandomChunk(split === 'train' ? train : val, vocab, cfg.blockSize, cfg.batchSize, rng),
  );
}

/** Split encoded text into the first `trainFraction` (train) and the rest (val), as the notes' 90/10. */
export function splitTrainVal(ids: Int32Array, trainFraction = 0.9): { train: Int32Array; val: Int32Array } {
  if (!(trainFraction > 0 && trainFraction < 1)) {
    throw new RangeError(`splitTrainVal: trainFraction must be in (0, 1), got ${trainFraction}`);
  }
  const n = Math.floor(ids.length * trainFraction);
  return { train: ids.subarray(0, n), val: ids.subarray(n) };
}

// ------------------------------------------------------------------------------- scanning, validation

/** Statistics of a whole text (or of an evenly spaced sample of a large one), gathered chunk by chunk. */
export interface TextScan {
  /** Bytes read. */
  bytes: number;
  /** Characters (code points) after removing '\r'. */
  chars: number;
  /** How often each character occurs ('\r' excluded). */
  counts: Map<string, number>;
  /** NUL bytes: text files have none, binary files many. */
  nulBytes: number;
  /** NUL bytes at even and at odd file offsets: UTF-16 text without a byte-order mark has them on one side. */
  nulParity: [even: number, odd: number];
  /** U+FFFD characters: what invalid UTF-8 decodes to. */
  replacementChars: number;
  /** The file starts with a UTF-16 byte-order mark. */
  utf16Bom: boolean;
  /** Only a sample of the file was read (see scanSource); counts cover the sample. */
  sampled: boolean;
}

/** Accumulates a TextScan over sequential chunks; UTF-8 sequences split across chunks are handled. */
export class VocabBuilder {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly scan: TextScan = {
    bytes: 0,
    chars: 0,
    counts: new Map(),
    nulBytes: 0,
    nulParity: [0, 0],
    replacementChars: 0,
    utf16Bom: false,
    sampled: false,
  };

  /** Feed the next chunk of bytes, in order (`offset`: where it starts in the file, for the NUL parity). */
  addBytes(bytes: Uint8Array, offset = this.scan.bytes): void {
    if (offset === 0 && bytes.length >= 2) {
      this.scan.utf16Bom =
        (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    }
    this.scan.bytes += bytes.length;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) {
        this.scan.nulBytes++;
        this.scan.nulParity[(offset + i) & 1]++;
      }
    }
    this.addText(this.decoder.decode(bytes, { stream: true }));
  }

  /** Feed a slice that does not continue the previous one (a sample at `offset`): partial UTF-8 edges are dropped. */
  addSlice(bytes: Uint8Array, offset: number): void {
    this.addText(this.decoder.decode()); // flush what the previous chunk left
    const trimmed = trimPartialUtf8(bytes);
    this.addBytes(trimmed, offset + (trimmed.byteOffset - bytes.byteOffset));
    this.addText(this.decoder.decode());
    this.scan.sampled = true;
  }

  /** Feed already-decoded text ('\r' is skipped, as the notes strip it). */
  addText(text: string): void {
    const counts = this.scan.counts;
    for (const ch of text) {
      if (ch === '\r') continue;
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
      this.scan.chars++;
      if (ch === UNKNOWN_CHAR) this.scan.replacementChars++;
    }
  }

  /** Flush the decoder and return the statistics so far. */
  result(): TextScan {
    this.addText(this.decoder.decode());
    return { ...this.scan, counts: new Map(this.scan.counts), nulParity: [...this.scan.nulParity] };
  }

  /** The vocabulary of everything fed so far. */
  build(opts: { reserveUnknown?: boolean } = {}): Vocab {
    return vocabFromChars(this.result().counts.keys(), opts);
  }
}

/**
 * Files up to this size are scanned whole; larger ones from SCAN_SAMPLE_BYTES of evenly spaced 1 MiB
 * slices (the first at byte 0, the last at the end). A character that none of the slices holds is not
 * in the vocabulary: it trains and decodes as the unknown token (U+FFFD). 32 slices of a real text find
 * every character that matters; reading a 1 GB file whole would take a minute just to count characters.
 */
export const SCAN_SAMPLE_BYTES = 32 * 2 ** 20;

/**
 * Scan a byte source for its characters and problems, chunk by chunk (a large file never sits in memory):
 * whole when it is at most `maxBytes` (default SCAN_SAMPLE_BYTES), else from evenly spaced slices.
 */
export async function scanSource(
  source: ByteSource,
  opts: {
    chunkBytes?: number;
    maxBytes?: number;
    onProgress?: (bytesRead: number, total: number) => void;
  } = {},
): Promise<TextScan> {
  const chunk = opts.chunkBytes ?? 1 << 20;
  const maxBytes = opts.maxBytes ?? SCAN_SAMPLE_BYTES;
  const builder = new VocabBuilder();
  if (source.size <= maxBytes) {
    for (let start = 0; start < source.size; start += chunk) {
      builder.addBytes(await source.read(start, chunk));
      opts.onProgress?.(Math.min(source.size, start + chunk), source.size);
    }
    return builder.result();
  }
  const slices = Math.max(2, Math.ceil(maxBytes / chunk));
  for (let i = 0; i < slices; i++) {
    const start = Math.floor((i * (source.size - chunk)) / (slices - 1));
    builder.addSlice(await source.read(start, chunk), start);
    opts.onProgress?.((i + 1) * chunk, slices * chunk);
  }
  return builder.result();
}

/** Scan a string as if it were a UTF-8 file. */
export function scanText(text: string): TextScan {
  const builder = new VocabBuilder();
  builder.addBytes(utf8(text));
  return builder.result();
}

/** A problem with a training text; errors block training, warnings are shown. */
export interface DataIssue {
  code: 'empty' | 'too-short' | 'binary' | 'utf16' | 'invalid-utf8' | 'large-vocab';
  severity: 'error' | 'warning';
  message: string;
}

/** Above this share of U+FFFD characters the text is treated as not UTF-8. */
export const MAX_REPLACEMENT_RATIO = 0.01;
/** A character vocabulary larger than this is allowed but slow (the embedding is a one-hot matmul). */
export const LARGE_VOCAB = 1000;

/**
 * UTF-16 without a byte-order mark: at least 30 % of the bytes are NUL and nearly all of them (95 %) sit at
 * one parity of file offset, as the high bytes of Latin text in UTF-16 do. Binary files scatter their NULs.
 */
export function looksUtf16(scan: Pick<TextScan, 'bytes' | 'nulBytes' | 'nulParity'>): boolean {
  const [even, odd] = scan.nulParity;
  return scan.nulBytes >= 0.3 * scan.bytes && Math.max(even, odd) >= 0.95 * scan.nulBytes;
}

/** Check a scanned text against a configuration: empty, shorter than one batch, binary, not UTF-8, huge vocabulary. */
export function validateScan(scan: TextScan, cfg: Pick<GPTConfig, 'blockSize' | 'batchSize'>): DataIssue[] {
  const issues: DataIssue[] = [];
  if (scan.bytes === 0 || scan.chars === 0) {
    issues.push({
      code: 'empty',
      severity: 'error',
      message: 'The text is empty: there is nothing to train on.',
    });
    return issues;
  }
  if (scan.utf16Bom || looksUtf16(scan)) {
    issues.push({
      code: 'utf16',
      severity: 'error',
      message:
        `The file is saved as UTF-16 (${scan.utf16Bom ? 'it starts with a UTF-16 byte-order mark' : 'every other byte is NUL'}), ` +
        'but the cell reads UTF-8. Convert it and choose it again: in a text editor use "Save as… → Encoding: UTF-8", ' +
        'or run iconv -f UTF-16 -t UTF-8 in.txt > out.txt.',
    });
    return issues;
  }
  if (scan.nulBytes > 0) {
    issues.push({
      code: 'binary',
      severity: 'error',
      message:
        `This looks like a binary file, not text: it contains ${scan.nulBytes} NUL byte(s). ` +
        'Choose a plain-text file saved as UTF-8.',
    });
    return issues;
  }
  const ratio = scan.replacementChars / scan.chars;
  if (ratio > MAX_REPLACEMENT_RATIO) {
    issues.push({
      code: 'invalid-utf8',
      severity: 'error',
      message:
        `${(ratio * 100).toFixed(1)}% of the characters are not valid UTF-8. ` +
        'Save the file as UTF-8 (for example with "Save as… → Encoding: UTF-8") and choose it again.',
    });
  }
  const need = cfg.blockSize * cfg.batchSize + 1;
  if (scan.chars < need) {
    issues.push({
      code: 'too-short',
      severity: 'error',
      message:
        `The text has ${scan.chars} ${scan.chars === 1 ? 'character' : 'characters'}, but one batch needs block_size × batch_size + 1 = ${need}. ` +
        'Use a longer text, or lower the block size or batch size.',
    });
  }
  if (scan.counts.size > LARGE_VOCAB) {
    issues.push({
      code: 'large-vocab',
      severity: 'warning',
      message:
        `The text uses ${scan.counts.size} distinct characters; training slows down with a vocabulary this large ` +
        '(each one is a row of the embedding and of the output layer).',
    });
  }
  return issues;
}

/** Validate an in-memory text against a configuration (see validateScan). */
export function validateText(text: string, cfg: Pick<GPTConfig, 'blockSize' | 'batchSize'>): DataIssue[] {
  return validateScan(scanText(text), cfg);
}
