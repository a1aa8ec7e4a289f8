/**
 * The <surface-fitting> custom element. Play runs gradient-descent iterations on requestAnimationFrame at
 * the chosen speed; the loop stops while the widget is off-screen or the tab is hidden, never starts by
 * itself (prefers-reduced-motion or not), and every listener, observer and frame is removed on disconnect.
 */
import { colorScale, drawErrors, paintHeatmap, setupHeatmaps } from './chart';
import {
  GRID,
  TARGETS,
  createDemo,
  fmt,
  initialState,
  isTarget,
  maxDifference,
  parseLr,
  recoveryLr,
  step,
  type Demo,
  type TrainerState,
} from './model';
import { WidgetElement } from '../shared/widget-element';
import { integerExtra } from '../shared/share-state';

/** At most this many iterations per animation frame (a slow frame must not cause a burst). */
const MAX_PER_FRAME = 4;

class SurfaceFitting extends WidgetElement {
  private demo: Demo | null = null;
  private state: TrainerState | null = null;
  private color: (v: number) => string = () => '';
  private playing = false;
  private visible = true;
  private frame = 0;
  private last = 0;
  private due = 0;
  private observer: IntersectionObserver | null = null;

  private tick = (now: number) => this.onFrame(now);

  connectedCallback() {
    this.listen(this, 'input', (e) => this.handleInput(e));
    this.listen(this, 'click', (e) => this.handleClick(e));
    this.listen(this, 'submit', (e) => e.preventDefault());
    this.listen(document, 'visibilitychange', () => this.sync());
    this.observer = new IntersectionObserver((entries) => {
      this.visible = entries.some((e) => e.isIntersecting);
      this.sync();
    });
    this.observer.observe(this);
    this.querySelectorAll<HTMLButtonElement>('.actions button').forEach((b) => (b.disabled = false));
    this.load();
    // Shared: the settings and the iterations taken (replayed at the shared learning rate on load).
    this.shareState(
      ['target', 'lr', 'speed'],
      integerExtra(
        1,
        10_000,
        () => this.state?.iteration || undefined,
        (n) => this.advance(n - (this.state?.iteration ?? 0)),
      ),
    );
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = null;
    this.playing = false;
    this.sync();
  }

  /** The typed learning rate, or null after showing why it is not usable. */
  private lr(): number | null {
    const input = this.find<HTMLInputElement>('input[name="lr"]');
    const r = parseLr(input.value);
    const message = this.find<HTMLElement>('.message');
    input.setAttribute('aria-invalid', String(!r.ok));
    message.hidden = r.ok;
    message.textContent = r.ok ? '' : r.message;
    return r.ok ? r.value : null;
  }

  /** (Re)build the problem for the selected target and reset to the rough initial surface. */
  private load() {
    const id = this.find<HTMLSelectElement>('select[name="target"]').value;
    const target = isTarget(id) ? id : 'sin-cos';
    this.demo = createDemo(target);
    const t = this.demo.problem.target;
    this.color = colorScale(Math.max(...t.flat().map(Math.abs)));
    const svg = this.find<SVGSVGElement>('svg.heatmaps');
    setupHeatmaps(svg, GRID.n, TARGETS.find((x) => x.id === target)?.label ?? target);
    paintHeatmap(svg, 'target', t, this.color);
    this.find('.stable').textContent = fmt(this.demo.stableLr, 3);
    this.reset();
  }

  private reset() {
    if (!this.demo) return;
    this.setPlaying(false);
    this.state = initialState(this.demo);
    this.find<HTMLElement>('.diverged').hidden = true;
    this.render('Reset to the rough initial surface.');
    this.stateChanged();
  }

  private handleInput(e: Event) {
    const name = (e.target as HTMLElement).getAttribute('name');
    if (name === 'target') this.load();
    else if (name === 'lr' && this.lr() === null) this.setPlaying(false);
    else if (name === 'speed') this.due = 0;
  }

  private handleClick(e: Event) {
    const action = (e.target as HTMLElement).closest<HTMLElement>('[data-action]')?.dataset.action;
    if (action === 'play') this.setPlaying(!this.playing);
    else if (action === 'step') {
      this.setPlaying(false);
      this.advance(1);
    } else if (action === 'reset') this.reset();
    else if (action === 'recover' && this.demo) {
      const lr = this.lr() ?? 1;
      this.find<HTMLInputElement>('input[name="lr"]').value = String(recoveryLr(lr, this.demo.stableLr));
      this.lr();
      this.reset();
      this.find<HTMLButtonElement>('[data-action="play"]').focus();
    }
  }

  private setPlaying(on: boolean) {
    if (on && (this.lr() === null || this.state?.status !== 'ready')) on = false;
    this.playing = on;
    const b = this.find<HTMLButtonElement>('[data-action="play"]');
    b.textContent = on ? 'Pause' : 'Play';
    b.setAttribute('aria-pressed', String(on));
    // while playing, the status changes many times a second: do not flood screen readers
    this.find('.status').setAttribute('aria-live', on ? 'off' : 'polite');
    if (!on && this.state) this.render();
    this.sync();
  }

  /**
   * Run the frame loop only while playing, on screen and in a visible tab. `continuing` is true when
   * the loop schedules its own next frame: the iteration budget then carries over instead of restarting.
   */
  private sync(continuing = false) {
    const run = this.playing && this.visible && document.visibilityState === 'visible' && this.isConnected;
    if (run && !this.frame) {
      if (!continuing) {
        this.last = performance.now();
        this.due = 0;
      }
      this.frame = requestAnimationFrame(this.tick);
    } else if (!run && this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
  }

  private onFrame(now: number) {
    this.frame = 0;
    const speed = Number(this.find<HTMLSelectElement>('select[name="speed"]').value) || 10;
    this.due = Math.min(this.due + ((now - this.last) / 1000) * speed, MAX_PER_FRAME);
    this.last = now;
    const n = Math.floor(this.due);
    if (n > 0) {
      this.due -= n;
      this.advance(n);
    }
    this.sync(true);
  }

  /** Take k iterations (stopping at divergence or convergence) and redraw once. */
  private advance(k: number) {
    const lr = this.lr();
    if (!this.demo || !this.state || lr === null) return;
    if (this.state.status !== 'ready') {
      this.render();
      return;
    }
    for (let i = 0; i < k && this.state.status === 'ready'; i++) this.state = step(this.demo, this.state, lr);
    if (this.state.status !== 'ready') this.setPlaying(false);
    this.render();
    this.stateChanged();
  }

  private render(note = '') {
    const s = this.state;
    const demo = this.demo;
    if (!s || !demo) return;
    paintHeatmap(this.find('svg.heatmaps'), 'model', s.surface, this.color);
    drawErrors(this.find('svg.errors'), s.errors, s.divergedAt);
    const diff = maxDifference(s.surface, demo.problem.target);
    const lr = this.lr();
    let text = `Iteration ${s.iteration}: error (MSE over ${GRID.n * GRID.n} grid points) ${fmt(s.error, 6)}, largest |model − target| ${fmt(diff)}.`;
    if (s.status === 'converged') text += ' Converged: the error no longer changes.';
    if (s.status === 'max-iterations')
      text += ' Stopped after the maximum number of iterations; press Reset.';
    this.find('.status').textContent = note ? `${note} ${text}` : text;
    const box = this.find<HTMLElement>('.diverged');
    if (s.status === 'diverged' && lr !== null) {
      const prev = s.errors[s.errors.length - 1 - Math.min(3, s.errors.length - 1)];
      const suggestion = recoveryLr(lr, demo.stableLr);
      this.find('.diverged-text').textContent =
        `Diverged at iteration ${s.divergedAt}: the error grew from ${fmt(prev)} to ${fmt(s.error)} ` +
        `(${Number.isFinite(s.error) ? 'growing step after step' : 'it overflowed'}). The learning rate ${lr} is too ` +
        `large: this model needs less than 2/λmax = ${fmt(demo.stableLr, 3)}.`;
      this.find('[data-action="recover"]').textContent = `Reset with learning rate ${suggestion}`;
      box.hidden = false;
    } else box.hidden = true;
  }
}

customElements.define('surface-fitting', SurfaceFitting);
