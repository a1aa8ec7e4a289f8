/**
 * The messages between the training cell (page) and its worker, in one place. Every message is a plain
 * object with a `type`; large arrays travel as transferables. Nothing here imports TensorFlow.js, so the
 * page can import these types (and the helpers) without pulling the engine into its bundle.
 */
import type { GPTConfig } from '../model/config';
import type {
  ConvergenceEvent,
  EvalEvent,
  PhaseEvent,
  SampleEvent,
  StepEvent,
  StopEvent,
} from '../model/train';
import type { DataIssue } from '../model/data';
import type { BenchResult } from '../model/tfjs/bench';
import type { ParityGolden, ParityReport } from '../model/parity';
import type { DeviceLimits } from '../model/engine';
import type { WasmBenchResult } from '../model/wasm/bench';
import type { KernelCheckResult } from '../model/tfjs/kernels/check';
import type {
  EngineBenchResult,
  EngineCheckResult,
  GpuCallCounter,
  MatmulShapeResult,
} from '../model/webgpu';

/**
 * Which engine trains: 'auto' (the hand-written WebGPU engine on WebGPU, the hand-written WebAssembly
 * engine on wasm, TensorFlow.js on webgl and cpu), or one by name.
 */
export type EngineChoice = 'auto' | 'tfjs' | 'webgpu' | 'webgpu-f16' | 'wasm';

/** The backends the worker tries, in order. */
export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

/** Where the training text comes from. */
export type DataSpec =
  | {
      kind: 'corpus';
      /** absolute URL of the directory with train.txt, val.txt and vocab.json */ url: string;
    }
  | { kind: 'file'; file: File };

/** Sampling settings of the generation panel. */
export interface GenerateSettings {
  prompt: string;
  maxNewTokens: number;
  temperature: number;
  topK: number;
  topP: number;
  seed: number;
}

/**
 * Faults the e2e tests inject: a worker crash, a lost GPU device, an IndexedDB that refuses writes, and
 * 'nan-lr', a learning rate of 1e38 from the next step on, so the real update overflows and the loss turns NaN.
 */
export type FaultKind = 'crash' | 'device-lost' | 'idb' | 'nan-lr';

/** tf.memory() after a training step (the GPU fields are WebGPU's). */
export interface MemoryReport {
  type: 'memory';
  step: number;
  numTensors: number;
  numBytes: number;
  numBytesInGPU?: number;
  numBytesAllocatedInGPU?: number;
}

/** Training steps between two MemoryReports. */
export const MEMORY_REPORT_EVERY = 10;

/** Page → worker. */
export type ToWorker =
  | { type: 'init'; /** skip backends before this one (tests, bench) */ prefer?: BackendName }
  /** Time a few steps of this configuration on every backend and switch to the fastest (backend-choice.ts). */
  | { type: 'choose-backend'; config: GPTConfig }
  | {
      type: 'train';
      config: GPTConfig;
      data: DataSpec;
      /** continue from the checkpoint in IndexedDB (its model config wins; learning rate and max_iters come from here) */
      resume: boolean;
      checkpointEvery: number;
      sampleEvery: number;
      sample: GenerateSettings;
      /** the engine to train with (default 'auto') */
      engine?: EngineChoice;
      /** the backend to train on, forced or measured (default: the one running) */
      backend?: BackendName;
    }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'generate'; settings: GenerateSettings }
  | { type: 'attention'; prompt: string }
  | { type: 'export' }
  | { type: 'import'; bytes: ArrayBuffer; base: GPTConfig }
  | { type: 'clear-checkpoint' }
  | {
      type: 'parity';
      golden: ParityGolden;
      engine?: EngineChoice;
      backend?: BackendName;
      /** Lowered device limits: the WebGPU engine splits its bindings and the batch as a smaller GPU needs. */
      limits?: DeviceLimits;
    }
  | {
      type: 'kernel-check';
      /** 'webgpu': the WebGPU engine's kernels vs their CPU twins */ engine?: 'tfjs' | 'webgpu';
    }
  | {
      type: 'bench';
      preset: 'tiny' | 'small' | 'notes';
      steps: number;
      backend?: BackendName;
      /** 'portable' measures the step without the backend's fused kernels (default 'fused'). */
      kernels?: 'fused' | 'portable';
      /** Override the preset's dropout rate (tiny has none, so its fused dropout would not show). */
      dropout?: number;
      /** 'webgpu' benchmarks the WebGPU engine, 'tfjs' (or 'auto' off WebGPU) TensorFlow.js. */
      engine?: EngineChoice;
      /** The WebGPU engine: time one extra step kernel by kernel (timestamp queries). */
      gpuProfile?: boolean;
      /** The WebGPU engine: plan under these lowered device limits (a batch in row slices, measured). */
      limits?: DeviceLimits;
    }
  | { type: 'fault'; kind: FaultKind };

/** One backend's measurement. */
export interface BackendTiming {
  name: BackendName;
  /** The adapter or build the backend reported, e.g. "WebAssembly (SIMD, 2 threads)". */
  adapter: string;
  /** A software GPU (WebGPU or WebGL emulated on the CPU). */
  software: boolean;
  /** Median ms per training step of the learner's configuration; null when it did not run. */
  msPerStep: number | null;
  /** Why the backend could not be measured. */
  error?: string;
  /** msPerStep is the time waited for a first step that did not finish within the budget (a lower bound). */
  overBudget?: boolean;
  /** msPerStep is the untimed first step (compilation included): the budget ran out before a timed one. */
  firstOnly?: boolean;
}

/** The backend the worker settled on, with why the earlier ones were skipped. */
export interface BackendReport {
  type: 'backend';
  name: BackendName;
  adapter: string;
  /** One sentence per backend that was tried and failed, in order. */
  skipped: string[];
}

/** Worker → page. */
export type FromWorker =
  | BackendReport
  | {
      type: 'backend-choice';
      timings: BackendTiming[];
      /** the backend now running, null when none could be timed */ choice: BackendName | null;
      /** e.g. "WebGPU is a software adapter here (SwiftShader): 1.1 s/step; … — using WebAssembly." */
      reason: string;
      /** the learner pressed Stop during the measurement (choice is then null) */ stopped?: boolean;
    }
  | { type: 'log'; text: string; level?: 'info' | 'warn' | 'error' }
  | { type: 'ready'; step: number; config: GPTConfig; params: number; resumed: boolean; vocabSize: number }
  | { type: 'data-issues'; issues: DataIssue[] }
  | { type: 'scan-progress'; read: number; total: number }
  | {
      type: 'load-progress';
      /** bytes of the bundled corpus downloaded so far, of total (0 when the server did not say) */ loaded: number;
      total: number;
    }
  | {
      type: 'data-read';
      /** bytes of the learner's file read so far (the scan's sample, then one slice per batch) */ bytes: number;
      total: number;
    }
  | MemoryReport
  | StepEvent
  | EvalEvent
  | SampleEvent
  | ConvergenceEvent
  | StopEvent
  | PhaseEvent
  | { type: 'saved'; step: number }
  | { type: 'save-failed'; step: number; message: string }
  | { type: 'token'; text: string }
  | { type: 'generated'; text: string; croppedTo: number }
  | {
      type: 'attention';
      labels: string[];
      T: number;
      nLayer: number;
      nHead: number;
      weights: Float32Array[][];
    }
  | { type: 'exported'; bytes: ArrayBuffer; name: string }
  | { type: 'imported'; config: GPTConfig; step: number }
  | { type: 'parity'; report: ParityReport; pass: boolean }
  | { type: 'kernel-check'; results: KernelCheckResult[] }
  | { type: 'kernel-check'; engine: 'webgpu'; results: EngineCheckResult[] }
  | {
      type: 'bench';
      /** tfjs rows add the WebGPU calls per step and tfjs's matmul at the model's shapes (on WebGPU). */
      result:
        | EngineBenchResult
        | WasmBenchResult
        | (BenchResult & Partial<GpuCallCounter> & { matmul?: MatmulShapeResult[] });
      adapter: string;
    }
  | { type: 'device-lost'; message: string }
  | { type: 'error'; message: string; during: string };

/** IndexedDB keys (idb-keyval's default store): the checkpoint itself and a small summary the page reads. */
export const CHECKPOINT_KEY = 'training-cell/checkpoint';
export const SUMMARY_KEY = 'training-cell/summary';

/** What the page needs to offer "Resume from step N" without loading the weights. */
export interface CheckpointSummary {
  step: number;
  config: GPTConfig;
  savedAt: string;
  evals: { step: number; train: number; val: number }[];
}

/** Human text for an ETA in seconds. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
