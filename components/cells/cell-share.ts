/**
 * Share links for cells, on the site's fragment-state module: a cell's edited code goes into the URL
 * fragment as `c.<id>=<encodeStateCompressed(code)>`, next to widgets' entries and heading anchors.
 */
import {
  cellKey,
  decodeStateAsync,
  encodeStateCompressed,
  readFragmentEntry,
  writeFragmentEntry,
} from '../../src/site/fragment-state';

/** Encode code for the fragment (deflate-raw when shorter). */
export function encodeCode(code: string): Promise<string> {
  return encodeStateCompressed(code);
}

/** Decode code from the fragment: the code, or a sentence saying why the link could not be read. */
export async function decodeCode(value: string): Promise<{ code: string } | { error: string }> {
  const r = await decodeStateAsync<unknown>(value);
  if (!r.ok) return { error: r.error };
  return typeof r.value === 'string' ? { code: r.value } : { error: 'the link holds no code for this cell' };
}

/** The raw shared value for a cell in the current URL, if any. */
export function readShared(id: string): string | null {
  return readFragmentEntry(location.hash, cellKey(id));
}

/** Put (or with null remove) a cell's entry in the fragment without a navigation; returns the URL. */
export function writeShared(id: string, value: string | null): string {
  const hash = writeFragmentEntry(location.hash, cellKey(id), value);
  history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
  return location.href;
}
