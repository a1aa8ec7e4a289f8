/// <reference lib="webworker" />
/** Posting to the page from the training worker, shared by the worker's modules. */
import type { FromWorker } from '../protocol';

declare const self: DedicatedWorkerGlobalScope;

/** Send one typed message to the page (transferables move, the worker loses them). */
export function post(msg: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

/** A line in the cell's log. */
export function log(text: string, level: 'info' | 'warn' | 'error' = 'info'): void {
  post({ type: 'log', text, level });
}

/** An error's message, or the thrown value as text. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
