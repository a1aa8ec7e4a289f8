/**
 * The tokenizer explorer's line to its worker: one analysis at a time (a newer request stops the worker
 * rather than queueing behind it), only the latest answer delivered, and the work done on this thread
 * when no worker can start (an old browser, a blocked script).
 */
import type { Analysis, ExplorerRequest } from './model';

/** What the worker posts back for request `id`. */
type Reply = { id: number; analysis?: Analysis; error?: string };

/** Sends analyses to the worker and hands the latest request's answer (or error) to the element. */
export class AnalysisClient {
  private worker: Worker | null = null;
  private busy = false;
  private inline = false;
  private seq = 0;
  private last: ExplorerRequest | null = null;

  constructor(
    private readonly onAnalysis: (analysis: Analysis) => void,
    private readonly onError: (message: string) => void,
  ) {}

  /** Analyse `request`; an answer to an older request is dropped. */
  send(request: ExplorerRequest): void {
    this.last = request;
    const id = ++this.seq;
    if (this.inline) {
      void import('./model').then(({ analyse }) => this.deliver({ id, analysis: analyse(request) }));
      return;
    }
    if (this.busy && this.worker) {
      // The worker is still on an older text: stop it rather than queue behind it.
      this.worker.terminate();
      this.worker = null;
    }
    if (!this.worker) this.worker = this.createWorker();
    if (!this.worker) {
      this.inline = true;
      this.send(request);
      return;
    }
    this.busy = true;
    this.worker.postMessage({ id, request });
  }

  /** Stop the worker (the element left the page). */
  stop(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private deliver(reply: Reply): void {
    if (reply.id !== this.seq) return; // stale
    if (reply.error !== undefined) this.onError(reply.error);
    else if (reply.analysis) this.onAnalysis(reply.analysis);
  }

  private createWorker(): Worker | null {
    try {
      const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
      worker.addEventListener('message', (e: MessageEvent<Reply>) => {
        this.busy = false;
        this.deliver(e.data);
      });
      worker.addEventListener('error', (e) => {
        // A worker that cannot start: do the work on this thread from now on.
        e.preventDefault();
        this.busy = false;
        this.stop();
        this.inline = true;
        if (this.last) this.send(this.last);
      });
      return worker;
    } catch {
      return null;
    }
  }
}
