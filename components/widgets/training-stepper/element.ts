/**
 * <training-stepper>: one PyTorch training step, one phase at a time, on a tiny model. The state
 * machine and the numbers live in model.ts (over src/lib/loss.ts and src/lib/optimizers.ts); this
 * element reads the controls, runs phases on request (or while playing) and renders the tables.
 */
import { drawLossChart } from './chart';
import {
  INFERENCE_FORWARD_CODE,
  MODELS,
  OPTIMIZERS,
  PHASES,
  advance,
  createTrainer,
  finishStep,
  firstPhase,
  predictions,
  readData,
  LEARNING_RATE,
  runSteps,
  setInference,
  setLearningRate,
  setOptimizer,
  setSkipZeroGrad,
  type ModelId,
  type OptimizerId,
  type Trainer,
} from './model';
import { el, tableCell, textRow } from '../shared/dom';
import { PlayLoop, showPlayState } from '../shared/play-loop';
import { READOUT, fmt, parseNumber } from '../shared/parse';
import { WidgetElement } from '../shared/widget-element';
import { integerExtra } from '../shared/share-state';
import { lossChartLabel, lossLine, lossRose, phaseSentence } from './sentences';

/** The most phases a shared link replays on load. */
const MAX_SHARED_PHASES = 20_000;
/** Phases run so far, counted across optimizer steps. */
const phaseIndex = (t: Trainer) => t.iteration * PHASES.length + t.next;

/** Milliseconds between phases while playing (slower with reduced motion). */
const PLAY_MS = 700;
const PLAY_MS_REDUCED = 1500;

export class TrainingStepper extends WidgetElement {
  private trainer: Trainer | null = null;
  /** The message of a bad field, or '' when every field is valid. */
  private error = '';
  private playing = false;
  private loop: PlayLoop | null = null;
  /** phaseIndex of the trainer as rebuild() made it (shared links count phases from here). */
  private startPhase = 0;

  connectedCallback() {
    this.watchForm((e) => this.handleInput(e));
    this.listen(this, 'click', (e) => this.handleClick(e));
    this.listen(document, 'visibilitychange', () => this.syncPlayback());
    this.listen(document, 'themechange', () => this.render());
    this.loop = new PlayLoop(this, {
      playing: () => this.playing,
      canRun: () => !this.trainer?.diverged,
      keepGoing: () => {
        if (this.playing && this.trainer && !this.error && !this.trainer.diverged) return true;
        this.playing = false;
        this.syncPlayback();
        return false;
      },
      interval: (reduced) => (reduced ? PLAY_MS_REDUCED : PLAY_MS),
      beat: () => this.step(advance(this.trainer!)),
      onScreenChange: () => this.syncPlayback(),
    });
    this.rebuild('');
    // Shared: the settings and how many phases have run since the last reset (replayed on load).
    const ran = () => (this.trainer ? phaseIndex(this.trainer) - this.startPhase : 0);
    this.shareState(
      ['model', 'data', 'optimizer', 'lr', 'skip', 'inference'],
      integerExtra(
        1,
        MAX_SHARED_PHASES,
        () => ran() || undefined,
        (n) => {
          for (let before = -1; this.trainer && !this.trainer.diverged && ran() < n && ran() !== before;) {
            before = ran();
            this.trainer = advance(this.trainer);
          }
          this.render(this.trainer ? phaseSentence(this.trainer) : '');
        },
      ),
    );
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.loop?.dispose();
    this.loop = null;
    this.playing = false;
  }

  private get modelId(): ModelId {
    return this.field<HTMLSelectElement>('model').value as ModelId;
  }

  private get optimizerId(): OptimizerId {
    return this.field<HTMLSelectElement>('optimizer').value as OptimizerId;
  }

  /** Validate data and learning rate; mark the bad field. Returns the message or ''. */
  private validate(): string {
    const data = this.field<HTMLTextAreaElement>('data');
    const lr = this.field('lr');
    const d = readData(MODELS[this.modelId], data.value);
    const r = parseNumber(lr.value, LEARNING_RATE);
    data.setAttribute('aria-invalid', String(!d.ok));
    lr.setAttribute('aria-invalid', String(!r.ok));
    return [d.ok ? '' : `Training data: ${d.message}`, r.ok ? '' : r.message].filter(Boolean).join(' ');
  }

  /** Start over from the initial weights with the current settings (if they are valid). */
  private rebuild(status: string) {
    this.error = this.validate();
    if (!this.error) {
      const spec = MODELS[this.modelId];
      const data = readData(spec, this.field<HTMLTextAreaElement>('data').value);
      const lr = parseNumber(this.field('lr').value, LEARNING_RATE);
      if (data.ok && lr.ok) {
        this.trainer = createTrainer(spec, data.value, this.optimizerId, lr.value, {
          skipZeroGrad: this.field('skip').checked,
          inference: this.field('inference').checked,
        });
        this.startPhase = phaseIndex(this.trainer);
      }
    }
    this.render(status);
    this.stateChanged();
  }

  private handleInput(e: Event) {
    const name = (e.target as HTMLInputElement | null)?.name;
    const t = this.trainer;
    if (name === 'model') {
      const spec = MODELS[this.modelId];
      this.field<HTMLTextAreaElement>('data').value = spec.defaultData;
      this.field('lr').value = String(spec.defaultLr);
      this.find('.data-label').textContent = this.dataLabel();
      return this.rebuild(`New model: ${spec.label}. Its example data and learning rate are filled in.`);
    }
    if (name === 'data') {
      return this.rebuild('Data changed: training starts again from the initial weights.');
    }
    this.error = this.validate();
    if (!t || this.error) return this.render('');
    if (name === 'lr') {
      const lr = parseNumber(this.field('lr').value, LEARNING_RATE);
      if (lr.ok) this.trainer = setLearningRate(t, lr.value);
      return this.render(`Learning rate ${this.field('lr').value}: used from the next optimizer.step().`);
    }
    if (name === 'optimizer') {
      this.trainer = setOptimizer(t, this.optimizerId);
      return this.render(
        `${OPTIMIZERS[this.optimizerId].label}: a new optimizer, so its running state (momentum, Adam's averages) starts from zero; the weights stay.`,
      );
    }
    if (name === 'skip') {
      const skip = this.field('skip').checked;
      this.trainer = setSkipZeroGrad(t, skip);
      return this.render(
        skip
          ? 'optimizer.zero_grad() is skipped: each loss.backward() now adds to the gradient already in .grad.'
          : 'optimizer.zero_grad() runs again at the start of each step.',
      );
    }
    if (name === 'inference') {
      const on = this.field('inference').checked;
      this.trainer = setInference(t, on);
      this.render(
        on
          ? 'Inference: model.eval() and torch.no_grad(). Only the forward pass runs; the greyed phases say why.'
          : 'Training again: the next pass starts a new step.',
      );
    }
  }

  private dataLabel(): string {
    return MODELS[this.modelId].task === 'classification'
      ? 'Training data (one example per line: x1, x2, class 0 or 1)'
      : 'Training data (one example per line: x, target)';
  }

  private handleClick(e: Event) {
    const button = (e.target as Element | null)?.closest('button');
    if (!button || !this.contains(button)) return;
    const action = button.dataset.action;
    if (action === 'reset') {
      this.playing = false;
      this.syncPlayback();
      return this.rebuild('Reset: initial weights, empty .grad, fresh optimizer.');
    }
    const t = this.trainer;
    if (!t || this.error || t.diverged) return;
    if (action === 'next') this.step(advance(t));
    else if (action === 'finish') this.step(finishStep(t));
    else if (action === 'ten') this.step(runSteps(t, 10));
    else if (action === 'play') {
      this.playing = !this.playing;
      this.syncPlayback();
    }
  }

  private step(next: Trainer) {
    this.trainer = next;
    this.stateChanged();
    if (next.diverged) {
      this.playing = false;
      this.syncPlayback();
    }
    this.render(phaseSentence(next));
  }

  private render(status = '') {
    const t = this.trainer;
    const message = this.find('.message');
    message.hidden = !this.error;
    message.textContent = this.error;
    this.find('.state').toggleAttribute('data-stale', !!this.error);
    const blocked = !!this.error || !t || !!t.diverged;
    this.querySelectorAll<HTMLButtonElement>('.actions button:not([data-action="reset"])').forEach(
      (b) => (b.disabled = blocked),
    );
    this.find<HTMLButtonElement>('.actions [data-action="reset"]').disabled = false;
    if (status) this.find('.status').textContent = status;
    if (!t) return;

    const diverged = this.find('.diverged');
    diverged.hidden = !t.diverged;
    this.find('.diverged-text').textContent = t.diverged ?? '';

    // The set-up lines, as PyTorch would write them.
    const lrText = this.field('lr').value.trim() || String(t.lr);
    this.find('.setup code').textContent = [
      t.spec.modelLine,
      t.spec.criterionLine,
      OPTIMIZERS[t.optimizer].line(Number(lrText) > 0 ? Number(lrText) : t.lr),
      t.inference ? 'model.eval()' : 'model.train()',
    ].join('\n');

    const nextPhase = PHASES[t.next];
    const nextButton = this.find('[data-action="next"]');
    nextButton.textContent = `Next phase: ${t.inference ? 'forward pass' : nextPhase.code}`;
    this.find('[data-action="finish"]').hidden = t.inference;
    this.find('[data-action="ten"]').hidden = t.inference;

    this.renderPhases(t);
    this.renderParams(t);
    this.renderExamples(t);

    const h = t.history;
    const line = this.find('.loss-line');
    line.textContent = lossLine(h, !!t.diverged);
    line.classList.toggle('warn', lossRose(h));
    const chart = this.find<SVGSVGElement>('svg.loss-chart');
    drawLossChart(chart, h);
    chart.setAttribute('aria-label', lossChartLabel(h));
  }

  private renderPhases(t: Trainer) {
    const first = firstPhase(t.skipZeroGrad, t.inference);
    const fresh = t.next === first; // nothing of the current step has run
    const items = PHASES.map((p, i) => {
      const li = el('li', undefined, 'phase');
      let state: string;
      let note = '';
      if (t.inference) {
        state = p.id === 'forward' ? 'runs' : 'not at inference';
        note = p.inferenceWhy;
      } else if (p.id === 'zero_grad' && t.skipZeroGrad) {
        state = 'skipped';
        note = 'Skipped on purpose: loss.backward() will add to whatever .grad already holds.';
      } else if (i === t.next) state = 'next';
      else if (!fresh && i < t.next) state = 'done';
      else state = 'to do';
      li.dataset.state = state.replace(/ /g, '-');
      if (i === t.next || (t.inference && p.id === 'forward')) li.setAttribute('aria-current', 'step');
      const head = el('div', undefined, 'phase-head');
      head.append(
        el('span', `${i + 1}. ${p.title}`, 'phase-title'),
        el('code', t.inference && p.id === 'forward' ? INFERENCE_FORWARD_CODE : p.code),
        el('span', state, 'badge'),
      );
      li.append(head);
      if (note) li.append(el('p', note, 'why'));
      return li;
    });
    this.find('.phases').replaceChildren(...items);
  }

  private renderParams(t: Trainer) {
    const names = t.spec.paramNames;
    this.find('.params caption').textContent =
      t.iteration === 0
        ? 'Parameters (initial weights)'
        : `Parameters after ${t.iteration} step${t.iteration === 1 ? '' : 's'}`;
    const justStepped = t.last === 'step' && !t.inference;
    this.find('.params tbody').replaceChildren(
      ...names.map((n, i) => {
        const grad = t.grad === null ? 'None' : fmt(t.grad[i], READOUT);
        const step = t.lastStep
          ? `${fmt(t.lastStep.old[i], READOUT)} → ${fmt(t.lastStep.updated[i], READOUT)}`
          : '–';
        const gradFresh = t.last === 'backward' && !t.inference;
        return textRow(
          [
            n,
            fmt(t.params[i], READOUT),
            { text: grad, className: gradFresh ? 'fresh' : '' },
            { text: step, className: justStepped ? 'fresh' : '' },
          ],
          { rowHeader: true },
        );
      }),
    );
  }

  private renderExamples(t: Trainer) {
    const cls = t.spec.task === 'classification';
    const inf = t.inference;
    const head = cls
      ? inf
        ? ['#', 'x1, x2', 'logits', 'probabilities', 'predicted class']
        : ['#', 'x1, x2', 'class', 'logits', 'p(correct class)', 'loss −ln p']
      : inf
        ? ['#', 'x', 'prediction ŷ']
        : ['#', 'x', 'target t', 'prediction ŷ', 'loss (ŷ − t)²'];
    this.find('.examples thead tr').replaceChildren(...head.map((h) => tableCell('th', h, 'col')));
    this.find('.examples caption').textContent = inf
      ? 'Examples: predictions (no labels needed)'
      : `Examples: forward pass and loss${t.loss ? ` (mean loss ${fmt(t.loss.loss, READOUT)})` : ''}` +
        (t.last === 'step' ? ', computed before this update' : '');
    const preds = t.outputs ? predictions(t.spec, t.outputs) : null;
    this.find('.examples tbody').replaceChildren(
      ...t.data.map((ex, n) => {
        const out = t.outputs ? t.outputs[n].map((x) => fmt(x, READOUT)).join(', ') : '–';
        const cells: string[] = [ex.x.join(', ')];
        if (!inf) cells.push(String(ex.y));
        cells.push(out);
        if (cls && inf) {
          cells.push(preds ? preds[n].probs!.map((p) => p.toFixed(4)).join(', ') : '–');
          cells.push(preds ? String(preds[n].value) : '–');
        }
        if (cls && !inf) cells.push(t.loss?.probs ? fmt(t.loss.probs[n][ex.y], READOUT) : '–');
        if (!inf) cells.push(t.loss ? fmt(t.loss.perExample[n], READOUT) : '–');
        return textRow([String(n + 1), ...cells], { rowHeader: true });
      }),
    );
  }

  /** Run the play loop only while playing, on screen and in a visible tab. */
  private syncPlayback() {
    this.loop?.sync();
    // While phases stream by, the status would be read out every beat: muted meanwhile.
    showPlayState(this.playing, this.querySelector('[data-action="play"]'), this.querySelector('.status'));
  }
}

if (!customElements.get('training-stepper')) customElements.define('training-stepper', TrainingStepper);
