/**
 * The page's side of the sandbox: one hidden iframe per page (sandbox="allow-scripts", so an opaque
 * origin with its own CSP), fed the bundled runtime as text (fetched from our origin by the page, so
 * the sandbox itself makes no request). Runs are serialized; Stop, the time limit or a crash
 * terminate the worker and start a fresh one.
 */
import workerUrl from '../../src/cells/sandbox.worker.ts?worker&url';
import tfjsUrl from '../../src/cells/tfjs-bundle.ts?worker&url';
import type { OutputItem } from '../../src/cells/format';
import { importsTfjs } from '../../src/cells/modules';
import { url } from '../../src/site/url';

/** How a run ended. */
export type RunOutcome =
  | { status: 'done'; ok: boolean; check?: { failures: string[]; passed: number } }
  | { status: 'stopped' | 'timeout' }
  | { status: 'crashed'; message: string };

/** One run's request. */
export interface RunOptions {
  code: string;
  exercise?: string;
  timeLimitMs: number;
  onItem(item: OutputItem): void;
  /** Called when the run leaves the queue and starts. */
  onStart?(): void;
}

/** Items the sandbox may send per run before the rest is cut. */
export const MAX_ITEMS = 200;

interface Current {
  runId: number;
  opts: RunOptions;
  items: number;
  check?: { failures: string[]; passed: number };
  finish(outcome: RunOutcome): void;
}

class SandboxHost {
  private frame: HTMLIFrameElement;
  private waiters: ((type: string) => void)[] = [];
  private booted: Promise<void>;
  private tfSent = false;
  private nextId = 1;
  private current: Current | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor() {
    this.frame = document.createElement('iframe');
    this.frame.setAttribute('sandbox', 'allow-scripts');
    this.frame.title = 'Code cell sandbox (runs your code, shows nothing)';
    this.frame.hidden = true;
    this.frame.tabIndex = -1;
    this.frame.setAttribute('aria-hidden', 'true');
    addEventListener('message', (e) => {
      if (e.source === this.frame.contentWindow && e.data && typeof e.data === 'object')
        this.onMessage(e.data);
    });
    const loaded = this.waitFor('loaded');
    this.frame.src = url('sandbox/cell.html');
    document.body.append(this.frame);
    this.booted = (async () => {
      const [bundle] = await Promise.all([fetch(workerUrl).then((r) => r.text()), loaded]);
      // The bundle runs as a classic worker script: wrapped in a function, its minified top-level
      // names stay out of the worker's global scope (where TensorFlow.js's UMD bundle looks for them).
      const source = `(() => {\n${bundle}\n})();`;
      const ready = this.waitFor('ready');
      this.post({ type: 'init', source });
      await ready;
    })();
  }

  private post(m: unknown): void {
    this.frame.contentWindow?.postMessage(m, '*');
  }

  private waitFor(type: string): Promise<void> {
    return new Promise((resolve) => {
      const w = (t: string) => {
        if (t !== type) return;
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve();
      };
      this.waiters.push(w);
    });
  }

  private onMessage(m: { type?: unknown; runId?: unknown; [k: string]: unknown }): void {
    if (typeof m.type !== 'string') return;
    for (const w of [...this.waiters]) w(m.type);
    const cur = this.current;
    if (m.type === 'crash' && cur)
      return void this.restart().then(() => cur.finish({ status: 'crashed', message: String(m.message) }));
    if (!cur || m.runId !== cur.runId) return;
    if (m.type === 'out' && m.item && typeof m.item === 'object') {
      // The page caps output too: the worker runs the learner's code and could ignore its own cap.
      cur.items++;
      if (cur.items <= MAX_ITEMS + 1) cur.opts.onItem(m.item as OutputItem);
    } else if (m.type === 'check' && Array.isArray(m.failures)) {
      cur.check = { failures: m.failures.map(String), passed: Number(m.passed) || 0 };
    } else if (m.type === 'done') {
      cur.finish({ status: 'done', ok: m.ok === true, check: cur.check });
    }
  }

  private async restart(): Promise<void> {
    this.tfSent = false;
    const ready = this.waitFor('ready');
    this.post({ type: 'restart' });
    await ready;
  }

  /** Run code; resolves when it finishes, is stopped, times out or crashes. Runs wait their turn. */
  run(opts: RunOptions): Promise<RunOutcome> {
    const result = this.queue.then(() => this.runNow(opts));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow(opts: RunOptions): Promise<RunOutcome> {
    await this.booted;
    opts.onStart?.();
    let tfSources: string[] | undefined;
    if (importsTfjs(opts.code) && !this.tfSent) {
      opts.onItem({ kind: 'notice', text: 'Loading TensorFlow.js into the sandbox…' });
      tfSources = [await fetch(tfjsUrl).then((r) => r.text())];
      this.tfSent = true;
    }
    const runId = this.nextId++;
    return new Promise<RunOutcome>((resolve) => {
      const timer = setTimeout(() => void this.stop('timeout'), opts.timeLimitMs);
      this.current = {
        runId,
        opts,
        items: 0,
        finish: (outcome) => {
          clearTimeout(timer);
          if (this.current?.runId === runId) this.current = null;
          resolve(outcome);
        },
      };
      this.post({
        type: 'run',
        runId,
        code: opts.code,
        exercise: opts.exercise,
        tfSources,
        maxItems: MAX_ITEMS,
      });
    });
  }

  /** Stop the running code: terminate the worker and start a fresh one. */
  async stop(reason: 'stopped' | 'timeout' = 'stopped'): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    this.current = null;
    await this.restart();
    cur.finish({ status: reason });
  }
}

let host: SandboxHost | null = null;

/** The page's one sandbox, created on first use. */
export function sandbox(): SandboxHost {
  host ??= new SandboxHost();
  return host;
}
