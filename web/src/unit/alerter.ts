/**
 * Sound and vibration for a new order. Browsers let a page make sound only after the person has touched it,
 * so the audio context is created on the first touch or key (`unlock`) and the page shows a hint until then.
 */
export class Alerter {
  #ctx: AudioContext | null = null;
  readonly #onReadyChange: (ready: boolean) => void;

  constructor(onReadyChange: (ready: boolean) => void = () => undefined) {
    this.#onReadyChange = onReadyChange;
    const unlock = () => {
      this.unlock();
      if (this.ready) {
        window.removeEventListener('pointerdown', unlock, true);
        window.removeEventListener('keydown', unlock, true);
      }
    };
    window.addEventListener('pointerdown', unlock, true);
    window.addEventListener('keydown', unlock, true);
  }

  /** True once sound can play. */
  get ready(): boolean {
    return this.#ctx?.state === 'running';
  }

  /** Call from a touch or key handler: creates or resumes the audio context. */
  unlock(): void {
    try {
      this.#ctx ??= new AudioContext();
      if (this.#ctx.state === 'suspended') void this.#ctx.resume().then(() => this.#onReadyChange(this.ready));
      this.#onReadyChange(this.ready);
    } catch (error) {
      console.warn('no audio', error);
    }
  }

  /** Two short high beeps and the phone's buzz (200 ms, pause, 200 ms). */
  newOrder(): void {
    this.#beep([0, 0.3], 880);
    try {
      navigator.vibrate?.([200, 100, 200]);
    } catch {
      // Vibration is a nicety: some browsers refuse it before the first touch.
    }
  }

  #beep(startsS: number[], hz: number): void {
    const ctx = this.#ctx;
    if (!ctx || ctx.state !== 'running') return;
    for (const start of startsS) {
      const t = ctx.currentTime + start;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.3, t + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.22);
    }
  }
}
