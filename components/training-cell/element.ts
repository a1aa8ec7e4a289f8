/**
 * <training-cell>: the capstone's training cell. It draws and forwards the learner's choices; the worker
 * (src/workers/training.worker.ts) does the math, loaded with TensorFlow.js and d3 on the first click.
 */
import { makeConfig, notesLearningRate, type PresetName } from '../../src/model/config';
import {
  type BackendName,
  type FaultKind,
  type FromWorker,
  type MemoryReport,
  type ToWorker,
} from '../../src/workers/protocol';
import type { LossPoint } from './chart';
import {
  checkForm,
  configSummary,
  presetValues,
  readConfig,
  readSampleSettings,
  sampleProblems,
  type FormValues,
} from './form';
import { nonFiniteAdvice, notesEvalLines, StepTimer, stepProgressText } from './messages';
import { BackendPicker } from './backend-picker';
import { CellView } from './view';
import { deleteSlot, readSummary } from './saved-slot';
import { WorkerClient } from './worker-client';
type Parity = [Extract<ToWorker, { type: 'parity' }>, Extract<FromWorker, { type: 'parity' }>];
type ParityOptions = [engine?: Parity[0]['engine'], backend?: BackendName, limits?: Parity[0]['limits']];
type Handlers = { [K in FromWorker['type']]: (m: Extract<FromWorker, { type: K }>) => void };

class TrainingCell extends HTMLElement {
  private readonly client = new WorkerClient(
    () => new Worker(new URL('../../src/workers/training.worker.ts', import.meta.url), { type: 'module' }),
    {
      onMessage: (m) => this.onMessage(m),
      onCrash: (reason) => this.recover(reason),
      onStart: () => this.view.text('.backend', 'Starting the worker and choosing a backend…'),
    },
  );
  private running = false;
  private paused = false;
  private lastTrain: Extract<ToWorker, { type: 'train' }> | null = null;
  private evals: LossPoint[] = [];
  private steps: [number, number][] = [];
  /** The engine's memory every MEMORY_REPORT_EVERY steps of this run (tests read it: it must stay flat). */
  private memory: MemoryReport[] = [];
  private maxIters = 0;
  private readonly timer = new StepTimer();
  private file: File | null = null;
  /** The vocabulary size of the text in use, when known (the bundled corpus's, or the last run's). */
  private vocabSize: number | null = null;
  private hasModel = false;
  /** When training last failed with an error (a lost device reports that first, then device-lost). */
  private trainFailedAt = -Infinity;

  private readonly view = new CellView(this);
  private picker!: BackendPicker;

  private $<T extends Element>(sel: string): T {
    return this.view.$<T>(sel);
  }

  /** The text of every named input, textarea and select in the cell. */
  private values(): FormValues {
    const out: Record<string, string> = {};
    for (const el of this.querySelectorAll<HTMLInputElement>('input[name], textarea[name], select[name]'))
      if (el.type !== 'file') out[el.name] = el.value;
    return out;
  }

  connectedCallback(): void {
    const form = this.$<HTMLFormElement>('form.hyper');
    this.picker = new BackendPicker(this.$('select[name=backend]'), this, this.view, this.client);
    this.$<HTMLSelectElement>('select[name=preset]').addEventListener('change', (e) =>
      this.applyPreset((e.target as HTMLSelectElement).value as PresetName),
    );
    form.addEventListener('input', () => this.describeConfig());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.start(false);
    });
    const actions: Record<string, () => void> = {
      pause: () => this.pause(),
      resume: () => this.resume(),
      stop: () => this.client.send({ type: 'stop' }),
      continue: () => this.start(true),
      forget: () => void this.forget(),
      generate: () => this.generate(),
      export: () => this.client.send({ type: 'export' }),
      'use-corpus': () => this.setFile(null),
      'lr-notes': () => {
        this.$<HTMLInputElement>('input[name=learningRate]').value = String(notesLearningRate);
        this.describeConfig();
      },
    };
    for (const [name, act] of Object.entries(actions))
      this.$(`[data-action=${name}]`).addEventListener('click', act);
    this.$<HTMLInputElement>('input[name=import]').addEventListener('change', (e) => {
      const f = (e.target as HTMLInputElement).files?.[0];
      if (f) void this.importFile(f);
    });
    this.$<HTMLInputElement>('input[name=file]').addEventListener('change', (e) => {
      this.setFile((e.target as HTMLInputElement).files?.[0] ?? null);
    });
    this.view.onDrop((f) => this.setFile(f));
    for (const name of ['layer', 'head']) {
      this.$<HTMLSelectElement>(`select[name=${name}]`).addEventListener('change', () =>
        this.view.drawAttention(),
      );
    }
    this.applyPreset('tiny');
    this.setFile(null);
    void this.checkSaved();
    this.setState();
  }

  disconnectedCallback(): void {
    this.client.discard();
  }

  // ------------------------------------------------------------------------------------------ form

  private applyPreset(name: PresetName): void {
    for (const [key, value] of Object.entries(presetValues(name))) {
      this.$<HTMLInputElement>(`input[name=${key}]`).value = value;
    }
    this.describeConfig();
  }

  /** Validate the form; mark each bad field and list the problems. Returns the train message's settings. */
  private validate(): ReturnType<typeof checkForm> | null {
    const check = checkForm(this.values());
    this.view.showProblems(this.$('form.hyper'), check.problems);
    return check.problems.size ? null : check;
  }

  private describeConfig(): void {
    const vocab = this.file ? null : this.vocabSize;
    this.$<HTMLElement>('.config-summary').textContent = configSummary(readConfig(this.values()), vocab);
  }

  private setFile(f: File | null): void {
    this.file = f;
    this.vocabSize = f ? null : Number(this.dataset.corpusVocab) || null;
    this.$<HTMLElement>('.file-name').textContent = f
      ? `Training text: ${f.name} (${(f.size / 1e6).toFixed(2)} MB). It is read in random slices, never whole.`
      : 'Training text: the Brown corpus (about 6 MB of American English from 1961).';
    this.$<HTMLElement>('[data-action=use-corpus]').hidden = !f;
    this.describeConfig();
  }

  // ---------------------------------------------------------------------------------------- worker

  /** Throw the worker away and, if it was training, continue from the last checkpoint in a new one. */
  private recover(reason: string): void {
    this.client.discard();
    this.hasModel = false;
    const wasRunning = this.running || performance.now() - this.trainFailedAt < 5000;
    this.running = false;
    this.paused = false;
    if (this.lastTrain && this.client.tryRecover(wasRunning)) {
      this.view.log(`${reason} Restarting from the last saved checkpoint…`, 'error');
      this.start(true, true);
    } else {
      this.view.log(`${reason} Press Train or Resume to continue.`, 'error');
      void this.checkSaved();
      this.setState();
    }
  }

  /** Test hook: make the worker crash, lose its GPU device, fail its IndexedDB writes, or blow up its learning rate. */
  injectFault(kind: FaultKind): void {
    this.client.send({ type: 'fault', kind });
  }

  /** Test hook: the PyTorch parity check in the worker on `backend` (default its first), under lowered `limits`. */
  parity(golden: unknown, ...[engine, backend, limits]: ParityOptions): Promise<Parity[1]> {
    return this.client.request({ type: 'parity', golden, engine, backend, limits } as ToWorker, 'parity');
  }

  /** Test hook: tfjs's fused kernels vs their portable twins, or (engine 'webgpu') the WebGPU engine's vs its CPU twins. */
  kernelCheck(engine?: 'tfjs' | 'webgpu'): Promise<Extract<FromWorker, { type: 'kernel-check' }>> {
    return this.client.request({ type: 'kernel-check', engine }, 'kernel-check');
  }

  /** Test/bench hook: runBench in the worker (opts: fused or portable kernels, a dropout rate override). */
  bench(
    preset: 'tiny' | 'small' | 'notes',
    steps: number,
    backend?: BackendName,
    opts: Omit<Extract<ToWorker, { type: 'bench' }>, 'type' | 'preset' | 'steps' | 'backend'> = {},
  ): Promise<Extract<FromWorker, { type: 'bench' }>> {
    return this.client.request({ type: 'bench', preset, steps, backend, ...opts }, 'bench');
  }

  // -------------------------------------------------------------------------------------- training

  private start(resume: boolean, recovering = false): void {
    if (this.running) return;
    let msg = this.lastTrain;
    if (!recovering || !msg) {
      const check = this.validate();
      if (!check) {
        this.$<HTMLElement>('.form-errors').focus();
        return;
      }
      const data: Extract<ToWorker, { type: 'train' }>['data'] = this.file
        ? { kind: 'file', file: this.file }
        : { kind: 'corpus', url: new URL(`${import.meta.env.BASE_URL}data/brown/`, location.href).href };
      msg = {
        type: 'train',
        config: check.config,
        data,
        resume,
        checkpointEvery: check.checkpointEvery,
        sampleEvery: check.sampleEvery,
        sample: readSampleSettings(this.values()),
        ...this.picker.forced(),
      };
    } else {
      msg = { ...msg, resume: true };
    }
    if (!recovering) this.client.resetRecoveries();
    this.memory = [];
    if (!resume) {
      this.evals = [];
      this.steps = [];
      this.view.clearSamples();
    }
    this.lastTrain = msg;
    this.running = true;
    this.paused = false;
    this.maxIters = msg.config.maxIters;
    this.timer.reset();
    this.setState();
    this.view.text('.progress-text', resume ? 'Loading the checkpoint…' : 'Loading the text…');
    void this.view.loadChart().then(() => this.queueDraw());
    void this.send(msg);
  }

  /** Send the run; with "Automatic" first time the backends (Stop meanwhile ends it before it starts). */
  private async send(msg: Extract<ToWorker, { type: 'train' }>): Promise<void> {
    const picked = msg.backend ? {} : await this.picker.choose(msg.config);
    if (picked && this.running) return this.client.send((this.lastTrain = { ...msg, ...picked }));
    this.running = false;
    this.setState();
  }

  private pause(): void {
    this.paused = true;
    this.client.send({ type: 'pause' });
    this.setState();
    this.view.log('Paused.');
  }

  private resume(): void {
    this.paused = false;
    this.client.send({ type: 'resume' });
    this.setState();
    this.view.log('Resumed.');
  }

  private async forget(): Promise<void> {
    if (this.client.started) this.client.send({ type: 'clear-checkpoint' });
    else await deleteSlot();
    this.view.showSaved(undefined);
    delete this.dataset.saved;
    this.view.log('The saved checkpoint was deleted.');
  }

  private async checkSaved(): Promise<void> {
    const s = await readSummary();
    if (!this.view.showSaved(s)) return;
    this.dataset.saved = String(s!.step);
    if (!this.running && this.evals.length === 0) {
      this.evals = s!.evals.map((e) => ({ ...e }));
      if (this.evals.length) void this.view.loadChart().then(() => this.queueDraw());
    }
  }

  // -------------------------------------------------------------------------------------- messages

  private onMessage(m: FromWorker): void {
    (this.handlers[m.type] as (m: FromWorker) => void)(m);
  }

  /** One renderer per worker message. */
  private readonly handlers: Handlers = {
    ...this.view.displayOnly,
    ready: (m) => {
      this.hasModel = true;
      this.maxIters = m.config.maxIters;
      this.vocabSize = m.vocabSize;
      this.view.log(
        `${m.resumed ? `Resumed from step ${m.step}` : 'Starting'}: ${(m.params / 1e6).toFixed(3)} M parameters, ` +
          `vocabulary of ${m.vocabSize} characters, ${m.config.maxIters} steps.`,
      );
      this.dataset.step = String(m.step);
    },
    memory: (m) => this.memory.push(m),
    'data-issues': (m) => {
      for (const i of m.issues) this.view.log(i.message, i.severity === 'error' ? 'error' : 'warn');
      if (m.issues.some((i) => i.severity === 'error')) {
        this.running = false;
        this.setState();
        this.view.text('.progress-text', 'The file cannot be used: see the log.');
      }
    },
    step: (m) => {
      this.timer.add(m.msPerStep);
      this.steps.push([m.step, m.loss]);
      this.dataset.step = String(m.step);
      this.view.progress(m.step, this.maxIters);
      this.view.text('.progress-text', stepProgressText(m, this.maxIters, this.timer));
      this.queueDraw();
    },
    eval: (m) => {
      this.evals.push({ step: m.step, train: m.train, val: m.val });
      this.dataset.evals = String(this.evals.length);
      // The notes' messages, word for word, then their convergence check as they wrote it.
      const trainLosses = this.evals.map((e) => e.train);
      for (const line of notesEvalLines(m.step, m.train, m.val, trainLosses))
        this.view.log(line.text, line.level);
      this.queueDraw();
    },
    stop: (m) => {
      this.running = false;
      this.paused = false;
      this.view.log(m.message, m.reason === 'non-finite' ? 'error' : 'info');
      if (m.reason === 'non-finite') this.view.log(nonFiniteAdvice(this.dataset.saved), 'error');
      const why = m.reason === 'non-finite' ? 'Stopped: the loss is not a number' : 'Stopped';
      this.view.text('.progress-text', `${why} at step ${m.step}.`);
      this.dataset.stopped = m.reason;
      this.setState();
      void this.checkSaved();
    },
    generated: (m) => {
      this.$<HTMLElement>('.generated').textContent = m.text;
      this.$<HTMLButtonElement>('[data-action=generate]').disabled = false;
      this.client.send({ type: 'attention', prompt: readSampleSettings(this.values()).prompt });
    },
    imported: (m) => {
      this.hasModel = true;
      this.view.log(
        `Imported weights: n_layer ${m.config.nLayer}, n_head ${m.config.nHead}, n_embd ${m.config.nEmbd}, ` +
          `block_size ${m.config.blockSize}. Generate from them below.`,
      );
      this.setState();
    },
    'device-lost': (m) => this.recover(`The GPU device was lost (${m.message}).`),
    error: (m) => {
      this.view.log(`Error while ${m.during === 'train' ? 'training' : m.during}: ${m.message}`, 'error');
      if (m.during === 'train') {
        this.trainFailedAt = performance.now();
        this.running = false;
        this.setState();
      }
      this.$<HTMLButtonElement>('[data-action=generate]').disabled = false;
    },
    // Replies to the test and bench hooks, which await them through WorkerClient.request.
    parity: () => undefined,
    'kernel-check': () => undefined,
    bench: () => undefined,
  };

  // ---------------------------------------------------------------------------------------- output

  private queueDraw(): void {
    this.view.queueLoss(this.evals, this.steps);
  }

  private setState(): void {
    this.view.buttons({ running: this.running, paused: this.paused, hasModel: this.hasModel });
    this.dataset.running = String(this.running);
  }

  private generate(): void {
    const values = this.values();
    const s = readSampleSettings(values);
    const bad = sampleProblems(values);
    const out = this.$<HTMLElement>('.generated');
    if (bad.length) {
      out.textContent = `Cannot generate. ${bad.join(' ')}`;
      return;
    }
    out.textContent = s.prompt;
    this.$<HTMLButtonElement>('[data-action=generate]').disabled = true;
    this.client.send({ type: 'generate', settings: s });
  }

  private async importFile(f: File): Promise<void> {
    const base = readConfig(this.values());
    const bytes = await f.arrayBuffer();
    this.view.log(`Importing ${f.name}…`);
    this.client.send({ type: 'import', bytes, base: { ...makeConfig('tiny'), ...base } }, [bytes]);
  }
}

if (!customElements.get('training-cell')) customElements.define('training-cell', TrainingCell);
