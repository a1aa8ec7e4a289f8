/**
 * <dropout-visualizer>: the notes' dropout diagram made live. The shell (DropoutVisualizer.astro)
 * renders the labelled controls; this element reads them, runs src/lib/dropout.ts through the
 * MaskStream in model.ts, and redraws the diagram and the tables.
 */
import { drawDiagram } from './diagram';
import {
  MaskStream,
  RATE,
  SEED,
  UNITS,
  hiddenActivations,
  layerWeights,
  readInputs,
  standardError,
} from './model';
import { tableCell, textRow } from '../shared/dom';
import { mirrorNumberSlider } from '../shared/number-slider';
import { fmt, parseNumber } from '../shared/parse';
import { PlayLoop, showPlayState } from '../shared/play-loop';
import { WidgetElement } from '../shared/widget-element';
import { integerExtra } from '../shared/share-state';

/** Masks drawn per second while playing (fewer with reduced motion). */
const PLAY_RATE = 8;
const PLAY_RATE_REDUCED = 1;
const MAX_MASKS = 1_000_000;
/** The most masks a shared link replays on load (more would make opening the link slow). */
const MAX_SHARED_MASKS = 100_000;

interface Settings {
  x: number[];
  units: number;
  p: number;
  seed: number;
  training: boolean;
}

/** A table row: the first cell a row header, the rest data cells (text only). */
const row = (cells: string[], className?: string) => textRow(cells, { className, rowHeader: true });

export class DropoutVisualizer extends WidgetElement {
  private settings: Settings | null = null;
  private stream: MaskStream | null = null;
  private streamKey = '';
  private playing = false;
  private loop: PlayLoop | null = null;

  connectedCallback() {
    const form = this.watchForm((e) => this.handleInput(e));
    this.listen(form, 'change', (e) => this.handleInput(e));
    this.listen(this, 'click', (e) => this.handleClick(e));
    this.listen(document, 'visibilitychange', () => this.syncPlayback());
    this.loop = new PlayLoop(this, {
      playing: () => this.playing,
      interval: (reduced) => 1000 / (reduced ? PLAY_RATE_REDUCED : PLAY_RATE),
      beat: () => this.drawMasks(1),
      onScreenChange: () => this.syncPlayback(),
    });
    this.querySelectorAll<HTMLButtonElement>('button').forEach((b) => (b.disabled = false));
    this.update();
    // Shared: the settings and how many masks have been drawn (replayed from the seed on load).
    const count = () => this.stream?.count ?? 0;
    this.shareState(
      ['inputs', 'units', 'rate', 'mode', 'seed'],
      integerExtra(
        1,
        MAX_SHARED_MASKS,
        () => (count() > 1 ? count() : undefined),
        (n) => {
          if (n > count()) this.drawMasks(n - count());
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

  /** Keep the slider and the number box for p in step, then recompute. */
  private handleInput(e: Event) {
    mirrorNumberSlider(this, e.target);
    this.update();
  }

  private handleClick(e: Event) {
    const button = (e.target as Element | null)?.closest('button');
    if (!button || !this.contains(button)) return;
    const action = button.dataset.action;
    if (!this.settings || !this.stream) return;
    if (action === 'next') this.drawMasks(1);
    else if (action === 'many') this.drawMasks(1000);
    else if (action === 'restart') {
      this.streamKey = '';
      this.update();
    } else if (action === 'play') {
      this.playing = !this.playing;
      this.syncPlayback();
    }
  }

  private drawMasks(n: number) {
    if (!this.stream || !this.settings) return;
    const room = MAX_MASKS - this.stream.count;
    if (room <= 0) {
      this.playing = false;
      this.syncPlayback();
      this.say(`Stopped at ${MAX_MASKS.toLocaleString('en')} masks; restart to draw again.`);
      return;
    }
    this.stream.drawMany(Math.min(n, room));
    this.render();
    this.stateChanged();
  }

  /** Read and validate every control; on a bad value mark the field and say why. */
  private read(): Settings | string {
    const inputs = this.field('inputs');
    const units = this.field('units');
    const rate = this.field('rate');
    const seed = this.field('seed');
    for (const f of [inputs, units, rate, seed]) f.setAttribute('aria-invalid', 'false');
    const bad = (f: HTMLInputElement, message: string) => {
      f.setAttribute('aria-invalid', 'true');
      return message;
    };
    const x = readInputs(inputs.value);
    if (!x.ok) return bad(inputs, x.message);
    const m = parseNumber(units.value, UNITS);
    if (!m.ok) return bad(units, m.message);
    const p = parseNumber(rate.value, RATE);
    if (!p.ok) return bad(rate, p.message);
    const s = parseNumber(seed.value, SEED);
    if (!s.ok) return bad(seed, s.message);
    const mode = this.querySelector<HTMLInputElement>('input[name="mode"]:checked')?.value;
    return { x: x.value, units: m.value, p: p.value, seed: s.value, training: mode !== 'eval' };
  }

  private say(text: string) {
    this.find('.status').textContent = text;
  }

  /** Re-read the controls; a new layer, rate or seed starts a new mask stream with one mask drawn. */
  private update() {
    const message = this.find('.message');
    const settings = this.read();
    const error = typeof settings === 'string' ? settings : '';
    message.hidden = !error;
    message.textContent = error;
    this.find('.output').toggleAttribute('data-stale', !!error);
    this.querySelectorAll<HTMLButtonElement>('.actions button').forEach((b) => (b.disabled = !!error));
    if (typeof settings === 'string') {
      this.playing = false;
      this.syncPlayback();
      return;
    }
    this.settings = settings;
    const key = JSON.stringify([settings.x, settings.units, settings.p, settings.seed]);
    if (key !== this.streamKey || !this.stream) {
      this.streamKey = key;
      const h = hiddenActivations(layerWeights(settings.units, settings.x.length), settings.x);
      this.stream = new MaskStream(h, settings.p, settings.seed);
      this.stream.draw();
    }
    this.render();
  }

  private render() {
    const s = this.settings;
    const stream = this.stream;
    if (!s || !stream || !stream.last) return;
    const weights = layerWeights(s.units, s.x.length);
    const h = stream.h as number[];
    const draw = stream.last;
    const mask = s.training ? draw.mask : h.map(() => true);
    const output = s.training ? draw.output : h.slice();
    const scale = s.training ? draw.scale : 1;
    const kept = mask.filter(Boolean).length;
    const k = stream.count;

    this.find('.scale').textContent = s.training
      ? s.p === 1
        ? 'p = 1 drops every unit: the output is all zeros, as in PyTorch, and no factor can restore it.'
        : `Survivors are multiplied by 1/(1 − p) = 1/(1 − ${s.p}) = ${scale.toFixed(3)}.`
      : 'Eval mode (model.eval()): dropout is the identity, nothing is dropped or scaled.';

    const droppedList = mask.flatMap((m, j) => (m ? [] : [`y${j + 1}`]));
    const summary = s.training
      ? `Training mode, p = ${s.p}, mask ${k.toLocaleString('en')}: ${kept} of ${h.length} units kept` +
        (droppedList.length ? `, dropped ${droppedList.join(', ')}.` : ', none dropped.')
      : `Eval mode: all ${h.length} units pass through unchanged.`;
    this.find('.summary').textContent = summary;

    const svg = this.find<SVGSVGElement>('svg.diagram');
    drawDiagram(svg, { x: s.x, weights, h, mask, output, scale, training: s.training });
    svg.setAttribute(
      'aria-label',
      `Diagram of ${s.x.length} inputs, ${h.length} hidden units and their dropout outputs. ${summary}`,
    );

    this.find('.mask-table caption').textContent = s.training
      ? `Mask ${k.toLocaleString('en')} (seed ${s.seed}): what dropout does to each hidden unit`
      : 'Eval mode: what dropout does to each hidden unit';
    this.find('.mask-table tbody').replaceChildren(
      ...h.map((v, j) =>
        row(
          [`h${j + 1}`, fmt(v), mask[j] ? 'kept' : 'dropped', fmt(output[j])],
          mask[j] ? undefined : 'dropped',
        ),
      ),
    );

    const means = stream.means();
    const shares = stream.keptShares();
    this.find('.mean-table caption').textContent =
      `Training mode averaged over ${k.toLocaleString('en')} mask${k === 1 ? '' : 's'} vs eval mode`;
    this.find('.mean-table tbody').replaceChildren(
      ...h.map((v, j) =>
        row([`h${j + 1}`, fmt(v), fmt(means[j]), fmt(means[j] - v), `${(shares[j] * 100).toFixed(1)} %`]),
      ),
    );
    const worst = Math.max(...h.map((v, j) => Math.abs(means[j] - v)));
    const se = Math.max(...h.map((v) => standardError(v, s.p, k)));
    this.find('.mean-note').textContent =
      s.p === 1
        ? 'With p = 1 every output is 0, so the average is 0, not h: the scale 1/(1 − p) does not exist.'
        : s.p === 0
          ? 'With p = 0 nothing is dropped: every training output equals the eval output exactly.'
          : `Largest gap after ${k.toLocaleString('en')} mask${k === 1 ? '' : 's'}: ${fmt(worst)}. One training output has ` +
            `spread |h|·√(p/(1 − p)); the average of ${k.toLocaleString('en')} has a standard error of ` +
            `at most ${fmt(se)}, so the gap shrinks like 1/√k and the mean matches eval mode in expectation.`;

    this.find('.weights-table tbody').replaceChildren(
      ...weights.map((r, j) => row([`h${j + 1}`, ...r.map((w) => w.toFixed(2))])),
    );
    const head = this.find('.weights-table thead tr');
    head.replaceChildren(
      ...['unit', ...s.x.map((_, i) => `x${i + 1}`)].map((c) => tableCell('th', c, 'col')),
    );
  }

  /** Run the play loop only while playing, on screen and in a visible tab. */
  private syncPlayback() {
    this.loop?.sync();
    // While masks stream in, the summary would be read out several times a second: muted meanwhile.
    showPlayState(this.playing, this.querySelector('.play'), this.querySelector('.summary'));
  }
}

if (!customElements.get('dropout-visualizer')) customElements.define('dropout-visualizer', DropoutVisualizer);
