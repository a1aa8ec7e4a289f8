/** The <scheduler-simulator> custom element: reads the form, runs model.ts, draws and lists the result. */
import { drawScheduler, type Series } from './chart';
import {
  CHAPTER_RUN,
  explain,
  fmtLr,
  liveRun,
  overlayLrs,
  simulatePlateau,
  type PlateauEpoch,
  type PlateauSettings,
  type Schedule,
} from './model';
import { textRow } from '../shared/dom';
import { parseFields, parseNumberList, type ListRule, type NumberRule } from '../shared/parse';
import { WidgetElement } from '../shared/widget-element';

type Read<T> = { ok: true; value: T } | { ok: false; message: string; field: string };

/** The settings fields by name, as the shared parser reads them. */
const FIELDS = {
  lr: { label: 'Initial lr', min: 0, max: 1, minExclusive: true },
  epochs: { label: 'Epochs', min: 5, max: 200, integer: true },
  factor: { label: 'factor', min: 0, max: 1, maxExclusive: true },
  patience: { label: 'patience', min: 0, max: 100, integer: true },
  threshold: { label: 'threshold', min: 0, max: 1 },
  cooldown: { label: 'cooldown', min: 0, max: 100, integer: true },
  minLr: { label: 'min_lr', min: 0, max: 1 },
  stepSize: { label: 'step_size', min: 1, max: 200, integer: true },
  gamma: { label: 'gamma', min: 0, max: 1 },
  warmup: { label: 'warmup epochs', min: 0, max: 199, integer: true },
} satisfies Record<string, NumberRule>;
type FieldName = keyof typeof FIELDS;

/** A typed validation-loss curve: 2 to 300 finite numbers. */
const SERIES: ListRule = {
  label: 'Validation loss per epoch',
  minCount: 2,
  maxCount: 300,
  example: '2.1, 1.7, 1.5',
};

class SchedulerSimulator extends WidgetElement {
  private onInput = (e: Event) => {
    if ((e.target as HTMLElement).getAttribute('name') === 'source') this.applySource();
    this.render();
  };

  connectedCallback() {
    this.watchForm(this.onInput);
    this.applySource();
    this.render();
    const plateau = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr'];
    const others = ['showStep', 'stepSize', 'gamma', 'showCosine', 'warmup'];
    this.shareState(['source', 'lr', 'epochs', 'series', ...plateau, ...others]);
  }

  private value(name: string): string {
    return this.find<HTMLInputElement>(`[name="${name}"]`).value;
  }

  private set(name: string, v: string) {
    this.find<HTMLInputElement>(`[name="${name}"]`).value = v;
  }

  private checked(name: string): boolean {
    return this.find<HTMLInputElement>(`[name="${name}"]`).checked;
  }

  /** Show the fields of the chosen source; the chapter's example also loads its settings. */
  private applySource() {
    const source = this.value('source');
    this.find<HTMLElement>('[data-typed]').hidden = source !== 'typed';
    this.find<HTMLElement>('[data-live]').hidden = source !== 'live';
    if (source === 'chapter') {
      const s = CHAPTER_RUN.settings;
      this.set('lr', String(CHAPTER_RUN.lr));
      this.set('mode', s.mode);
      this.set('factor', String(s.factor));
      this.set('patience', String(s.patience));
      this.set('threshold', String(s.threshold));
      this.set('thresholdMode', s.thresholdMode);
      this.set('cooldown', String(s.cooldown));
      this.set('minLr', String(s.minLr));
    }
  }

  private read(): Read<{
    source: string;
    lr: number;
    epochs: number;
    series: number[];
    settings: PlateauSettings;
    step: Schedule & { kind: 'step' };
    cosine: Schedule & { kind: 'cosine' };
  }> {
    const source = this.value('source');
    // Only the fields on screen are checked: Epochs belongs to the live run (hidden otherwise, where the
    // curve's own length counts), so a bad value left there must not block the other sources.
    const rules: Partial<Record<FieldName, NumberRule>> = { ...FIELDS };
    if (source !== 'live') delete rules.epochs;
    const read = parseFields(
      Object.fromEntries(Object.keys(rules).map((name) => [name, this.value(name)])) as Record<
        FieldName,
        string
      >,
      rules as Record<FieldName, NumberRule>,
    );
    if (!read.ok) return read;
    const v = read.value;
    let series: number[] = [];
    if (source === 'typed') {
      const r = parseNumberList(this.value('series'), SERIES);
      if (!r.ok) return { ok: false, message: r.message, field: 'series' };
      series = r.value;
    } else if (source === 'chapter') series = CHAPTER_RUN.metrics;
    const epochs = source === 'live' ? v.epochs : series.length;
    if (this.checked('showCosine') && v.warmup >= epochs) {
      return {
        ok: false,
        message: `warmup epochs must be fewer than the ${epochs} epochs of the run (got ${v.warmup}).`,
        field: 'warmup',
      };
    }
    if (this.checked('showCosine') && v.minLr > v.lr) {
      return {
        ok: false,
        message: 'min_lr must not exceed the initial lr for the cosine schedule.',
        field: 'minLr',
      };
    }
    return {
      ok: true,
      value: {
        source,
        lr: v.lr,
        epochs,
        series,
        settings: {
          mode: this.value('mode') === 'max' ? 'max' : 'min',
          factor: v.factor,
          patience: v.patience,
          threshold: v.threshold,
          thresholdMode: this.value('thresholdMode') === 'abs' ? 'abs' : 'rel',
          cooldown: v.cooldown,
          minLr: v.minLr,
        },
        step: { kind: 'step', stepSize: v.stepSize, gamma: v.gamma },
        cosine: { kind: 'cosine', warmup: v.warmup, minLr: v.minLr },
      },
    };
  }

  private render() {
    const message = this.find<HTMLElement>('.message');
    const r = this.read();
    this.querySelectorAll('form input, form select, form textarea').forEach((el) =>
      el.setAttribute('aria-invalid', String(!r.ok && el.getAttribute('name') === r.field)),
    );
    if (!r.ok) {
      message.hidden = false;
      message.textContent = r.message;
      // no stale run: the chart, its title and the tables of the last valid input go
      drawScheduler(this.find('svg.chart'), [], '', [], []);
      this.find('ol.events').replaceChildren();
      this.find('table.epochs tbody').replaceChildren();
      this.find('.summary').textContent = 'No run: fix the highlighted field.';
      return;
    }
    const o = r.value;
    const warnings: string[] = [];
    let plateau: PlateauEpoch[];
    const extraMetrics: Series[] = [];
    const extraLrs: Series[] = [];
    const compare: { on: boolean; name: string; cls: string; schedule: Schedule }[] = [
      { on: this.checked('showStep'), name: 'StepLR', cls: 'step', schedule: o.step },
      { on: this.checked('showCosine'), name: 'cosine with warmup', cls: 'cosine', schedule: o.cosine },
    ];
    if (o.source === 'live') {
      const run = liveRun(o.lr, o.epochs, { kind: 'plateau', settings: o.settings });
      plateau = run.plateau ?? [];
      if (run.divergedAt !== null) {
        warnings.push(
          `The training run diverged in epoch ${run.divergedAt} (its loss grew past 1000× the starting loss, so it was stopped): the initial lr ${o.lr} is too large for this problem. Try 0.1 or less.`,
        );
      }
      for (const c of compare.filter((c) => c.on)) {
        const other = liveRun(o.lr, o.epochs, c.schedule);
        extraMetrics.push({ name: c.name, cls: c.cls, values: other.val });
        extraLrs.push({ name: c.name, cls: c.cls, values: other.lrs });
        if (other.divergedAt !== null)
          warnings.push(`The ${c.name} run diverged in epoch ${other.divergedAt}.`);
      }
    } else {
      plateau = simulatePlateau(o.series, o.lr, o.settings);
      for (const c of compare.filter((c) => c.on)) {
        extraLrs.push({ name: c.name, cls: c.cls, values: overlayLrs(o.lr, o.epochs, c.schedule) });
      }
    }
    message.hidden = warnings.length === 0;
    message.textContent = warnings.join(' ');
    const label =
      o.source === 'live'
        ? 'validation MSE of the training run (lr set by the scheduler)'
        : 'validation loss (replayed: lowering the lr cannot change it)';
    drawScheduler(this.find('svg.chart'), plateau, label, extraMetrics, extraLrs);

    const events = plateau.filter((e) => e.reduced || e.blocked);
    this.find('ol.events').replaceChildren(
      ...(events.length
        ? events.map((e) => {
            const li = document.createElement('li');
            li.textContent = explain(e, o.settings);
            return li;
          })
        : [Object.assign(document.createElement('li'), { textContent: 'No reduction in this run.' })]),
    );
    this.find('table.epochs tbody').replaceChildren(
      ...plateau.map((e) => {
        const cells = [
          String(e.epoch),
          String(Number(e.metric.toPrecision(6))),
          String(Number(e.best.toPrecision(6))),
          `${e.bad}${e.inCooldown ? ' (cooldown)' : ''}${e.improved ? ' improved' : ''}`,
          fmtLr(e.lrBefore),
          `${fmtLr(e.lrAfter)}${e.reduced ? ' ↓' : ''}`,
        ];
        return textRow(cells, { className: e.reduced ? 'reduced' : undefined, rowHeader: true });
      }),
    );
    const reductions = plateau.filter((e) => e.reduced).length;
    const last = plateau[plateau.length - 1];
    const best = plateau.reduce<PlateauEpoch | null>((b, e) => (e.improved ? e : b), null);
    this.find('.summary').textContent = last
      ? `${plateau.length} epochs, ${reductions} reduction${reductions === 1 ? '' : 's'}; final lr ${fmtLr(last.lrAfter)}` +
        (best ? `; best loss ${Number(best.metric.toPrecision(6))} at epoch ${best.epoch}.` : '.') +
        extraMetrics
          .map(
            (s) =>
              ` ${s.name}: final loss ${s.values.length ? Number(s.values[s.values.length - 1].toPrecision(6)) : '–'}.`,
          )
          .join('')
      : '';
  }
}

customElements.define('scheduler-simulator', SchedulerSimulator);
