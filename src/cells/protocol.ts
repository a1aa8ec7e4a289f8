/** Messages between the page, the sandbox iframe and the sandbox worker (all structured-clone data). */
import type { OutputItem } from './format';

/** Page → worker (relayed by the iframe). */
export interface RunRequest {
  type: 'run';
  runId: number;
  code: string;
  /** Exercise id whose hidden checks run on the cell's exports. */
  exercise?: string;
  /** TensorFlow.js (src/cells/tfjs-bundle.ts, built), sent once per worker when a cell imports tfjs. */
  tfSources?: string[];
  /** Output items shown before the rest is cut. */
  maxItems: number;
}

/** Worker → page. */
export type WorkerMessage =
  | { type: 'out'; runId: number; item: OutputItem }
  | { type: 'check'; runId: number; exercise: string; failures: string[]; passed: number }
  | { type: 'done'; runId: number; ok: boolean };

/** Iframe → page, besides relayed worker messages. */
export type FrameMessage = { type: 'loaded' } | { type: 'ready' } | { type: 'crash'; message: string };
