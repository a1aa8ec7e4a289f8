/**
 * <training-cell>: the capstone's training cell. It only draws and forwards the learner's choices; the
 * worker (src/workers/training.worker.ts) does all the math. The worker, TensorFlow.js and d3 load on the
 * first click, so the chapter's eager JavaScript stays small.
 */
import { get } from 'idb-keyval';
import {
  estimateParams,
  makeConfig,
  notesLearningRate,
  presets,
  validateConfig,
  type GPTConfig,
  type PresetName,
} from '../../src/model/config';
import {
  SUMMARY_KEY,
  formatEta,
  type BackendName,
  type EngineChoice,
  type CheckpointSummary,
  type FaultKind,
  type FromWorker,
  type GenerateSettings,
  type MemoryReport,
  type ToWorker,
} from '../../src/workers/protocol';
import type { LossPoint } from './chart';

/** Form field name → config key, with the notes' Python name shown in messages. */
const FIELDS: [keyof GPTConfig, string][] = [
  ['batchSize', 'batch_size'],
  ['blockSize', 'block_size'],
  ['nEmbd', 'n_embd'],
  ['nHead', 'n_head'],
  ['nLayer', 'n_layer'],
  ['dropout', 'dropout'],
  ['learningRate', 'learning_rate'],
  ['maxIters', 'max_iters'],
  ['evalInterval', 'eval_interval'],
  ['evalIters', 'eval_iters'],
];

const MAX_LOG_LINES = 400;
const MAX_RECOVERIES = 3;

type Chart = typeof import('./chart');

class TrainingCell extends HTMLElement {
  private worker: Worker | null = null;
  private chart: Chart | null = null;
  private running = false;
  private paused = false;
  private recoveries = 0;
  private lastTrain: Extract<ToWorker, { type: 'train' }> | null = null;
  private evals: LossPoint[] = [];
  private steps: [number, number][] = [];
  /** tf.memory() every MEMORY_REPORT_EVERY steps of this run (tests read it: it must stay flat). */
  private memory: MemoryReport[] = [];
  private maxIters = 0;
  private msEma = 0;
  private notesMin = Infinity;
  private file: File | null = null;
  private attention: Extract<FromWorker, { type: 'attention' }> | null = null;
  private hasModel = false;
  private drawQueued = false;
  /** When training last failed with an error (a lost device reports that first, then device-lost). */
  private trainFailedAt = -Infinity;

  private $<T extends Element>(sel: string): T {
    const el = this.querySelector<T>(sel);
    if (!el) throw new Error(`training-cell: missing ${sel}`);
    return el;
  }

  private get form(): HTMLFormElement {
    return this.$('form.hyper');
  }

  connectedCallback(): void {
    const form = this.form;
    this.$<HTMLSelectElement>('select[name=preset]').addEventListener('change', (e) =>
      this.applyPreset((e.target as HTMLSelectElement).value as PresetName),
    );
    form.addEventListener('input', () => this.describeConfig());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.start(false);
    });
    this.$('[data-action=pause]').addEventListener('click', () => this.pause());
    this.$('[data-action=resume]').addEventListener('click', () => this.resume());
    this.$('[data-action=stop]').addEventListener('click', () => this.send({ type: 'stop' }));
    this.$('[data-action=continue]').addEventListener('click', () => this.start(true));
    this.$('[data-action=forget]').addEventListener('click', () => this.forget());
    this.$('[data-action=generate]').addEventListener('click', () => this.generate());
    this.$('[data-action=export]').addEventListener('click', () => this.send({ type: 'export' }));
    this.$('[data-action=lr-notes]').addEventListener('click', () => {
      this.$<HTMLInputElement>('input[name=learningRate]').value = String(notesLearningRate);
      this.describeConfig();
    });
    this.$<HTMLInputElement>('input[name=import]').addEventListener('change', (e) => {
      const f = (e.target as HTMLInputElement).files?.[0];
      if (f) void this.importFile(f);
    });
    this.$<HTMLInputElement>('input[name=file]').addEventListener('change', (e) => {
      this.setFile((e.target as HTMLInputElement).files?.[0] ?? null);
    });
    const drop = this.$<HTMLElement>('.drop');
    drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      const f = e.dataTransfer?.files[0];
      if (f) this.setFile(f);
    });
    for (const name of ['layer', 'head']) {
      this.$<HTMLSelectElement>(`select[name=${name}]`).addEventListener('change', () =>
        this.drawAttention(),
      );
    }
    this.$('[data-action=use-corpus]').addEventListener('click', () => this.setFile(null));
    this.applyPreset('tiny');
    this.setFile(null);
    void this.checkSaved();
    this.setState();
  }

  disconnectedCallback(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  // ------------------------------------------------------------------------------------------ form

  private applyPreset(name: PresetName): void {
    const p = presets[name];
    for (const [key] of FIELDS) {
      this.$<HTMLInputElement>(`input[name=${key}]`).value = String(p[key]);
    }
    this.describeConfig();
  }

  /** The config in the form (numbers as typed; validateConfig names whatever is wrong). */
  private readConfig(): GPTConfig {
    const cfg = makeConfig('tiny');
    const c = cfg as unknown as Record<string, number>;
    for (const [key] of FIELDS) {
      const raw = this.$<HTMLInputElement>(`input[name=${key}]`).value.trim();
      c[key] = raw === '' ? NaN : Number(raw);
    }
    return cfg;
  }

  private intField(name: string, lo: number, hi: number): number | string {
    const raw = this.$<HTMLInputElement>(`input[name=${name}]`).value.trim();
    const x = Number(raw);
    if (raw === '' || !Number.isInteger(x) || x < lo || x > hi) {
      return `must be a whole number from ${lo} to ${hi}, got ${raw === '' ? 'nothing' : JSON.stringify(raw)}`;
    }
    return x;
  }

  /** Validate the form; mark each bad field and list the problems. Returns the config when usable. */
  private validate(): GPTConfig | null {
    const cfg = this.readConfig();
    const problems = new Map<string, string>();
    for (const e of validateConfig(cfg)) {
      if (e.field === 'vocabSize') continue;
      const py = FIELDS.find(([k]) => k === e.field)?.[1] ?? e.field;
      const msg = e.message.replace(e.field, py).replace('nEmbd', 'n_embd').replace('nHead', 'n_head');
      if (!problems.has(e.field)) problems.set(e.field, msg);
    }
    for (const [name, label] of [
      ['checkpointEvery', 'checkpoint every'],
      ['sampleEvery', 'sample every'],
    ] as const) {
      const v = this.intField(name, name === 'sampleEvery' ? 0 : 1, 1e6);
      if (typeof v === 'string') problems.set(name, `${label} ${v}`);
    }
    for (const input of this.form.querySelectorAll<HTMLInputElement>('input[type=text]')) {
      const msg = problems.get(input.name);
      const out = this.querySelector<HTMLElement>(
        `#${input.getAttribute('aria-describedby')?.split(' ')[0]}`,
      );
      input.setAttribute('aria-invalid', msg ? 'true' : 'false');
      if (out) out.textContent = msg ?? '';
    }
    const list = this.$<HTMLElement>('.form-errors');
    list.replaceChildren(
      ...[...problems.values()].map((m) => {
        const li = document.createElement('li');
        li.textContent = m;
        return li;
      }),
    );
    list.hidden = problems.size === 0;
    return problems.size ? null : cfg;
  }

  private describeConfig(): void {
    const cfg = this.readConfig();
    const ok = validateConfig({ ...cfg, vocabSize: 86 }).length === 0;
    const out = this.$<HTMLElement>('.config-summary');
    const lr = cfg.learningRate;
    const slow =
      lr <= 1e-5
        ? ' At this learning rate AdamW moves each weight by about lr per step: the loss will crawl.'
        : '';
    out.textContent = ok
      ? `${(estimateParams({ ...cfg, vocabSize: 86 }) / 1e6).toFixed(3)} M parameters, ` +
        `${cfg.batchSize * cfg.blockSize} characters per step.${slow}`
      : '';
  }

  private setFile(f: File | null): void {
    this.file = f;
    this.$<HTMLElement>('.file-name').textContent = f
      ? `Training text: ${f.name} (${(f.size / 1e6).toFixed(2)} MB). It is read in random slices, never whole.`
      : 'Training text: the Brown corpus (about 6 MB of American English from 1961).';
    this.$<HTMLElement>('[data-action=use-corpus]').hidden = !f;
  }

  // ---------------------------------------------------------------------------------------- worker

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('../../src/workers/training.worker.ts', import.meta.url), {
      type: 'module',
    });
    w.onmessage = (e: MessageEvent<FromWorker>) => this.onMessage(e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.recover(`The training worker crashed (${e.message || 'unknown error'}).`);
    };
    this.worker = w;
    this.$<HTMLElement>('.backend').textContent = 'Starting the worker and choosing a backend…';
    w.postMessage({ type: 'init' } satisfies ToWorker);
    return w;
  }

  private send(msg: ToWorker, transfer: Transferable[] = []): void {
    this.ensureWorker().postMessage(msg, transfer);
  }

  /** Throw the worker away and, if it was training, continue from the last checkpoint in a new one. */
  private recover(reason: string): void {
    this.worker?.terminate();
    this.worker = null;
    this.hasModel = false;
    const wasRunning = this.running || performance.now() - this.trainFailedAt < 5000;
    this.running = false;
    this.paused = false;
    if (wasRunning && this.lastTrain && this.recoveries < MAX_RECOVERIES) {
      this.recoveries++;
      this.log(`${reason} Restarting from the last saved checkpoint…`, 'error');
      this.start(true, true);
    } else {
      this.log(`${reason} Press Train or Resume to continue.`, 'error');
      void this.checkSaved();
      this.setState();
    }
  }

  /** Test hook: make the worker crash, lose its GPU device, fail its IndexedDB writes, or blow up its learning rate. */
  injectFault(kind: FaultKind): void {
    this.send({ type: 'fault', kind });
  }

  /** Test hook: run the PyTorch parity check in the worker on its backend. */
  parity(golden: unknown, engine?: EngineChoice): Promise<Extract<FromWorker, { type: 'parity' }>> {
    return this.request({ type: 'parity', golden, engine } as ToWorker, 'parity');
  }

  /** Test hook: every WGSL kernel of the WebGPU engine against its CPU twin (src/model/webgpu/check.ts). */
  engineCheck(): Promise<Extract<FromWorker, { type: 'engine-check' }>> {
    return this.request({ type: 'engine-check' }, 'engine-check');
  }

  /** Test hook: compare the worker backend's fused kernels with their portable twins (kernels/check.ts). */
  kernelCheck(): Promise<Extract<FromWorker, { type: 'kernel-check' }>> {
    return this.request({ type: 'kernel-check' }, 'kernel-check');
  }

  /** Test/bench hook: runBench in the worker (opts: fused or portable kernels, a dropout rate override). */
  bench(
    preset: 'tiny' | 'small' | 'notes',
    steps: number,
    backend?: BackendName,
    opts: { kernels?: 'fused' | 'portable'; dropout?: number; engine?: EngineChoice } = {},
  ): Promise<Extract<FromWorker, { type: 'bench' }>> {
    return this.request({ type: 'bench', preset, steps, backend, ...opts }, 'bench');
  }

  private request<K extends FromWorker['type']>(
    msg: ToWorker,
    reply: K,
  ): Promise<Extract<FromWorker, { type: K }>> {
    const w = this.ensureWorker();
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

  private async loadChart(): Promise<Chart> {
    this.chart ??= await import('./chart');
    return this.chart;
  }

  // -------------------------------------------------------------------------------------- training

  private start(resume: boolean, recovering = false): void {
    if (this.running) return;
    let msg = this.lastTrain;
    if (!recovering || !msg) {
      const cfg = this.validate();
      if (!cfg) {
        this.$<HTMLElement>('.form-errors').focus();
        return;
      }
      const data: Extract<ToWorker, { type: 'train' }>['data'] = this.file
        ? { kind: 'file', file: this.file }
        : { kind: 'corpus', url: new URL(`${import.meta.env.BASE_URL}data/brown/`, location.href).href };
      msg = {
        type: 'train',
        config: cfg,
        data,
        resume,
        checkpointEvery: Number(this.$<HTMLInputElement>('input[name=checkpointEvery]').value),
        sampleEvery: Number(this.$<HTMLInputElement>('input[name=sampleEvery]').value),
        sample: this.sampleSettings(),
        engine: this.$<HTMLSelectElement>('select[name=engine]').value as EngineChoice,
      };
    } else {
      msg = { ...msg, resume: true };
    }
    if (!recovering) this.recoveries = 0;
    this.memory = [];
    if (!resume) {
      this.evals = [];
      this.steps = [];
      this.notesMin = Infinity;
      this.$<HTMLElement>('.samples').replaceChildren();
    }
    this.lastTrain = msg;
    this.running = true;
    this.paused = false;
    this.maxIters = msg.config.maxIters;
    this.msEma = 0;
    this.setState();
    this.$<HTMLElement>('.progress-text').textContent = resume
      ? 'Loading the checkpoint…'
      : 'Loading the text…';
    void this.loadChart().then(() => this.queueDraw());
    this.send(msg);
  }

  private pause(): void {
    this.paused = true;
    this.send({ type: 'pause' });
    this.setState();
    this.log('Paused.');
  }

  private resume(): void {
    this.paused = false;
    this.send({ type: 'resume' });
    this.setState();
    this.log('Resumed.');
  }

  private async forget(): Promise<void> {
    if (this.worker) this.send({ type: 'clear-checkpoint' });
    else {
      const { del } = await import('idb-keyval');
      const { CHECKPOINT_KEY } = await import('../../src/workers/protocol');
      await Promise.all([del(CHECKPOINT_KEY), del(SUMMARY_KEY)]).catch(() => undefined);
    }
    this.$<HTMLElement>('.saved').hidden = true;
    delete this.dataset.saved;
    this.log('The saved checkpoint was deleted.');
  }

  private async checkSaved(): Promise<void> {
    let s: CheckpointSummary | undefined;
    try {
      s = await get<CheckpointSummary>(SUMMARY_KEY);
    } catch {
      s = undefined;
    }
    const box = this.$<HTMLElement>('.saved');
    if (!s || typeof s.step !== 'number') {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    this.dataset.saved = String(s.step);
    this.$<HTMLButtonElement>('[data-action=continue]').textContent = `Resume from step ${s.step}`;
    this.$<HTMLElement>('.saved-text').textContent =
      `A checkpoint from ${new Date(s.savedAt).toLocaleString()} is saved in this browser ` +
      `(n_layer ${s.config.nLayer}, n_embd ${s.config.nEmbd}, block_size ${s.config.blockSize}).`;
    if (!this.running && this.evals.length === 0) {
      this.evals = s.evals.map((e) => ({ ...e }));
      if (this.evals.length) void this.loadChart().then(() => this.queueDraw());
    }
  }

  private sampleSettings(): GenerateSettings {
    const num = (name: string): number => Number(this.$<HTMLInputElement>(`input[name=${name}]`).value);
    return {
      prompt: this.$<HTMLTextAreaElement>('textarea[name=prompt]').value,
      maxNewTokens: num('maxNewTokens'),
      temperature: num('temperature'),
      topK: num('topK'),
      topP: num('topP'),
      seed: 1337,
    };
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'backend': {
        const why = m.skipped.length ? ` Skipped: ${m.skipped.join(' ')}` : '';
        this.$<HTMLElement>('.backend').textContent = `Backend: ${m.name} (${m.adapter}).${why}`;
        this.dataset.backend = m.name;
        if (m.skipped.length) this.log(`Fell back to ${m.name}. ${m.skipped.join(' ')}`, 'warn');
        break;
      }
      case 'log':
        this.log(m.text, m.level);
        break;
      case 'ready':
        this.hasModel = true;
        this.maxIters = m.config.maxIters;
        this.log(
          `${m.resumed ? `Resumed from step ${m.step}` : 'Starting'}: ${(m.params / 1e6).toFixed(3)} M parameters, ` +
            `vocabulary of ${m.vocabSize} characters, ${m.config.maxIters} steps.`,
        );
        this.dataset.step = String(m.step);
        break;
      case 'scan-progress':
        this.$<HTMLElement>('.progress-text').textContent =
          `Scanning the file: ${Math.round((100 * m.read) / m.total)} %`;
        break;
      case 'data-read':
        this.dataset.bytesRead = String(m.bytes);
        this.log(
          `Read ${(m.bytes / 1e6).toFixed(1)} MB of the ${(m.total / 1e6).toFixed(1)} MB file so far: ` +
            'it is read in slices, never whole.',
        );
        break;
      case 'memory':
        this.memory.push(m);
        break;
      case 'data-issues':
        for (const i of m.issues) this.log(i.message, i.severity === 'error' ? 'error' : 'warn');
        if (m.issues.some((i) => i.severity === 'error')) {
          this.running = false;
          this.setState();
          this.$<HTMLElement>('.progress-text').textContent = 'The file cannot be used: see the log.';
        }
        break;
      case 'step': {
        this.msEma = this.msEma ? 0.9 * this.msEma + 0.1 * m.msPerStep : m.msPerStep;
        this.steps.push([m.step, m.loss]);
        this.dataset.step = String(m.step);
        const bar = this.$<HTMLProgressElement>('progress');
        bar.max = this.maxIters;
        bar.value = m.step;
        const eta = ((this.maxIters - m.step) * this.msEma) / 1000;
        this.$<HTMLElement>('.progress-text').textContent =
          `step ${m.step} / ${this.maxIters} · loss ${m.loss.toFixed(4)} · ` +
          `${Math.round(m.tokensPerSec).toLocaleString('en')} tokens/s · ${m.msPerStep.toFixed(0)} ms/step · ETA ${formatEta(eta)}`;
        this.queueDraw();
        break;
      }
      case 'eval': {
        this.evals.push({ step: m.step, train: m.train, val: m.val });
        this.dataset.evals = String(this.evals.length);
        // The notes' messages, word for word, then their convergence check as they wrote it.
        this.log(`step: ${m.step}, train loss: ${m.train.toFixed(3)}, val loss: ${m.val.toFixed(3)}`);
        if (this.notesMin === Infinity) this.notesMin = m.train;
        const diff = m.train - this.notesMin;
        const pct = (diff / this.notesMin) * 100;
        this.log(
          `Current train loss: ${m.train.toFixed(6)}, Loss difference: ${diff.toFixed(6)}, Percentage change: ${pct.toFixed(2)}%`,
        );
        if (m.train < this.notesMin) this.notesMin = m.train;
        if (pct <= 1) {
          this.log(
            `Algorithm has converged at step ${m.step}. Loss percentage change is ${pct.toFixed(2)}%` +
              '   ← the notes’ check: it fires whenever the loss falls (a negative change is ≤ 1 %), so ignore it.',
            'note',
          );
        }
        this.queueDraw();
        break;
      }
      case 'convergence':
        this.log(
          `Corrected check: the best validation loss (${m.bestVal.toFixed(4)}, step ${m.bestStep}) improved by only ` +
            `${(m.relativeImprovement * 100).toFixed(2)} % over the last ${m.window} evaluations: the model has converged.`,
          'warn',
        );
        break;
      case 'sample': {
        const fig = document.createElement('figure');
        const cap = document.createElement('figcaption');
        cap.textContent = `Sample at step ${m.step}`;
        const pre = document.createElement('pre');
        pre.textContent = m.text;
        fig.append(cap, pre);
        this.$<HTMLElement>('.samples').prepend(fig);
        break;
      }
      case 'stop':
        this.running = false;
        this.paused = false;
        this.log(m.message, m.reason === 'non-finite' ? 'error' : 'info');
        if (m.reason === 'non-finite') this.log(this.nonFiniteAdvice(), 'error');
        this.$<HTMLElement>('.progress-text').textContent =
          `${m.reason === 'non-finite' ? 'Stopped: the loss is not a number' : 'Stopped'} at step ${m.step}.`;
        this.dataset.stopped = m.reason;
        this.setState();
        void this.checkSaved();
        break;
      case 'saved':
        this.dataset.saved = String(m.step);
        this.$<HTMLElement>('.save-status').textContent = `Checkpoint saved at step ${m.step}.`;
        break;
      case 'save-failed':
        this.$<HTMLElement>('.save-status').textContent = m.message;
        this.dataset.saveFailed = 'true';
        this.log(m.message, 'warn');
        break;
      case 'token':
        this.$<HTMLElement>('.generated').textContent += m.text;
        break;
      case 'generated':
        this.$<HTMLElement>('.generated').textContent = m.text;
        this.$<HTMLButtonElement>('[data-action=generate]').disabled = false;
        this.send({ type: 'attention', prompt: this.sampleSettings().prompt });
        break;
      case 'attention':
        this.attention = m;
        this.fillAttentionSelects(m.nLayer, m.nHead);
        void this.loadChart().then(() => this.drawAttention());
        break;
      case 'exported': {
        const url = URL.createObjectURL(new Blob([m.bytes], { type: 'application/octet-stream' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = m.name;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        this.log(`Exported ${m.name} (${(m.bytes.byteLength / 1e6).toFixed(2)} MB).`);
        break;
      }
      case 'imported':
        this.hasModel = true;
        this.log(
          `Imported weights: n_layer ${m.config.nLayer}, n_head ${m.config.nHead}, n_embd ${m.config.nEmbd}, ` +
            `block_size ${m.config.blockSize}. Generate from them below.`,
        );
        this.setState();
        break;
      case 'device-lost':
        this.recover(`The GPU device was lost (${m.message}).`);
        break;
      case 'error':
        this.log(`Error while ${m.during === 'train' ? 'training' : m.during}: ${m.message}`, 'error');
        if (m.during === 'train') {
          this.trainFailedAt = performance.now();
          this.running = false;
          this.setState();
        }
        this.$<HTMLButtonElement>('[data-action=generate]').disabled = false;
        break;
      case 'parity':
      case 'kernel-check':
      case 'engine-check':
      case 'bench':
        break;
    }
  }

  /** What to do after the loss turned NaN or infinite, naming the checkpoint that was kept. */
  private nonFiniteAdvice(): string {
    const saved = this.dataset.saved;
    const cause =
      'Training diverged: the loss is no longer a number, which almost always means the learning rate is too ' +
      'high for these weights.';
    return saved
      ? `${cause} The last good checkpoint (step ${saved}) was kept, not the broken weights: lower ` +
          `learning_rate (try a tenth of it) and press “Resume from step ${saved}”.`
      : `${cause} No checkpoint had been saved yet: lower learning_rate (try a tenth of it) and press Train.`;
  }

  // ---------------------------------------------------------------------------------------- output

  private log(text: string, level: 'info' | 'warn' | 'error' | 'note' = 'info'): void {
    const out = this.$<HTMLElement>('.log');
    const line = document.createElement('div');
    line.className = level;
    line.textContent = text;
    out.append(line);
    while (out.childElementCount > MAX_LOG_LINES) out.firstElementChild?.remove();
    out.scrollTop = out.scrollHeight;
  }

  private queueDraw(): void {
    if (this.drawQueued || !this.chart) return;
    this.drawQueued = true;
    requestAnimationFrame(() => {
      this.drawQueued = false;
      this.chart?.drawLoss(this.$<SVGSVGElement>('svg.loss'), this.evals, this.steps);
    });
  }

  private setState(): void {
    const b = (a: string): HTMLButtonElement => this.$(`[data-action=${a}]`);
    b('train').disabled = this.running;
    b('continue').disabled = this.running;
    b('pause').disabled = !this.running || this.paused;
    b('resume').disabled = !this.running || !this.paused;
    b('stop').disabled = !this.running;
    b('generate').disabled = !this.hasModel;
    b('export').disabled = !this.hasModel;
    this.dataset.running = String(this.running);
  }

  private generate(): void {
    const s = this.sampleSettings();
    const bad: string[] = [];
    if (!Number.isInteger(s.maxNewTokens) || s.maxNewTokens < 1 || s.maxNewTokens > 5000)
      bad.push('max new tokens must be a whole number from 1 to 5000');
    if (!(s.temperature > 0 && s.temperature <= 10)) bad.push('temperature must be in (0, 10]');
    if (!Number.isInteger(s.topK) || s.topK < 0) bad.push('top-k must be a whole number ≥ 0 (0 = off)');
    if (!(s.topP > 0 && s.topP <= 1)) bad.push('top-p must be in (0, 1]');
    const out = this.$<HTMLElement>('.generated');
    if (bad.length) {
      out.textContent = `Cannot generate: ${bad.join('; ')}.`;
      return;
    }
    out.textContent = s.prompt;
    this.$<HTMLButtonElement>('[data-action=generate]').disabled = true;
    this.send({ type: 'generate', settings: s });
  }

  private fillAttentionSelects(nLayer: number, nHead: number): void {
    const fill = (name: string, n: number): void => {
      const sel = this.$<HTMLSelectElement>(`select[name=${name}]`);
      if (sel.options.length === n) return;
      sel.replaceChildren(...Array.from({ length: n }, (_, i) => new Option(`${name} ${i}`, String(i))));
    };
    fill('layer', nLayer);
    fill('head', nHead);
    this.$<HTMLElement>('.attention').hidden = false;
  }

  private drawAttention(): void {
    const a = this.attention;
    if (!a || !this.chart) return;
    const layer = Number(this.$<HTMLSelectElement>('select[name=layer]').value);
    const head = Number(this.$<HTMLSelectElement>('select[name=head]').value);
    const w = a.weights[layer]?.[head];
    if (w) this.chart.drawHeatmap(this.$<SVGSVGElement>('svg.heatmap'), a.labels, w, a.T);
  }

  private async importFile(f: File): Promise<void> {
    const base = this.readConfig();
    const bytes = await f.arrayBuffer();
    this.log(`Importing ${f.name}…`);
    this.send({ type: 'import', bytes, base: { ...makeConfig('tiny'), ...base } }, [bytes]);
  }
}

if (!customElements.get('training-cell')) customElements.define('training-cell', TrainingCell);
