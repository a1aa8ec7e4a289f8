/// <reference lib="webworker" />
/**
 * The worker's side of choosing the fastest backend (issue 13 §5): start each backend, time a few steps of
 * the learner's configuration on a throw-away engine (the timing and the sentence are backend-choice.ts's),
 * switch to the fastest and tell the page why. Stop aborts `signal`.
 */
import type { GPTConfig } from '../../model/config';
import { BACKEND_ORDER, type BackendName, type BackendReport } from '../protocol';
import { backendLabel, chooseFastest, measureBackends } from './backend-choice';
import { engineFactory } from './engines';
import { log, post } from './post';

/** The worker's backend start (its `prepare`), which also watches the device. */
type Prepare = (prefer?: BackendName) => Promise<{ backend: BackendReport }>;

/** Random token ids of the configuration's vocabulary (a fixed LCG: the data does not change the timing). */
function tokenStream(cfg: GPTConfig): (n: number) => Int32Array {
  let seed = cfg.seed >>> 0 || 1;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % cfg.vocabSize;
  return (n) => Int32Array.from({ length: n }, next);
}

/** Time `config` on every backend, switch to the fastest, and post a 'backend-choice' saying why. */
export async function chooseBackend(config: GPTConfig, prepare: Prepare, signal: AbortSignal): Promise<void> {
  const cfg = { ...config, vocabSize: Math.max(2, config.vocabSize) };
  const tokens = tokenStream(cfg);
  let started: BackendReport | null = null;
  const timings = await measureBackends(
    BACKEND_ORDER,
    {
      start: async (name) => {
        started = (await prepare(name)).backend;
        const why = started.skipped.find((s) => s.startsWith(`${name}: `))?.slice(name.length + 2);
        return { ...started, why };
      },
      engine: () => engineFactory(started!)(cfg), // our WebGPU or WebAssembly engine, else TensorFlow.js
      batch: () => {
        const n = cfg.batchSize * cfg.blockSize; // (B, T) token ids
        return { x: tokens(n), y: tokens(n), batchSize: cfg.batchSize, blockSize: cfg.blockSize };
      },
    },
    { signal, skipSoftware: ['webgl'], onBackend: (name) => log(`Timing ${backendLabel(name)}…`) },
  );
  if (signal.aborted) {
    const reason = 'Stopped while timing the backends.';
    post({ type: 'backend-choice', timings, choice: null, reason, stopped: true });
    return;
  }
  const picked = chooseFastest(timings);
  if (picked) post((await prepare(picked.choice)).backend);
  const reason = picked?.reason ?? 'No backend could run a step of this configuration.';
  log(reason, picked ? 'info' : 'error');
  post({ type: 'backend-choice', timings, choice: picked?.choice ?? null, reason });
}
