/** The <scheduler-simulator> custom element: reads the form, runs model.ts, draws and lists the result. */
import { drawScheduler, type Series } from './chart';
import {
  CHAPTER_RUN,
  explain,
  fmtLr,
  liveRun,
  overlayLrs,
  parseNumberIn,
  parseSeries,
  simulatePlateau,
  type PlateauEpoch,
  type PlateauSettings,
  type Schedule,
} from './model';
import { textRow } from '../shared/dom';
import { WidgetElement } from '../shared/widget-element';

type Read<T> = { ok: true; value: T } | { ok: false; message: string; field: string };

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
    const nums: [
      string,
      string,
      number,
      number,
      { integer?: boolean; loOpen?: boolean; hiOpen?: boolean },
    ][] = [
      ['lr', 'Initial lr', 0, 1, { loOpen: true }],
      ['epochs', 'Epochs', 5, 200, { integer: true }],
      ['factor', 'factor', 0, 1, { hiOpen: true }],
      ['patience', 'patience', 0, 100, { integer: true }],
      ['threshold', 'threshold', 0, 1, {}],
      ['cooldown', 'cooldown', 0, 100, { integer: true }],
      ['minLr', 'min_lr', 0, 1, {}],
      ['stepSize', 'step_size', 1, 200, { integer: true }],
      ['gamma', 'gamma', 0, 1, {}],
      ['warmup', 'warmup epochs', 0, 199, { integer: true }],
    ];
    const v: Record<string, number> = {};
    for (const [name, label, lo, hi, o] of nums) {
      const r = parseNumberIn(this.value(name), label, lo, hi, o);
      if (!r.ok) return { ok: false, message: r.message, field: name };
      v[name] = r.value;
    }
    let series: number[] = [];
    if (source === 'typed') {
      const r = parseSeries(this.value('series'));
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
