/**
 * The training cell's Backend select in the page: it offers only what this browser has, remembers the
 * learner's choice (localStorage), and on Train with "Automatic" asks the worker to time the backends
 * ("Choosing the fastest backend…") before the run, reusing the answer while the step's cost is unchanged.
 * The pure parts are backend-select.ts.
 */
import type { GPTConfig } from '../../src/model/config';
import { BACKEND_ORDER } from '../../src/workers/protocol';
import { backendLabel } from '../../src/workers/training/backend-choice';
import {
  availableOptions,
  brokenBackends,
  choosingText,
  parseBackendChoice,
  sameStepCost,
  type BackendPick,
} from './backend-select';
import type { CellView } from './view';
import type { WorkerClient } from './worker-client';

/** Where the learner's choice is kept between visits. */
const STORAGE_KEY = 'training-cell-backend';

/** localStorage, or null where it is blocked (the choice then lasts for the visit). */
function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The Backend select and the measurement behind "Automatic". */
export class BackendPicker {
  private last: { config: GPTConfig; pick: BackendPick } | null = null;

  constructor(
    private readonly select: HTMLSelectElement,
    private readonly root: HTMLElement,
    private readonly view: CellView,
    private readonly client: WorkerClient,
  ) {
    const webgl2 = typeof WebGL2RenderingContext !== 'undefined';
    const webgpu = 'gpu' in navigator;
    this.offer(availableOptions({ webgpu, webgl2, wasm: typeof WebAssembly === 'object' }));
    const saved = storage()?.getItem(STORAGE_KEY);
    if (saved && [...select.options].some((o) => o.value === saved && !o.hidden)) select.value = saved;
    select.addEventListener('change', () => storage()?.setItem(STORAGE_KEY, select.value));
  }

  /** Show only the given options; a hidden choice falls back to Automatic. */
  private offer(values: string[]): void {
    for (const o of this.select.options) o.hidden = o.disabled = !values.includes(o.value);
    if (this.select.selectedOptions[0]?.hidden) this.select.value = 'auto';
  }

  /** The backend and engine the learner forced, or null for Automatic. */
  forced(): BackendPick | null {
    return parseBackendChoice(this.select.value);
  }

  /**
   * The backend to train `config` on when the learner left it to us: the last measurement's while the
   * step costs the same, else a new one (the view shows "Choosing the fastest backend…", then why).
   * Null (and the progress line says so) when Stop was pressed meanwhile or no backend could run a step.
   */
  async choose(config: GPTConfig): Promise<BackendPick | null> {
    const pick = await this.measure(config).catch(() => null); // the worker's error is logged by the cell
    if (!pick) this.view.text('.progress-text', 'Stopped before training: no backend was chosen.');
    return pick;
  }

  /** The last measurement's pick while it holds, else a new measurement's. */
  private async measure(config: GPTConfig): Promise<BackendPick | null> {
    if (this.last && sameStepCost(this.last.config, config)) {
      const name = backendLabel(this.last.pick.backend);
      this.view.log(`Training on ${name}, measured the fastest for this step size before.`);
      return this.last.pick;
    }
    this.root.dataset.choosing = 'true';
    this.view.text('.backend', 'Choosing the fastest backend…');
    this.view.text('.progress-text', choosingText(BACKEND_ORDER.length));
    try {
      const m = await this.client.request({ type: 'choose-backend', config }, 'backend-choice');
      const broken = brokenBackends(m.timings);
      const kept = this.select.value;
      this.offer(
        availableOptions({ webgpu: true, webgl2: true, wasm: true }, broken).filter((v) =>
          [...this.select.options].some((o) => o.value === v && !o.hidden),
        ),
      );
      if (this.select.value !== kept) storage()?.setItem(STORAGE_KEY, this.select.value);
      if (!m.choice) return null;
      this.last = { config, pick: { backend: m.choice, engine: 'auto' } };
      return this.last.pick;
    } finally {
      delete this.root.dataset.choosing;
    }
  }
}
