/**
 * The training cell's drawing: every DOM write the element makes goes through one CellView over the cell's
 * static markup (TrainingCell.astro). User text (samples, file names, prompts) is inserted as text, never HTML.
 */
import type { CheckpointSummary, FromWorker } from '../../src/workers/protocol';
import type { LossPoint } from './chart';
import { loadingText, phaseText, type LogLine } from './messages';

type Chart = typeof import('./chart');
type Msg<K extends FromWorker['type']> = Extract<FromWorker, { type: K }>;

/** The worker messages that only draw (the element handles those that change the run's state). */
export type DisplayOnly =
  | 'backend'
  | 'log'
  | 'backend-choice'
  | 'scan-progress'
  | 'data-read'
  | 'convergence'
  | 'sample'
  | 'saved'
  | 'save-failed'
  | 'token'
  | 'attention'
  | 'exported'
  | 'phase'
  | 'load-progress';

const MAX_LOG_LINES = 400;

/** The buttons whose state follows the run. */
export interface ButtonState {
  running: boolean;
  paused: boolean;
  hasModel: boolean;
}

/** Writes to one training cell's markup. */
export class CellView {
  private chart: Chart | null = null;
  private drawQueued = false;
  private attention: Extract<FromWorker, { type: 'attention' }> | null = null;
  /** The last measurement of the backends ("Automatic"), shown with the backend it chose. */
  private choice: Msg<'backend-choice'> | null = null;

  constructor(private readonly root: HTMLElement) {}

  /** A renderer for each message that only draws. */
  readonly displayOnly: { [K in DisplayOnly]: (m: Msg<K>) => void } = {
    backend: (m) => {
      const why = m.skipped.length ? ` Skipped: ${m.skipped.join(' ')}` : '';
      const measured = this.choice?.choice === m.name ? ` ${this.choice.reason}` : '';
      // While the backends are timed, "Choosing the fastest backend…" stays until the why sentence.
      if (!this.root.dataset.choosing)
        this.text('.backend', `Backend: ${m.name} (${m.adapter}).${measured}${why}`);
      this.root.dataset.backend = m.name;
      if (m.skipped.length) this.log(`Fell back to ${m.name}. ${m.skipped.join(' ')}`, 'warn');
    },
    log: (m) => this.log(m.text, m.level),
    // The measured choice's sentence (also logged); it stays beside the backend while that one runs.
    'backend-choice': (m) => {
      this.choice = m;
      this.text('.backend', m.reason);
    },
    'scan-progress': (m) =>
      this.text('.progress-text', `Scanning the file: ${Math.round((100 * m.read) / m.total)} %`),
    'data-read': (m) => {
      this.root.dataset.bytesRead = String(m.bytes);
      this.log(
        `Read ${(m.bytes / 1e6).toFixed(1)} MB of the ${(m.total / 1e6).toFixed(1)} MB file so far: ` +
          'it is read in slices, never whole.',
      );
    },
    convergence: (m) =>
      this.log(
        `Corrected check: the best validation loss (${m.bestVal.toFixed(4)}, step ${m.bestStep}) improved by only ` +
          `${(m.relativeImprovement * 100).toFixed(2)} % over the last ${m.window} evaluations: the model has converged.`,
        'warn',
      ),
    sample: (m) => this.addSample(m.step, m.text),
    saved: (m) => {
      this.root.dataset.saved = String(m.step);
      this.text('.save-status', `Checkpoint saved at step ${m.step}.`);
    },
    'save-failed': (m) => {
      this.text('.save-status', m.message);
      this.root.dataset.saveFailed = 'true';
      this.log(m.message, 'warn');
    },
    token: (m) => {
      this.$<HTMLElement>('.generated').textContent += m.text;
    },
    attention: (m) => this.showAttention(m),
    phase: (m) => this.text('.progress-text', phaseText(m, this.root.dataset.backend)),
    'load-progress': (m) => {
      this.text('.progress-text', loadingText(m.loaded, m.total));
      this.progress(m.loaded, m.total || m.loaded || 1);
    },
    exported: (m) => {
      this.download(m.bytes, m.name);
      this.log(`Exported ${m.name} (${(m.bytes.byteLength / 1e6).toFixed(2)} MB).`);
    },
  };

  /** The element matching a selector inside the cell (throws when the markup lacks it). */
  $<T extends Element>(sel: string): T {
    const el = this.root.querySelector<T>(sel);
    if (!el) throw new Error(`training-cell: missing ${sel}`);
    return el;
  }

  /** Load d3 and the charts (on first use only). */
  async loadChart(): Promise<Chart> {
    this.chart ??= await import('./chart');
    return this.chart;
  }

  /** Set a text slot ('.backend', '.progress-text', '.save-status', ...). */
  text(sel: string, text: string): void {
    this.$<HTMLElement>(sel).textContent = text;
  }

  /** Append a line to the log (the oldest lines go past MAX_LOG_LINES). */
  log(text: string, level: LogLine['level'] = 'info'): void {
    const out = this.$<HTMLElement>('.log');
    const line = document.createElement('div');
    line.className = level;
    line.textContent = text;
    out.append(line);
    while (out.childElementCount > MAX_LOG_LINES) out.firstElementChild?.remove();
    out.scrollTop = out.scrollHeight;
  }

  /** Mark each field with its problem (or none) and list every problem above the buttons. */
  showProblems(form: HTMLFormElement, problems: Map<string, string>): void {
    for (const input of form.querySelectorAll<HTMLInputElement>('input[type=text]')) {
      const msg = problems.get(input.name);
      const out = this.root.querySelector<HTMLElement>(
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
  }

  /** Move the progress bar. */
  progress(value: number, max: number): void {
    const bar = this.$<HTMLProgressElement>('progress');
    bar.max = max;
    bar.value = value;
  }

  /** Redraw the loss plot on the next frame (once, however many events arrive before it). */
  queueLoss(evals: LossPoint[], steps: [number, number][]): void {
    if (this.drawQueued || !this.chart) return;
    this.drawQueued = true;
    requestAnimationFrame(() => {
      this.drawQueued = false;
      this.chart?.drawLoss(this.$<SVGSVGElement>('svg.loss'), evals, steps);
    });
  }

  /** Put a sample on top of the samples list. */
  addSample(step: number, text: string): void {
    const fig = document.createElement('figure');
    const cap = document.createElement('figcaption');
    cap.textContent = `Sample at step ${step}`;
    const pre = document.createElement('pre');
    pre.textContent = text;
    fig.append(cap, pre);
    this.$<HTMLElement>('.samples').prepend(fig);
  }

  /** Remove every sample (a new run). */
  clearSamples(): void {
    this.$<HTMLElement>('.samples').replaceChildren();
  }

  /** Enable exactly the buttons that make sense now. */
  buttons(s: ButtonState): void {
    const b = (a: string): HTMLButtonElement => this.$(`[data-action=${a}]`);
    b('train').disabled = s.running;
    b('continue').disabled = s.running;
    b('pause').disabled = !s.running || s.paused;
    b('resume').disabled = !s.running || !s.paused;
    b('stop').disabled = !s.running;
    b('generate').disabled = !s.hasModel;
    b('export').disabled = !s.hasModel;
    // Importing replaces the engine a run trains: not while one runs (Stop first; it saves a checkpoint).
    this.$<HTMLInputElement>('input[name=import]').disabled = s.running;
  }

  /** Show attention maps: fill the layer and head choosers, then draw the chosen head. */
  showAttention(m: Extract<FromWorker, { type: 'attention' }>): void {
    this.attention = m;
    const fill = (name: string, n: number): void => {
      const sel = this.$<HTMLSelectElement>(`select[name=${name}]`);
      if (sel.options.length === n) return;
      sel.replaceChildren(...Array.from({ length: n }, (_, i) => new Option(`${name} ${i}`, String(i))));
    };
    fill('layer', m.nLayer);
    fill('head', m.nHead);
    this.$<HTMLElement>('.attention').hidden = false;
    void this.loadChart().then(() => this.drawAttention());
  }

  /** Draw the heatmap of the chosen layer and head. */
  drawAttention(): void {
    const a = this.attention;
    if (!a || !this.chart) return;
    const layer = Number(this.$<HTMLSelectElement>('select[name=layer]').value);
    const head = Number(this.$<HTMLSelectElement>('select[name=head]').value);
    const w = a.weights[layer]?.[head];
    if (w) this.chart.drawHeatmap(this.$<SVGSVGElement>('svg.heatmap'), a.labels, w, a.T);
  }

  /** Hand exported bytes to the browser as a download. */
  download(bytes: ArrayBuffer, name: string): void {
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** Call back with a text file dropped on the drop zone. */
  onDrop(take: (f: File) => void): void {
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
      if (f) take(f);
    });
  }

  /** Offer "Resume from step N" for a saved checkpoint's summary, or hide the offer; true when shown. */
  showSaved(s: CheckpointSummary | undefined): s is CheckpointSummary {
    const box = this.$<HTMLElement>('.saved');
    box.hidden = !s || typeof s.step !== 'number';
    if (box.hidden || !s) return false;
    this.$<HTMLButtonElement>('[data-action=continue]').textContent = `Resume from step ${s.step}`;
    this.text(
      '.saved-text',
      `A checkpoint from ${new Date(s.savedAt).toLocaleString()} is saved in this browser ` +
        `(n_layer ${s.config.nLayer}, n_embd ${s.config.nEmbd}, block_size ${s.config.blockSize}).`,
    );
    return true;
  }
}
