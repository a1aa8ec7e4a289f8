/**
 * Share links: a cell's edited code goes into the URL fragment as `c.<id>=<deflate-raw, base64url>`,
 * next to any other `key=value` entries the page keeps there.
 */
import { fragmentCellKey } from './cell-keys';

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** Compress code for the fragment. */
export async function encodeCode(code: string): Promise<string> {
  return toBase64Url(await pipe(new TextEncoder().encode(code), new CompressionStream('deflate-raw')));
}

/** Decompress code from the fragment; throws on a damaged value. */
export async function decodeCode(value: string): Promise<string> {
  return new TextDecoder('utf-8', { fatal: true }).decode(
    await pipe(fromBase64Url(value), new DecompressionStream('deflate-raw')),
  );
}

function entries(hash: string): [string, string][] {
  return hash
    .replace(/^#/, '')
    .split('&')
    .filter((p) => p.includes('='))
    .map((p) => {
      const i = p.indexOf('=');
      return [decodeURIComponent(p.slice(0, i)), decodeURIComponent(p.slice(i + 1))];
    });
}

/** The shared code for a cell in the current URL, if any. */
export function readShared(id: string): string | null {
  const hit = entries(location.hash).find(([k]) => k === fragmentCellKey(id));
  return hit ? hit[1] : null;
}

/** Put (or with null remove) a cell's entry in the fragment without a navigation; returns the URL. */
export function writeShared(id: string, value: string | null): string {
  const key = fragmentCellKey(id);
  const rest = entries(location.hash).filter(([k]) => k !== key);
  if (value !== null) rest.push([key, value]);
  const hash = rest.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const next = `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`;
  history.replaceState(history.state, '', next);
  return location.href;
}
