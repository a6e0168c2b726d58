/** Recording the scenario as a raw feed file (the format `seawall replay` reads, see feed-line.ts). */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { formatFeedLine } from './feed-line';
import { type ScenarioOptions, scenarioMessages } from './hainan-scenario';

export { feedPayload, formatFeedLine } from './feed-line';

/** How much of the scenario is generated at a time while writing a feed. */
const CHUNK_MS = 3_600_000;

/**
 * Records the scenario between `fromMs` and `toMs` to a JSONL feed file that `seawall replay` reads,
 * an hour at a time, as if the scenario had been switched on at `fromMs` (options.startMs); returns the
 * number of lines written.
 */
export async function writeScenarioFeed(path: string, fromMs: number, toMs: number, options: ScenarioOptions = {}): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = once(out, 'error').then(([err]) => Promise.reject(err as Error));
  failed.catch(() => {});
  let lines = 0;
  try {
    for (let from = fromMs; from < toMs; from += CHUNK_MS) {
      const chunk = scenarioMessages(from, Math.min(toMs, from + CHUNK_MS), { startMs: fromMs, ...options });
      lines += chunk.length;
      const text = chunk.map((m) => `${formatFeedLine(m)}\n`).join('');
      if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
    }
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } finally {
    out.destroy();
  }
  return lines;
}
