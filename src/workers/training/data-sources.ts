/**
 * Where the worker's training text comes from: the bundled corpus (train.txt, val.txt, vocab.json from our
 * origin) or a learner's file, scanned in one streamed pass and then read in random Blob.slice chunks.
 */
import {
  blobSource,
  scanSource,
  SCAN_SAMPLE_BYTES,
  UNKNOWN_CHAR,
  validateScan,
  vocabFromChars,
  type ByteSource,
  type GPTConfig,
  type TextScan,
  type Vocab,
} from '../../model';
import type { DataSpec } from '../protocol';
import { log, post } from './post';

/** The two splits as blobs and the vocabulary to encode them with. */
export interface LoadedData {
  trainBlob: Blob;
  valBlob: Blob;
  vocab: Vocab;
}

/** Counts the bytes read from a learner's file in one run (the scan's sample, then one slice per batch). */
export class ReadCounter {
  bytes = 0;

  /** A byte source over a blob that adds every read to `bytes`. */
  source(blob: Blob): ByteSource {
    const inner = blobSource(blob);
    return {
      size: inner.size,
      read: async (start, length) => {
        const bytes = await inner.read(start, length);
        this.bytes += bytes.length;
        return bytes;
      },
    };
  }
}

/** The bundled corpus under `url`. */
async function corpusSource(url: string): Promise<LoadedData> {
  const base = url.replace(/\/?$/, '/');
  const fetchOk = async (name: string): Promise<Response> => {
    const res = await fetch(base + name);
    if (!res.ok) throw new Error(`could not load ${name} (HTTP ${res.status})`);
    return res;
  };
  const [trainRes, valRes, vocabRes] = await Promise.all(['train.txt', 'val.txt', 'vocab.json'].map(fetchOk));
  const { chars } = (await vocabRes.json()) as { chars: string[] };
  return { trainBlob: await trainRes.blob(), valBlob: await valRes.blob(), vocab: vocabFromChars(chars) };
}

/**
 * A user's file: a streamed scan (whole up to SCAN_SAMPLE_BYTES, else evenly spaced slices) builds the
 * vocabulary and checks the text; batches then come from random Blob.slice chunks (the first 90 % for
 * training, the rest for validation). The file is never read whole, and `counter` counts what was.
 */
async function fileSource(file: File, cfg: GPTConfig, counter: ReadCounter): Promise<LoadedData | null> {
  const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
  log(
    file.size > SCAN_SAMPLE_BYTES
      ? `Scanning ${file.name} (${mb(file.size)} MB) for its characters in ${mb(SCAN_SAMPLE_BYTES)} MB of ` +
          `evenly spaced slices, not whole; a character missing from them trains as the unknown ${UNKNOWN_CHAR}…`
      : `Scanning ${file.name} (${mb(file.size)} MB) for its characters…`,
  );
  let last = 0;
  const scan: TextScan = await scanSource(counter.source(file), {
    onProgress: (read, total) => {
      const t = performance.now();
      if (t - last > 200 || read === total) {
        last = t;
        post({ type: 'scan-progress', read, total });
      }
    },
  });
  const cut = Math.floor(file.size * 0.9);
  const issues = validateScan(scan, cfg);
  // Each split must hold one batch of windows too.
  const need = cfg.blockSize + 1;
  if (issues.every((i) => i.severity !== 'error') && file.size - cut < need) {
    issues.push({
      code: 'too-short',
      severity: 'error',
      message: `The validation part (last 10 %) is ${file.size - cut} bytes; it needs at least ${need}.`,
    });
  }
  post({ type: 'data-issues', issues });
  post({ type: 'data-read', bytes: counter.bytes, total: file.size });
  if (issues.some((i) => i.severity === 'error')) return null;
  return {
    trainBlob: file.slice(0, cut),
    valBlob: file.slice(cut),
    vocab: vocabFromChars(scan.counts.keys()),
  };
}

/** Load the data a train message names; null when a learner's file has blocking issues (already posted). */
export function loadData(spec: DataSpec, cfg: GPTConfig, counter: ReadCounter): Promise<LoadedData | null> {
  return spec.kind === 'corpus' ? corpusSource(spec.url) : fileSource(spec.file, cfg, counter);
}
