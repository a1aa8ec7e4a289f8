/**
 * The sandbox worker: runs inside the opaque-origin iframe (public/sandbox/cell.html), created from a
 * blob the page posts in. It transpiles the learner's TypeScript, runs it with `lib` and (on demand)
 * TensorFlow.js, streams output as data, and runs an exercise's hidden checks on the cell's exports.
 */
import * as lib from '../lib';
import { createRng } from '../lib/rng';
import { exercises } from '../exercises';
import { runChecks } from '../exercises/types';
import { formatLog, formatValue, type OutputItem } from './format';
import { plotSpec, type PlotOptions } from './plot';
import type { RunRequest, WorkerMessage } from './protocol';
import { runPrepared, locateError, type RunEnv } from './run';
import { CellSyntaxError, prepare } from './transpile';

const scope = self as unknown as {
  postMessage(m: WorkerMessage): void;
  onmessage: ((e: MessageEvent<RunRequest>) => void) | null;
  tf?: { setBackend(name: string): Promise<boolean>; ready(): Promise<void> };
};

let tfLoaded: Promise<unknown> | null = null;

async function loadTf(sources: string[] | undefined): Promise<unknown> {
  if (!tfLoaded) {
    if (!sources) throw new Error('TensorFlow.js was not sent to the sandbox; run the cell again.');
    tfLoaded = (async () => {
      // The bundle (src/cells/tfjs-bundle.ts) sets self.tf; wrapped in a function so its top-level
      // names stay local. The sandbox CSP allows evaluation here and nowhere on the site.
      for (const src of sources) (0, eval)(`(() => {\n${src}\n})();`);
      await scope.tf!.setBackend('cpu');
      await scope.tf!.ready();
      return scope.tf;
    })();
  }
  return tfLoaded;
}

function errorText(e: unknown): string {
  if (e instanceof CellSyntaxError) return `SyntaxError at line ${e.line}, column ${e.column}: ${e.message}`;
  const name = e instanceof Error ? e.name : 'Error';
  const message = e instanceof Error ? e.message : String(e);
  const loc = locateError(e);
  return loc ? `${name} at line ${loc.line}, column ${loc.column}: ${message}` : `${name}: ${message}`;
}

async function run(req: RunRequest): Promise<void> {
  const { runId } = req;
  let sent = 0;
  let cut = false;
  const emit = (item: OutputItem) => {
    if (sent >= req.maxItems) {
      if (!cut)
        scope.postMessage({
          type: 'out',
          runId,
          item: { kind: 'notice', text: `Output cut after ${req.maxItems} items.` },
        });
      cut = true;
      return;
    }
    sent++;
    scope.postMessage({ type: 'out', runId, item });
  };
  const log =
    (stream: 'log' | 'warn' | 'error') =>
    (...args: unknown[]) =>
      emit(formatLog(args, stream));
  const plot = (data: unknown, options?: PlotOptions) =>
    emit({ kind: 'plot', spec: plotSpec(data, options) });
  const env: RunEnv = {
    modules: { lib },
    console: { log: log('log'), info: log('log'), warn: log('warn'), error: log('error') },
    plot,
  };
  try {
    const prepared = prepare(req.code);
    if (prepared.imports.some((m) => /tfjs/.test(m))) env.modules.tfjs = await loadTf(req.tfSources);
    const { value, exports } = await runPrepared(prepared, env);
    if (value !== undefined) emit(formatValue(value, 'result'));
    const ex = req.exercise ? exercises[req.exercise] : undefined;
    if (ex) {
      const seed = Math.floor(Math.random() * 2 ** 31);
      const { failures, passed } = runChecks(ex, exports, createRng(seed));
      scope.postMessage({ type: 'check', runId, exercise: ex.id, failures, passed });
    }
    scope.postMessage({ type: 'done', runId, ok: true });
  } catch (e) {
    emit({ kind: 'text', stream: 'error', text: errorText(e) });
    scope.postMessage({ type: 'done', runId, ok: false });
  }
}

scope.onmessage = (e) => {
  if (e.data?.type === 'run') void run(e.data);
};
