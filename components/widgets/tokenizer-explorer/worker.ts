/// <reference lib="webworker" />
/** The tokenizer explorer's worker: trains and encodes off the main thread, so typing never stalls. */
import { analyse, type ExplorerRequest } from './model';

self.addEventListener('message', (event: MessageEvent<{ id: number; request: ExplorerRequest }>) => {
  const { id, request } = event.data;
  try {
    self.postMessage({ id, analysis: analyse(request) });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
