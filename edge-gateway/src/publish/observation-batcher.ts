import { MAX_OBSERVATIONS_PER_MESSAGE } from '@seawall/contracts';

/** A batch stays well under the broker's and the server's message limits. */
const MAX_BATCH_BYTES = 256 * 1024;

/**
 * Gathers the observations one turn of the gateway's input yielded, by topic, into `obs/v1` messages: one
 * observation alone as itself (a JSON object), several of one topic as a JSON array of them, in order, at most
 * MAX_OBSERVATIONS_PER_MESSAGE and MAX_BATCH_BYTES each. A busy receiver then costs the broker, the uplink
 * and the server one message per turn instead of one per report; a quiet one costs no delay, since the turn
 * ends at once.
 */
export class ObservationBatcher {
  private byTopic = new Map<string, string[]>();

  /** An observation, serialised, for `topic`. */
  add(topic: string, json: string): void {
    const list = this.byTopic.get(topic);
    if (list) list.push(json);
    else this.byTopic.set(topic, [json]);
  }

  get empty(): boolean {
    return this.byTopic.size === 0;
  }

  /** The messages of everything added since the last drain, in the order added per topic. */
  drain(): { topic: string; payload: string }[] {
    const out: { topic: string; payload: string }[] = [];
    for (const [topic, list] of this.byTopic) {
      let start = 0;
      while (start < list.length) {
        let end = start;
        let bytes = 2;
        while (end < list.length && end - start < MAX_OBSERVATIONS_PER_MESSAGE && (end === start || bytes + list[end]!.length + 1 <= MAX_BATCH_BYTES)) {
          bytes += list[end]!.length + 1;
          end++;
        }
        out.push({ topic, payload: end - start === 1 ? list[start]! : `[${list.slice(start, end).join(',')}]` });
        start = end;
      }
    }
    this.byTopic = new Map();
    return out;
  }
}
