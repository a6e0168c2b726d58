import { describe, expect, it } from 'vitest';
import { FrameBatcher } from './frame-batcher';

function manualFrames(): { schedule: (cb: () => void) => void; runFrame: () => void } {
  let queue: (() => void)[] = [];
  return {
    schedule: (cb) => queue.push(cb),
    runFrame: () => {
      const due = queue;
      queue = [];
      for (const cb of due) cb();
    },
  };
}

describe('FrameBatcher', () => {
  it('many requests within one frame flush once', () => {
    const frames = manualFrames();
    let flushes = 0;
    const batcher = new FrameBatcher(() => (flushes += 1), frames.schedule);
    for (let i = 0; i < 50; i++) batcher.request();
    frames.runFrame();
    expect(flushes).toBe(1);
    batcher.request();
    frames.runFrame();
    expect(flushes).toBe(2);
  });

  it('flushNow runs at once and the scheduled frame then does nothing more', () => {
    const frames = manualFrames();
    let flushes = 0;
    const batcher = new FrameBatcher(() => (flushes += 1), frames.schedule);
    batcher.request();
    batcher.flushNow();
    expect(batcher.pending).toBe(false);
    frames.runFrame();
    expect(flushes).toBe(1);
  });
});
