/**
 * State a learner can share, kept in the URL fragment. Pure: it reads and returns strings, so it runs in
 * Node's unit tests and in the page alike (the caller passes `location.hash` in and writes the result back).
 *
 * Fragment syntax: `#key=value&key=value` (URLSearchParams style after `#`). Widget keys are
 * `w.<widget-id>`, notebook-cell keys `c.<cell-id>`. A token without `=` is a plain heading anchor: it is
 * never read as state, and writing keeps it in front so `#intro` + a widget's state reads `#intro&w.x=…`.
 *
 * Values are compact: JSON → UTF-8 → base64url behind a format tag (`1.` plain, `1z.` deflate-raw), so a
 * link made by an outdated format is detected instead of misread.
 */

/** The current format tag of an uncompressed value. */
export const FORMAT_PLAIN = '1.';
/** The current format tag of a deflate-raw compressed value. */
export const FORMAT_DEFLATE = '1z.';

/** The fragment key of the widget with page-unique id `id`. */
export function widgetKey(id: string): string {
  return `w.${id}`;
}

/** The fragment key of the notebook cell with page-unique id `id`. */
export function cellKey(id: string): string {
  return `c.${id}`;
}

/** One `&`-separated token of a fragment: a key/value entry, or a bare anchor (value null). */
interface Token {
  key: string;
  value: string | null;
}

/** Decode a URLSearchParams-style component ('+' is a space); a malformed escape is kept as written. */
function decodeComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Encode a key or value so '&', '=', '#', '%', '+' and spaces survive the round trip. */
function encodeComponent(text: string): string {
  return encodeURIComponent(text);
}

/** Split a fragment (with or without its leading '#') into tokens, in order. */
function tokens(hash: string): Token[] {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (body === '') return [];
  return body
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return { key: part, value: null };
      return { key: decodeComponent(part.slice(0, eq)), value: decodeComponent(part.slice(eq + 1)) };
    });
}

/** Whether `hash` holds any key=value entry (otherwise it is empty or a plain heading anchor). */
export function hasFragmentState(hash: string): boolean {
  return tokens(hash).some((t) => t.value !== null);
}

/** The heading anchor kept in `hash` (its first bare token), or null when there is none. */
export function fragmentAnchor(hash: string): string | null {
  const bare = tokens(hash).find((t) => t.value === null);
  return bare ? bare.key : null;
}

/** The value stored under `key` in `hash`, or null when absent (a bare anchor is never a value). */
export function readFragmentEntry(hash: string, key: string): string | null {
  const found = tokens(hash).find((t) => t.value !== null && t.key === key);
  return found ? found.value : null;
}

/**
 * A new fragment (with '#', or '' when nothing is left) with `key` set to `value`, or removed when `value`
 * is null. Every other entry and any anchor stay as they were, in their order; a new key goes last.
 */
export function writeFragmentEntry(hash: string, key: string, value: string | null): string {
  const list = tokens(hash);
  const at = list.findIndex((t) => t.value !== null && t.key === key);
  if (value === null) {
    if (at >= 0) list.splice(at, 1);
  } else if (at >= 0) {
    list[at] = { key, value };
  } else {
    list.push({ key, value });
  }
  const parts = list.map((t) =>
    // A bare anchor is written back exactly as it came (it is an element id, not an encoded key).
    t.value === null ? t.key : `${encodeComponent(t.key)}=${encodeComponent(t.value)}`,
  );
  return parts.length ? `#${parts.join('&')}` : '';
}

/** Bytes → base64url without padding. */
function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padding optional) → bytes, or null when `text` is not base64url. */
function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  try {
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Why a value could not be decoded. */
export type DecodeErrorKind = 'empty' | 'outdated' | 'malformed' | 'unsupported';

/** The outcome of decoding a fragment value: the state, or a kind and a sentence a learner can read. */
export type DecodeResult<T = unknown> =
  { ok: true; value: T } | { ok: false; kind: DecodeErrorKind; error: string };

/** A failed DecodeResult. */
function failure(kind: DecodeErrorKind, error: string): { ok: false; kind: DecodeErrorKind; error: string } {
  return { ok: false, kind, error };
}

/** Encode a JSON-serialisable value as `1.<base64url(UTF-8 JSON)>` (synchronous, no compression). */
export function encodeState(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('encodeState: the value has no JSON form');
  return FORMAT_PLAIN + toBase64Url(new TextEncoder().encode(json));
}

/** Parse UTF-8 JSON bytes into a DecodeResult. */
function parseJsonBytes(bytes: Uint8Array): DecodeResult {
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return failure('malformed', 'The link’s saved state is not valid text.');
  }
  try {
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch {
    return failure('malformed', 'The link’s saved state is damaged (not valid JSON).');
  }
}

/** Classify a value whose format tag is not one this version reads. */
function unknownFormat(text: string): DecodeResult {
  const tag = /^(\d+)z?\./.exec(text);
  if (!tag) return failure('malformed', 'The link’s saved state is not in a format this page reads.');
  const version = Number(tag[1]);
  return version < 1
    ? failure('outdated', 'The link was made by an older version of this page.')
    : failure('unsupported', 'The link was made by a newer version of this page.');
}

/**
 * Decode a value made by encodeState, synchronously; never throws. A deflated (`1z.`) value needs
 * decodeStateAsync and is reported as 'unsupported' here.
 */
export function decodeState<T = unknown>(text: string | null | undefined): DecodeResult<T> {
  if (!text) return failure('empty', 'No saved state.');
  if (text.startsWith(FORMAT_DEFLATE)) {
    return failure('unsupported', 'This saved state is compressed; read it with decodeStateAsync.');
  }
  if (!text.startsWith(FORMAT_PLAIN)) return unknownFormat(text) as DecodeResult<T>;
  const bytes = fromBase64Url(text.slice(FORMAT_PLAIN.length));
  if (!bytes) return failure('malformed', 'The link’s saved state is damaged (not base64url).');
  return parseJsonBytes(bytes) as DecodeResult<T>;
}

/** Whether this runtime has CompressionStream/DecompressionStream with deflate-raw. */
export function canCompress(): boolean {
  return typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';
}

/** Pipe `bytes` through a (de)compression transform and collect the output. */
async function transform(bytes: Uint8Array, stream: GenericTransformStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(stream as TransformStream<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/**
 * Encode like encodeState, but deflate-raw compressed (`1z.`) when CompressionStream exists and that is
 * shorter; otherwise the plain form. For long values such as a notebook cell's code.
 */
export async function encodeStateCompressed(value: unknown): Promise<string> {
  const plain = encodeState(value);
  if (!canCompress()) return plain;
  const json = new TextEncoder().encode(JSON.stringify(value));
  const packed = FORMAT_DEFLATE + toBase64Url(await transform(json, new CompressionStream('deflate-raw')));
  return packed.length < plain.length ? packed : plain;
}

/** Decode any value made by encodeState or encodeStateCompressed; never throws or rejects. */
export async function decodeStateAsync<T = unknown>(
  text: string | null | undefined,
): Promise<DecodeResult<T>> {
  if (!text?.startsWith(FORMAT_DEFLATE)) return decodeState<T>(text);
  if (!canCompress()) return failure('unsupported', 'This browser cannot read compressed saved state.');
  const bytes = fromBase64Url(text.slice(FORMAT_DEFLATE.length));
  if (!bytes) return failure('malformed', 'The link’s saved state is damaged (not base64url).');
  try {
    return parseJsonBytes(await transform(bytes, new DecompressionStream('deflate-raw'))) as DecodeResult<T>;
  } catch {
    return failure('malformed', 'The link’s saved state is damaged (cannot be decompressed).');
  }
}
