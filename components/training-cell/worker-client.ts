/**
 * The training cell's side of the worker: start it on first use, send messages, await a reply (test and
 * bench hooks), and replace it after a crash or a lost GPU device, at most MAX_RECOVERIES times per run.
 */
import type { FromWorker, ToWorker } from '../../src/workers/protocol';

/** Automatic restarts from the last checkpoint before the cell asks the learner to press Resume. */
export const MAX_RECOVERIES = 3;

/** What the client tells its owner. */
export interface WorkerClientEvents {
  /** Every message from the worker. */
  onMessage(m: FromWorker): void;
  /** The worker died (an uncaught error in it); the client has already thrown it away. */
  onCrash(reason: string): void;
  /** A new worker was started (the cell shows that a backend is being chosen). */
  onStart(): void;
}

/** One training worker at a time, created lazily. */
export class WorkerClient {
  private worker: Worker | null = null;
  private recoveries = 0;

  constructor(
    private readonly create: () => Worker,
    private readonly events: WorkerClientEvents,
  ) {}

  /** The running worker, started (and sent 'init') if there is none. */
  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = this.create();
    w.onmessage = (e: MessageEvent<FromWorker>) => this.events.onMessage(e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.discard();
      this.events.onCrash(`The training worker crashed (${e.message || 'unknown error'}).`);
    };
    this.worker = w;
    this.events.onStart();
    w.postMessage({ type: 'init' } satisfies ToWorker);
    return w;
  }

  /** True while a worker exists. */
  get started(): boolean {
    return this.worker !== null;
  }

  /** Post a message (starting the worker if needed). */
  send(msg: ToWorker, transfer: Transferable[] = []): void {
    this.ensure().postMessage(msg, transfer);
  }

  /** Post a message and resolve with the first reply of type `reply`, or reject with the worker's error. */
  request<K extends FromWorker['type']>(msg: ToWorker, reply: K): Promise<Extract<FromWorker, { type: K }>> {
    const w = this.ensure();
    return new Promise((resolve, reject) => {
      const on = (e: MessageEvent<FromWorker>): void => {
        if (e.data.type === reply) {
          w.removeEventListener('message', on);
          resolve(e.data as Extract<FromWorker, { type: K }>);
        } else if (e.data.type === 'error' && e.data.during === msg.type) {
          w.removeEventListener('message', on);
          reject(new Error(e.data.message));
        }
      };
      w.addEventListener('message', on);
      w.postMessage(msg);
    });
  }

  /** Terminate the worker; the next send starts a fresh one. */
  discard(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  /** A new run starts with the full recovery budget. */
  resetRecoveries(): void {
    this.recoveries = 0;
  }

  /** Whether a dead run may restart from its checkpoint (counts the attempt when it may). */
  tryRecover(wasRunning: boolean): boolean {
    if (!wasRunning || this.recoveries >= MAX_RECOVERIES) return false;
    this.recoveries++;
    return true;
  }
}
