/// <reference lib="webworker" />
/**
 * The training cell's worker: it owns the engine, the data and the checkpoints, so the page only draws.
 * This file holds the training run and the message handler; the rest lives beside it in ./training/:
 * backend setup (backend.ts), which engine to build (engines.ts), GPU device watching (device.ts), data
 * sources (data-sources.ts), the checkpoint slot (checkpoint-store.ts) and fault injection (faults.ts).
 * Messages are typed in ./protocol.ts.
 */
import {
  ConvergenceDetector,
  LossRecorder,
  TrainingControl,
  attentionForPrompt,
  checkpointVocab,
  chunkedBatches,
  blobSource,
  createCheckpoint,
  engineFromCheckpoint,
  exportSafetensors,
  generate,
  importSafetensors,
  runParityCheck,
  textSource,
  train,
  validateConfig,
  vocabFromChars,
  type BatchSource,
  type Checkpoint,
  type Engine,
  type EngineFactory,
  type Vocab,
} from '../model';
import { MEMORY_REPORT_EVERY, type BackendReport, type FromWorker, type ToWorker } from './protocol';
import { installAdapterFallback } from '../model/webgpu/adapter';
import { activeDevice, backendSettled, initBackend } from './training/backend';
import { chooseBackend } from './training/backend-measure';
import { CheckpointStore } from './training/checkpoint-store';
import { loadData, ReadCounter } from './training/data-sources';
import { deviceLossInjected, watchDevice } from './training/device';
import {
  engineBackend,
  engineFactory,
  engineNotes,
  loadWasmKernels,
  ownWasmBackend,
  resolveEngine,
  type EngineChoice,
} from './training/engines';
import { matmulOnlyBench } from './training/bench-matmul';
import { faultLearningRate, injectFault, resetFaults } from './training/faults';
import { errorText, log, post } from './training/post';
import { withSlot } from './training/slot-lock';

let engine: Engine | null = null;
let vocab: Vocab | null = null;
let control: TrainingControl | null = null;
const store = new CheckpointStore();

/** Save a checkpoint and say how it went. */
async function saveCheckpoint(ckpt: Checkpoint): Promise<void> {
  post(await store.save(ckpt));
}

/** Start the backend (once) and return it with the factory of the engine that runs on it. */
async function prepare(
  prefer?: BackendReport['name'],
  choice: EngineChoice = 'auto',
): Promise<{ backend: BackendReport; factory: EngineFactory }> {
  const own = prefer === 'wasm' ? ownWasmBackend(choice) : null; // our wasm engine: no TensorFlow.js
  if (own) return backendSettled().then(() => ({ backend: own, factory: engineFactory(own, choice) }));
  const backend = engineBackend(await initBackend(prefer), choice);
  const stop = (): void => control?.stop();
  watchDevice(activeDevice(), stop);
  return { backend, factory: engineFactory(backend, choice, (d) => watchDevice(d, stop)) };
}

/** The GPU device the running engine computes on (its own for the WebGPU engine, else the tfjs backend's). */
function engineDevice(): GPUDevice | undefined {
  return (engine as { device?: GPUDevice } | null)?.device ?? activeDevice();
}

/** The engine's memory as a message. */
function memoryReport(step: number): FromWorker {
  return { type: 'memory', step, ...engine!.memory() };
}

async function runTraining(msg: Extract<ToWorker, { type: 'train' }>): Promise<void> {
  const { backend, factory } = await prepare(msg.backend, msg.engine);
  if (msg.backend && backend.name !== msg.backend)
    throw new Error(`${msg.backend} is unavailable here: ${backend.skipped.join(' ')}`);
  post(backend); // the cell names the backend this run trains on
  resetFaults();
  const counter = new ReadCounter();
  let cfg = msg.config;
  let ckpt: Checkpoint | null = null;
  if (msg.resume) {
    const loaded = await store.load();
    if (loaded.warning) log(loaded.warning, 'warn');
    ckpt = loaded.ckpt;
    // The checkpoint's model wins; the learning rate is the form's, so a learner can lower it after a NaN.
    if (ckpt) {
      cfg = {
        ...ckpt.config,
        maxIters: Math.max(ckpt.config.maxIters, msg.config.maxIters),
        learningRate: msg.config.learningRate,
      };
      if (cfg.learningRate !== ckpt.config.learningRate) {
        log(
          `Learning rate ${cfg.learningRate} from the form (the checkpoint trained at ${ckpt.config.learningRate}).`,
        );
      }
    }
  }
  const problems = validateConfig({ ...cfg, vocabSize: Math.max(2, cfg.vocabSize) });
  if (problems.length) throw new Error(problems.map((p) => p.message).join('; '));

  const source = await loadData(msg.data, cfg, counter);
  if (!source) return;
  if (msg.data.kind === 'corpus') {
    log(
      `Loaded ${((source.trainBlob.size + source.valBlob.size) / 1e6).toFixed(1)} MB of text; vocabulary of ${source.vocab.size} characters.`,
    );
  }
  const savedVocab = ckpt ? checkpointVocab(ckpt) : null;
  vocab = savedVocab ?? source.vocab;
  cfg = { ...cfg, vocabSize: vocab.size };

  engine?.dispose();
  engine = null;
  engine = ckpt ? await engineFromCheckpoint(ckpt, factory) : await factory(cfg);
  for (const [text, level] of engineNotes(backend, engine, msg.engine)) log(text, level);
  const run = engine;
  const runVocab = vocab;
  const bytes = msg.data.kind === 'file' ? (b: Blob) => counter.source(b) : blobSource;
  const data: BatchSource = chunkedBatches(
    textSource(bytes(source.trainBlob)),
    textSource(bytes(source.valBlob)),
    runVocab,
    cfg,
  );
  if (ckpt?.rng.batches !== undefined) data.rng.state = ckpt.rng.batches;
  const recorder = ckpt ? LossRecorder.from(ckpt.history) : new LossRecorder();
  const detector = new ConvergenceDetector();
  if (ckpt?.convergence) detector.setState(ckpt.convergence);

  post({
    type: 'ready',
    step: run.stepCount,
    config: run.config,
    params: run.numParams,
    resumed: ckpt !== null,
    vocabSize: runVocab.size,
  });

  const capture = async (): Promise<Checkpoint> => {
    const c = await createCheckpoint(run, {
      vocab: runVocab,
      rng: { batches: data.rng.state },
      history: recorder.toHistory(),
      convergence: detector,
    });
    // Record the rate this run trains at (the form's on a resume), not the one the engine was built with.
    return { ...c, config: { ...c.config, learningRate: cfg.learningRate } };
  };
  // A checkpoint taken after step N holds weights whose loss nobody has seen yet: an update that blew up
  // (a learning rate far too high) only shows as a NaN loss at step N + 1. So it waits in memory and is
  // written once the next step's loss proves its weights finite; a NaN drops it and keeps the older one.
  let pending: Checkpoint | null = null;
  const commitPending = async (): Promise<void> => {
    const c = pending;
    pending = null;
    if (c) await saveCheckpoint(c);
  };

  control = new TrainingControl();
  const result = await train(run, {
    data,
    vocab: runVocab,
    control,
    detector,
    maxIters: cfg.maxIters,
    stopOnConvergence: false,
    sampleInterval: msg.sampleEvery,
    samplePrompt: msg.sample.prompt,
    sampleTokens: msg.sample.maxNewTokens,
    sampleOptions: { temperature: msg.sample.temperature, topK: msg.sample.topK, topP: msg.sample.topP },
    learningRate: () => faultLearningRate() ?? cfg.learningRate,
    checkpointInterval: msg.checkpointEvery,
    // Called with no step in flight (the loop drains its step pipeline first), so these are the weights
    // after e.step, not after a step the GPU is still running.
    onCheckpoint: async () => void (pending = await capture()),
    onStep: async (e) => {
      await commitPending(); // this step's loss was finite, so were the weights it started from
      recorder.addStep(e.step, e.loss);
      post(e);
      if (e.step % MEMORY_REPORT_EVERY === 0) post(memoryReport(e.step));
    },
    onEval: (e) => {
      recorder.addEval(e);
      post(e);
    },
    onSample: (e) => post(e),
    onConvergence: (e) => post(e),
    onPhase: (e) => post(e),
  });
  control = null;
  // A non-finite loss: the weights (and a pending checkpoint of them) are the ones that produced it, or a
  // step queued behind it already moved them (result.stepsAfterBad), so the last saved checkpoint stays
  // untouched. After a device loss nothing can be read back from the GPU.
  pending = null;
  const last = result.reason !== 'non-finite' && !deviceLossInjected() ? await capture() : null;
  if (last) await saveCheckpoint(last);
  if (msg.data.kind === 'file') post({ type: 'data-read', bytes: counter.bytes, total: msg.data.file.size });
  post(result);
}

/** The vocabulary of an imported file: its metadata's (already checked), else the bundled corpus's. */
async function importedVocab(
  stored: { chars: string[]; reserveUnknown: boolean } | null,
): Promise<Vocab | null> {
  if (stored) return vocabFromChars(stored.chars, { reserveUnknown: stored.reserveUnknown });
  const res = await fetch(new URL('../data/brown/vocab.json', location.href)).catch(() => null);
  return res?.ok ? vocabFromChars(((await res.json()) as { chars: string[] }).chars) : null;
}

/** The engine and vocabulary, or an error a learner understands. */
function model(): { engine: Engine; vocab: Vocab } {
  if (!engine || !vocab) throw new Error('there is no model yet: train or import one first.');
  return { engine, vocab };
}

/** Aborted by Stop while the backends are being timed. */
let measuring: AbortController | null = null;

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init':
      post((await prepare(msg.prefer)).backend);
      return;
    case 'train':
      // One run owns the checkpoint slot at a time, across tabs (a Web Lock held for the whole run).
      return withSlot(navigator.locks, () => runTraining(msg));
    case 'pause':
      control?.pause();
      return;
    case 'resume':
      control?.resume();
      return;
    case 'stop':
      control?.stop();
      measuring?.abort();
      return;
    case 'generate': {
      const m = model();
      const s = msg.settings;
      const { text } = await generate(m.engine, m.vocab, s.prompt, s.maxNewTokens, {
        temperature: s.temperature,
        topK: s.topK,
        topP: s.topP,
        seed: s.seed,
        onText: (chunk) => post({ type: 'token', text: chunk }),
      });
      post({ type: 'generated', text, croppedTo: m.engine.config.blockSize });
      return;
    }
    case 'attention': {
      const m = model();
      const maps = await attentionForPrompt(m.engine, m.vocab, msg.prompt || '\n');
      post({
        type: 'attention',
        labels: maps.labels,
        T: maps.T,
        nLayer: maps.weights.length,
        nHead: maps.weights[0]?.length ?? 0,
        weights: maps.weights,
      });
      return;
    }
    case 'export': {
      if (!engine) throw new Error('there is no model yet: train or import one first.');
      const bytes = exportSafetensors(await engine.getWeights(), engine.config, {
        metadata: vocab
          ? { vocab: JSON.stringify({ chars: vocab.chars, reserveUnknown: vocab.unknownId !== null }) }
          : {},
      });
      const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      post({ type: 'exported', bytes: buf, name: `char-gpt-step${engine.stepCount}.safetensors` }, [buf]);
      return;
    }
    case 'import': {
      if (control)
        throw new Error('a run is training: press Stop first (it saves a checkpoint), then import.');
      const { factory } = await prepare();
      const imp = importSafetensors(new Uint8Array(msg.bytes), msg.base);
      const v = await importedVocab(imp.vocab);
      if (!v || v.size !== imp.config.vocabSize) {
        throw new Error(
          `the file has ${imp.config.vocabSize} token ids but no vocabulary of that size to decode them with.`,
        );
      }
      engine?.dispose();
      engine = null;
      engine = await factory(imp.config, { weights: imp.weights });
      vocab = v;
      if (imp.nonFinite.length) {
        const bad = imp.nonFinite.reduce((n, p) => n + p.count, 0);
        const all = [...imp.weights.values()].reduce((n, w) => n + w.data.length, 0);
        log(
          `${bad.toLocaleString('en')} of ${all.toLocaleString('en')} weights in the file are NaN or infinite ` +
            `(${imp.nonFinite.length} of ${imp.weights.size} parameters, first ${imp.nonFinite[0].name}): ` +
            'whatever it generates is noise. Export from a run whose loss stayed finite.',
          'warn',
        );
      }
      post({ type: 'imported', config: imp.config, step: 0 });
      return;
    }
    case 'clear-checkpoint':
      await store.clear();
      return;
    case 'parity': {
      const { factory } = await prepare(msg.backend, msg.engine);
      const report = await runParityCheck(msg.golden, (cfg, o) => factory(cfg, { ...o, limits: msg.limits }));
      post({ type: 'parity', report, pass: report.ok });
      return;
    }
    case 'kernel-check': {
      if (msg.engine !== 'webgpu') {
        await prepare();
        const { checkKernels } = await import('../model/tfjs/kernels/check');
        post({ type: 'kernel-check', results: await checkKernels() });
        return;
      }
      const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
      const adapter = await gpu?.requestAdapter();
      if (!adapter) throw new Error('WebGPU is not available here: the WebGPU engine cannot be checked.');
      const { checkEngineKernels, optionalFeatures } = await import('../model/webgpu');
      const device = await adapter.requestDevice({ requiredFeatures: optionalFeatures(adapter) });
      try {
        post({ type: 'kernel-check', engine: 'webgpu', results: await checkEngineKernels(device) });
      } finally {
        device.destroy();
      }
      return;
    }
    case 'choose-backend':
      measuring = new AbortController();
      return chooseBackend(msg.config, prepare, measuring.signal).finally(() => (measuring = null));
    case 'bench': {
      const { backend: b, factory } = await prepare(msg.backend, msg.engine);
      if (msg.backend && b.name !== msg.backend)
        throw new Error(`${msg.backend} is unavailable: ${b.skipped[0]}`);
      const overrides = msg.dropout === undefined ? undefined : { dropout: msg.dropout };
      const engine = resolveEngine(b, msg.engine);
      if (engine === 'wasm') {
        const { benchWasmEngine } = await import('../model/wasm');
        const result = await benchWasmEngine(await loadWasmKernels(), msg.preset, {
          steps: msg.steps,
          overrides,
        });
        return post({ type: 'bench', result, adapter: b.adapter });
      }
      const which = engine === 'tfjs' ? 'tfjs' : 'webgpu'; // 0 steps: matmuls only
      if (msg.steps === 0) return post(await matmulOnlyBench(msg.preset, which, b.adapter));
      if (which === 'webgpu') {
        const { benchWebGPUEngine } = await import('../model/webgpu');
        const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu!;
        const { steps, gpuProfile, limits } = msg; // limits: lowered, to measure row slices
        const result = await benchWebGPUEngine(gpu, msg.preset, { steps, overrides, gpuProfile, limits });
        post({ type: 'bench', result, adapter: b.adapter });
        return;
      }
      const { countCallsPerStep, matmulShapes } = await import('../model/webgpu');
      const { runBench, tfjsMatmulShapes } = await import('../model/tfjs/bench');
      const result = await runBench(msg.preset, { steps: msg.steps, kernels: msg.kernels, overrides });
      // Calls that reach WebGPU (not tf.profile's kernel records) and tfjs's matmul at the model's shapes.
      const gpuCalls = b.name === 'webgpu' ? await countCallsPerStep(factory, result.config) : undefined;
      const matmul = b.name === 'webgpu' ? await tfjsMatmulShapes(matmulShapes(result.config)) : undefined;
      post({ type: 'bench', result: { ...result, ...gpuCalls, matmul }, adapter: b.adapter });
      return;
    }
    case 'fault':
      injectFault(msg.kind, engineDevice(), () => control?.stop(), store);
      return;
  }
}

// A GPU that the browser offers only at the compatibility feature level is still used (adapter.ts).
installAdapterFallback((self.navigator as Navigator & { gpu?: GPU }).gpu);

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  handle(msg).catch((err: unknown) => {
    control = null;
    if (deviceLossInjected()) return; // the device-lost report explains it; the page recovers from the checkpoint
    post({ type: 'error', message: errorText(err), during: msg.type });
  });
};
