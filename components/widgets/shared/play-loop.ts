/** What a PlayLoop asks of its widget. */
export interface PlayLoopHooks {
  /** Whether the widget is playing (its Play/Pause state). */
  playing: () => boolean;
  /** A further condition for frames to be requested at all (e.g. "not diverged"); default: always. */
  canRun?: () => boolean;
  /** Checked first at every frame; false ends the loop there (default: playing()). */
  keepGoing?: () => boolean;
  /** Milliseconds between beats; read at every frame, so a change of reduced motion takes effect at once. */
  interval: (reducedMotion: boolean) => number;
  /** One beat of the animation. */
  beat: () => void;
  /** The host scrolled on or off screen: the widget re-syncs (and updates its Play button). */
  onScreenChange: () => void;
}

/**
 * A widget's Play loop on requestAnimationFrame: a beat every interval() ms, the first one at once, and frames
 * only while playing, with the host on screen and the tab visible. Call sync() whenever one of those may have
 * changed, and dispose() on disconnect.
 */
export class PlayLoop {
  private frame = 0;
  private lastTick = 0;
  private onScreen = true;
  private observer: IntersectionObserver | null;
  private readonly reduced = matchMedia('(prefers-reduced-motion: reduce)');

  constructor(
    host: Element,
    private readonly hooks: PlayLoopHooks,
  ) {
    this.observer = new IntersectionObserver((entries) => {
      this.onScreen = entries.some((e) => e.isIntersecting);
      hooks.onScreenChange();
    });
    this.observer.observe(host);
  }

  /** Request or cancel frames to match the playing state, the host's visibility and the tab's. */
  sync(): void {
    const run =
      this.hooks.playing() &&
      (this.hooks.canRun?.() ?? true) &&
      this.onScreen &&
      document.visibilityState === 'visible';
    if (run && !this.frame) {
      this.lastTick = performance.now() - 60_000; // the first beat comes at once
      this.frame = requestAnimationFrame(this.tick);
    } else if (!run && this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
  }

  /** Stop for good: no more frames, no more visibility reports. */
  dispose(): void {
    this.observer?.disconnect();
    this.observer = null;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private tick = (now: number) => {
    this.frame = 0;
    if (!(this.hooks.keepGoing ?? this.hooks.playing)()) return;
    if (now - this.lastTick >= this.hooks.interval(this.reduced.matches)) {
      this.lastTick = now;
      this.hooks.beat();
    }
    // The beat may have stopped playback (or re-synced); otherwise keep the loop going.
    if (this.hooks.playing() && !this.frame) this.frame = requestAnimationFrame(this.tick);
  };
}

/**
 * Show a Play loop's state: the Play button reads "Pause" while playing, and the live region that the beats
 * update goes quiet meanwhile (it would be read out at every beat), speaking again once paused.
 */
export function showPlayState(
  playing: boolean,
  playButton: Element | null,
  liveRegion: Element | null,
): void {
  if (playButton) playButton.textContent = playing ? 'Pause' : 'Play';
  liveRegion?.setAttribute('aria-live', playing ? 'off' : 'polite');
}
