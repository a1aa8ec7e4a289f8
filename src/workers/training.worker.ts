/// <reference lib="webworker" />
/**
 * The training cell's worker: it owns TensorFlow.js, the engine, the data and the checkpoints, so the page
 * only draws. The backend is chosen here in the order webgpu → webgl → wasm → cpu; each backend package is
 * imported only when it is tried. Messages are typed in ./protocol.ts.
 */
import { get, set, del } from 'idb-keyval';
import * as tf from '../model/tf';
import {
  ConvergenceDetector,
  LossRecorder,
  TrainingControl,
  attentionForPrompt,
  blobSource,
  checkpointVocab,
  chunkedBatches,
  createCheckpoint,
  createEngine,
  exportSafetensors,
  generate,
  importSafetensors,
  engineFromCheckpoint,
  runBench,
  runParityCheck,
  scanSource,
  SCAN_SAMPLE_BYTES,
  UNKNOWN_CHAR,
  textSource,
  train,
  validateCheckpoint,
  validateConfig,
  validateScan,
  vocabFromChars,
  type BatchSource,
  type ByteSource,
  type Checkpoint,
  type Engine,
  type GPTConfig,
  type TextScan,
  type Vocab,
} from '../model';
import {
  BACKEND_ORDER,
  CHECKPOINT_KEY,
  MEMORY_REPORT_EVERY,
  SUMMARY_KEY,
  type BackendName,
  type BackendReport,
  type CheckpointSummary,
  type DataSpec,
  type FromWorker,
  type ToWorker,
} from './protocol';
import { fixWasmOneHot } from '../model/wasm-fixes';
import { configureWasm, wasmBackendName, wasmSetup, withAllCores } from './wasm-backend';

declare const self: DedicatedWorkerGlobalScope;

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

function log(text: string, level: 'info' | 'warn' | 'error' = 'info'): void {
  post({ type: 'log', text, level });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ---------------------------------------------------------------------------------------- backends

let backend: BackendReport | null = null;
let injectedLoss = false;

/**
 * Start a registered backend by calling its factory ourselves, so a failure comes back with its real reason
 * (tf.setBackend only returns false, and its warning is silenced in production builds).
 */
async function setBackend(name: string, what: string): Promise<void> {
  const factory = tf.findBackendFactory(name);
  if (!factory) throw new Error(`the TensorFlow.js ${what} backend is not registered.`);
  let instance: tf.KernelBackend;
  try {
    instance = await factory();
  } catch (err) {
    throw new Error(`the TensorFlow.js ${what} backend failed to start (${errorText(err)}).`, {
      cause: err,
    });
  }
  tf.removeBackend(name);
  tf.registerBackend(name, () => instance);
  if (!(await tf.setBackend(name))) throw new Error(`the TensorFlow.js ${what} backend failed to start.`);
}

/** Try one backend; resolves to its adapter name, or throws a sentence saying why it is unusable. */
async function tryBackend(name: BackendName): Promise<string> {
  if (name === 'webgpu') {
    const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) throw new Error('WebGPU is not available in this browser (no navigator.gpu).');
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error('WebGPU is present but no GPU adapter was found.');
    const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
    await import('@tensorflow/tfjs-backend-webgpu');
    await setBackend('webgpu', 'WebGPU');
    const { registerWebGPUKernels } = await import('../model/kernels/webgpu');
    registerWebGPUKernels(); // fused WGSL kernels (dropout, LayerNorm, causal softmax, AdamW) for this backend
    watchDevice();
    return info ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') : 'unknown';
  }
  if (name === 'webgl') {
    if (typeof OffscreenCanvas === 'undefined') throw new Error('WebGL needs OffscreenCanvas in a worker.');
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) throw new Error('WebGL 2 is not available.');
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : 'WebGL 2';
    await import('@tensorflow/tfjs-backend-webgl');
    await setBackend('webgl', 'WebGL');
    return renderer;
  }
  if (name === 'wasm') {
    if (typeof WebAssembly === 'undefined') throw new Error('WebAssembly is not available.');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    configureWasm(wasm); // our binaries; threaded SIMD where the page is cross-origin isolated
    await withAllCores(() => setBackend('wasm', 'WebAssembly'));
    fixWasmOneHot(); // tfjs-backend-wasm 4.22's float32 one-hot holds int32 bits: the model could not learn
    const flag = (name: string): Promise<boolean> => tf.env().getAsync(name) as Promise<boolean>;
    const flags = { simd: flag('WASM_HAS_SIMD_SUPPORT'), threads: flag('WASM_HAS_MULTITHREAD_SUPPORT') };
    return wasmBackendName(await wasmSetup(wasm, flags));
  }
  await import('@tensorflow/tfjs-backend-cpu');
  await setBackend('cpu', 'CPU');
  return 'JavaScript on the CPU';
}

/** Backend changes are global to tfjs: run them one at a time (an init and a bench can arrive together). */
let backendLock: Promise<unknown> = Promise.resolve();

function initBackend(prefer?: BackendName): Promise<BackendReport> {
  const next = backendLock.then(() => initBackendNow(prefer));
  backendLock = next.catch(() => undefined);
  return next;
}

async function initBackendNow(prefer?: BackendName): Promise<BackendReport> {
  if (backend && (!prefer || backend.name === prefer)) return backend;
  const skipped: string[] = [];
  const start = prefer ? BACKEND_ORDER.indexOf(prefer) : 0;
  for (const name of BACKEND_ORDER.slice(start)) {
    try {
      const adapter = await tryBackend(name);
      tf.enableProdMode();
      backend = { type: 'backend', name, adapter, skipped };
      return backend;
    } catch (err) {
      skipped.push(`${name}: ${errorText(err)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.join(' ')}`);
}

/** Report a lost WebGPU device (driver reset, GPU process crash): the page recovers from the checkpoint. */
function watchDevice(): void {
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  void device?.lost.then((info) => {
    if (info.reason === 'destroyed' && !injectedLoss) return;
    control?.stop();
    post({ type: 'device-lost', message: info.message || 'the GPU device was lost' });
  });
}

// ------------------------------------------------------------------------------------------- state

let engine: Engine | null = null;
let vocab: Vocab | null = null;
let control: TrainingControl | null = null;
let idbBroken = false;
/** The 'nan-lr' fault: the learning rate of every later step (null: the config's). */
let faultLearningRate: number | null = null;
/** Bytes read from the learner's file in this run (the scan's sample, then one slice per batch). */
let fileBytesRead = 0;

/** A byte source over a learner's file that adds every read to fileBytesRead. */
function countedSource(blob: Blob): ByteSource {
  const inner = blobSource(blob);
  return {
    size: inner.size,
    read: async (start, length) => {
      const bytes = await inner.read(start, length);
      fileBytesRead += bytes.length;
      return bytes;
    },
  };
}

/** tf.memory() as a message (WebGPU adds the bytes it holds on the GPU). */
function memoryReport(step: number): FromWorker {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
  return {
    type: 'memory',
    step,
    numTensors: m.numTensors,
    numBytes: m.numBytes,
    numBytesInGPU: m.numBytesInGPU,
    numBytesAllocatedInGPU: m.numBytesAllocatedInGPU,
  };
}

async function corpusSource(url: string): Promise<{ trainBlob: Blob; valBlob: Blob; vocab: Vocab }> {
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
 * training, the rest for validation). The file is never read whole, and fileBytesRead counts what was.
 */
async function fileSource(
  file: File,
  cfg: GPTConfig,
): Promise<{ trainBlob: Blob; valBlob: Blob; vocab: Vocab } | null> {
  const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
  log(
    file.size > SCAN_SAMPLE_BYTES
      ? `Scanning ${file.name} (${mb(file.size)} MB) for its characters in ${mb(SCAN_SAMPLE_BYTES)} MB of ` +
          `evenly spaced slices, not whole; a character missing from them trains as the unknown ${UNKNOWN_CHAR}…`
      : `Scanning ${file.name} (${mb(file.size)} MB) for its characters…`,
  );
  let last = 0;
  const scan: TextScan = await scanSource(countedSource(file), {
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
  post({ type: 'data-read', bytes: fileBytesRead, total: file.size });
  if (issues.some((i) => i.severity === 'error')) return null;
  return {
    trainBlob: file.slice(0, cut),
    valBlob: file.slice(cut),
    vocab: vocabFromChars(scan.counts.keys()),
  };
}

async function loadData(
  spec: DataSpec,
  cfg: GPTConfig,
): Promise<{ trainBlob: Blob; valBlob: Blob; vocab: Vocab } | null> {
  return spec.kind === 'corpus' ? corpusSource(spec.url) : fileSource(spec.file, cfg);
}

async function saveCheckpoint(ckpt: Checkpoint): Promise<void> {
  const summary: CheckpointSummary = {
    step: ckpt.step,
    config: ckpt.config,
    savedAt: new Date().toISOString(),
    evals: ckpt.history.evals,
  };
  try {
    if (idbBroken) throw new DOMException('IndexedDB refused the write (simulated).', 'QuotaExceededError');
    await set(CHECKPOINT_KEY, ckpt);
    await set(SUMMARY_KEY, summary);
    post({ type: 'saved', step: ckpt.step });
  } catch (err) {
    const quota = err instanceof DOMException && err.name === 'QuotaExceededError';
    post({
      type: 'save-failed',
      step: ckpt.step,
      message:
        (quota
          ? 'The browser’s storage is full, so the checkpoint was not saved'
          : `The checkpoint could not be saved (${errorText(err)})`) +
        '. Training continues, unsaved: export the weights to keep them.',
    });
  }
}

async function loadCheckpoint(): Promise<Checkpoint | null> {
  let value: unknown;
  try {
    value = await get(CHECKPOINT_KEY);
  } catch (err) {
    log(`The saved checkpoint could not be read (${errorText(err)}); starting fresh.`, 'warn');
    return null;
  }
  if (value === undefined) return null;
  const problems = validateCheckpoint(value);
  if (problems.length) {
    log(`The saved checkpoint is damaged (${problems[0]}); starting fresh.`, 'warn');
    return null;
  }
  return value as Checkpoint;
}

// ---------------------------------------------------------------------------------------- training

async function runTraining(msg: Extract<ToWorker, { type: 'train' }>): Promise<void> {
  await initBackend();
  faultLearningRate = null;
  fileBytesRead = 0;
  let cfg = msg.config;
  let ckpt: Checkpoint | null = null;
  if (msg.resume) {
    ckpt = await loadCheckpoint();
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

  const source = await loadData(msg.data, cfg);
  if (!source) return;
  const dataVocab = source.vocab;
  const savedVocab = ckpt ? checkpointVocab(ckpt) : null;
  vocab = savedVocab ?? dataVocab;
  cfg = { ...cfg, vocabSize: vocab.size };

  engine?.dispose();
  engine = ckpt ? engineFromCheckpoint(ckpt) : createEngine(cfg);
  const bytes = msg.data.kind === 'file' ? countedSource : blobSource;
  const data: BatchSource = chunkedBatches(
    textSource(bytes(source.trainBlob)),
    textSource(bytes(source.valBlob)),
    vocab,
    cfg,
  );
  if (ckpt?.rng.batches !== undefined) data.rng.state = ckpt.rng.batches;
  const recorder = ckpt ? LossRecorder.from(ckpt.history) : new LossRecorder();
  const detector = new ConvergenceDetector();
  if (ckpt?.convergence) detector.setState(ckpt.convergence);

  post({
    type: 'ready',
    step: engine.stepCount,
    config: engine.config,
    params: engine.numParams,
    resumed: ckpt !== null,
    vocabSize: vocab.size,
  });

  const capture = async (): Promise<Checkpoint | null> => {
    if (!engine || !vocab) return null;
    const c = await createCheckpoint(engine, {
      vocab,
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
  let lastSaved = engine.stepCount;
  const result = await train(engine, {
    data,
    vocab,
    control,
    detector,
    maxIters: cfg.maxIters,
    stopOnConvergence: false,
    sampleInterval: msg.sampleEvery,
    samplePrompt: msg.sample.prompt,
    sampleTokens: msg.sample.maxNewTokens,
    sampleOptions: { temperature: msg.sample.temperature, topK: msg.sample.topK, topP: msg.sample.topP },
    learningRate: () => faultLearningRate ?? cfg.learningRate,
    onStep: async (e) => {
      await commitPending(); // this step's loss was finite, so were the weights it started from
      recorder.addStep(e.step, e.loss);
      post(e);
      if (e.step % MEMORY_REPORT_EVERY === 0) post(memoryReport(e.step));
      if (e.step - lastSaved >= msg.checkpointEvery) {
        lastSaved = e.step;
        pending = await capture();
      }
    },
    onEval: (e) => {
      recorder.addEval(e);
      post(e);
    },
    onSample: (e) => post(e),
    onConvergence: (e) => post(e),
  });
  control = null;
  // A non-finite loss: the weights (and a pending checkpoint of them) are the ones that produced it, so the
  // last saved checkpoint stays untouched. After a device loss nothing can be read back from the GPU.
  pending = null;
  const last = result.reason !== 'non-finite' && !injectedLoss ? await capture() : null;
  if (last) await saveCheckpoint(last);
  if (msg.data.kind === 'file') post({ type: 'data-read', bytes: fileBytesRead, total: msg.data.file.size });
  post(result);
}

// ------------------------------------------------------------------------------------------- other

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init':
      post(await initBackend(msg.prefer));
      return;
    case 'train':
      return runTraining(msg);
    case 'pause':
      control?.pause();
      return;
    case 'resume':
      control?.resume();
      return;
    case 'stop':
      control?.stop();
      return;
    case 'generate': {
      if (!engine || !vocab) throw new Error('there is no model yet: train or import one first.');
      const s = msg.settings;
      const { text } = await generate(engine, vocab, s.prompt, s.maxNewTokens, {
        temperature: s.temperature,
        topK: s.topK,
        topP: s.topP,
        seed: s.seed,
        onText: (chunk) => post({ type: 'token', text: chunk }),
      });
      post({ type: 'generated', text, croppedTo: engine.config.blockSize });
      return;
    }
    case 'attention': {
      if (!engine || !vocab) throw new Error('there is no model yet: train or import one first.');
      const maps = await attentionForPrompt(engine, vocab, msg.prompt || '\n');
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
      await initBackend();
      const imp = importSafetensors(new Uint8Array(msg.bytes), msg.base);
      let v: Vocab | null = null;
      if (imp.metadata.vocab) {
        const parsed = JSON.parse(imp.metadata.vocab) as { chars: string[]; reserveUnknown: boolean };
        v = vocabFromChars(parsed.chars, { reserveUnknown: parsed.reserveUnknown });
      } else {
        const res = await fetch(new URL('../data/brown/vocab.json', location.href)).catch(() => null);
        if (res?.ok) v = vocabFromChars(((await res.json()) as { chars: string[] }).chars);
      }
      if (!v || v.size !== imp.config.vocabSize) {
        throw new Error(
          `the file has ${imp.config.vocabSize} token ids but no vocabulary of that size to decode them with.`,
        );
      }
      engine?.dispose();
      engine = createEngine(imp.config, { weights: imp.weights });
      vocab = v;
      post({ type: 'imported', config: imp.config, step: 0 });
      return;
    }
    case 'clear-checkpoint':
      await del(CHECKPOINT_KEY).catch(() => undefined);
      await del(SUMMARY_KEY).catch(() => undefined);
      return;
    case 'parity': {
      await initBackend();
      const report = await runParityCheck(msg.golden);
      post({ type: 'parity', report, pass: report.ok });
      return;
    }
    case 'kernel-check': {
      await initBackend();
      const { checkKernels } = await import('../model/kernels/check');
      post({ type: 'kernel-check', results: await checkKernels() });
      return;
    }
    case 'bench': {
      const b = await initBackend(msg.backend);
      if (msg.backend && b.name !== msg.backend)
        throw new Error(`${msg.backend} is unavailable: ${b.skipped[0]}`);
      const overrides = msg.dropout === undefined ? undefined : { dropout: msg.dropout };
      const result = await runBench(msg.preset, { steps: msg.steps, kernels: msg.kernels, overrides });
      post({ type: 'bench', result, adapter: b.adapter });
      return;
    }
    case 'fault':
      if (msg.kind === 'crash') {
        setTimeout(() => {
          throw new Error('Simulated worker crash');
        });
      } else if (msg.kind === 'idb') {
        idbBroken = true;
      } else if (msg.kind === 'nan-lr') {
        faultLearningRate = 1e38;
      } else {
        const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
        if (!device) throw new Error('no GPU device to lose on this backend.');
        injectedLoss = true;
        control?.stop();
        device.destroy();
      }
      return;
  }
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  handle(msg).catch((err: unknown) => {
    control = null;
    if (injectedLoss) return; // the device-lost report explains it; the page recovers from the checkpoint
    post({ type: 'error', message: errorText(err), during: msg.type });
  });
};
