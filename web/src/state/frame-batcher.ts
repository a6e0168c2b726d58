/** Schedules a callback on the next animation frame; a real or a test clock. */
export type FrameScheduler = (callback: () => void) => void;

const nextAnimationFrame: FrameScheduler = (callback) => {
  requestAnimationFrame(() => callback());
};

/**
 * Coalesces any number of `request()` calls into one `flush` per animation
 * frame, so a burst of socket batches costs one redraw (traccar-web's lesson).
 */
export class FrameBatcher {
  readonly #flush: () => void;
  readonly #schedule: FrameScheduler;
  #pending = false;

  constructor(flush: () => void, schedule: FrameScheduler = nextAnimationFrame) {
    this.#flush = flush;
    this.#schedule = schedule;
  }

  /** True while a flush is scheduled and has not run yet. */
  get pending(): boolean {
    return this.#pending;
  }

  /** Ask for a flush on the next frame; repeated asks before it collapse into one. */
  request(): void {
    if (this.#pending) return;
    this.#pending = true;
    this.#schedule(() => {
      if (this.#pending) this.flushNow();
    });
  }

  /** Flush immediately (and cancel the scheduled flush, if any). */
  flushNow(): void {
    this.#pending = false;
    try {
      this.#flush();
    } catch (error) {
      console.error('frame flush failed', error);
    }
  }
}
