/**
 * The .safetensors format (https://github.com/huggingface/safetensors): an unsigned 64-bit little-endian
 * header length N, N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}`
 * (padded with spaces), then the raw little-endian tensor bytes, offsets relative to the end of the header.
 * Writes F32; reads F32, F64, F16 and BF16 (converted to float32). Malformed files throw SafetensorsError.
 */
import type { NamedArray } from './engine';

/** Thrown for a file that is not a valid (or supported) safetensors file; the message says what is wrong. */
export class SafetensorsError extends Error {
  /** Create the error with a message a reader can act on. */
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

/** Bytes per element of the dtypes this reader converts. */
const DTYPE_BYTES: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2 };
/** Headers above this size are refused (the reference implementation uses the same 100 MB cap). */
export const MAX_HEADER_BYTES = 100_000_000;

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Serialise float32 tensors (in the given order) and string metadata to safetensors bytes. */
export function encodeSafetensors(
  tensors: Map<string, NamedArray> | Record<string, NamedArray>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new SafetensorsError('a tensor may not be named __metadata__');
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) {
      throw new SafetensorsError(`${name}: shape [${t.shape}] needs ${n} values, got ${t.data.length}`);
    }
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * n] };
    offset += 4 * n;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(json);
    json = withSpaces;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const [, t] of entries) {
    if (littleEndianHost) {
      out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    } else {
      for (let i = 0; i < t.data.length; i++) view.setFloat32(at + 4 * i, t.data[i], true);
    }
    at += t.data.byteLength;
  }
  return out;
}

/** What decodeSafetensors returns: float32 tensors in file order and the string metadata. */
export interface DecodedSafetensors {
  tensors: Map<string, NamedArray>;
  metadata: Record<string, string>;
}

/** float16 bits → number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Convert one tensor's little-endian bytes to float32. */
function toFloat32(bytes: Uint8Array, dtype: string, n: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  if (dtype === 'F32') {
    if (littleEndianHost) return new Float32Array(bytes.slice().buffer);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  } else if (dtype === 'F64') {
    for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
  } else if (dtype === 'F16') {
    for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  } else {
    const word = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < n; i++) {
      word.setUint32(0, view.getUint16(2 * i, true) << 16);
      out[i] = word.getFloat32(0);
    }
  }
  return out;
}

/** Parse safetensors bytes; throws SafetensorsError naming the first problem found. */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (bytes.length < 8) {
    throw new SafetensorsError(
      `not a safetensors file: ${bytes.length} bytes, too short for the 8-byte header length`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    throw new SafetensorsError(
      `not a safetensors file: the header claims ${headerLength} bytes but only ${bytes.length - 8} follow`,
    );
  }
  const n = Number(headerLength);
  if (n > MAX_HEADER_BYTES)
    throw new SafetensorsError(`header of ${n} bytes is larger than the 100 MB limit`);
  if (n < 2) throw new SafetensorsError(`header of ${n} bytes cannot hold a JSON object`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new SafetensorsError(`the header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError('the header must be a JSON object');
  }
  const data = bytes.subarray(8 + n);
  const metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  const tensors = new Map<string, NamedArray>();
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new SafetensorsError('__metadata__ must be an object of strings');
      }
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string')
          throw new SafetensorsError(`__metadata__.${k} must be a string, got ${typeof v}`);
        metadata[k] = v;
      }
      continue;
    }
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof info !== 'object' || info === null)
      throw new SafetensorsError(`${name}: entry must be an object`);
    const { dtype, shape, data_offsets: offsets } = info;
    if (typeof dtype !== 'string') throw new SafetensorsError(`${name}: missing dtype`);
    const size = DTYPE_BYTES[dtype];
    if (!size) {
      throw new SafetensorsError(`${name}: dtype ${dtype} is not supported (use F32, F64, F16 or BF16)`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new SafetensorsError(`${name}: shape must be a list of non-negative integers`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    ) {
      throw new SafetensorsError(`${name}: data_offsets must be [begin, end] with 0 <= begin <= end`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > data.length) {
      throw new SafetensorsError(
        `${name}: data_offsets [${begin}, ${end}] run past the ${data.length} data bytes`,
      );
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * size) {
      throw new SafetensorsError(
        `${name}: shape [${shape}] of ${dtype} needs ${count * size} bytes, data_offsets span ${end - begin}`,
      );
    }
    spans.push([begin, end, name]);
    tensors.set(name, {
      shape: [...(shape as number[])],
      data: toFloat32(data.subarray(begin, end), dtype, count),
    });
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cursor = 0;
  for (const [begin, end, name] of spans) {
    if (begin < cursor) throw new SafetensorsError(`${name}: its bytes overlap the previous tensor's`);
    if (begin > cursor) throw new SafetensorsError(`${name}: a gap of ${begin - cursor} bytes precedes it`);
    cursor = end;
  }
  if (cursor !== data.length) {
    throw new SafetensorsError(
      `${data.length - cursor} bytes after the last tensor are not part of any tensor`,
    );
  }
  return { tensors, metadata };
}
