import type { MqttClient } from 'mqtt';
import type { DiskQueue } from './disk-queue';

const PUBLISH_OPTIONS = { qos: 1 } as const;

/** Messages published but not yet acknowledged at once; enough to keep a loopback or WAN link busy. */
const DEFAULT_WINDOW = 1_000;

export interface UplinkStats {
  published: number;
  acknowledged: number;
  resent: number;
}

/**
 * Store and forward to the central broker: every message goes through the disk queue and is published at
 * QoS 1 in queue order, with a window of messages in flight; a message leaves the queue only when the broker
 * has acknowledged it and every older one. After a lost connection the unacknowledged ones are sent again
 * (the server drops the resulting duplicates by observation id).
 */
export class Uplink {
  private nextSeq = 0; // sequence number of the next message to publish (0: from the head)
  private inFlight = 0;
  private readonly acked = new Set<number>();
  private generation = 0;
  readonly stats: UplinkStats = { published: 0, acknowledged: 0, resent: 0 };

  constructor(
    private readonly client: MqttClient,
    private readonly queue: DiskQueue,
    private readonly window = DEFAULT_WINDOW,
  ) {
    client.on('connect', () => this.pump());
    client.on('close', () => this.rewind());
  }

  /** Queues a message and sends it as soon as the link allows. */
  send(topic: string, payload: string): void {
    this.queue.append(topic, payload);
    this.pump();
  }

  get backlog(): number {
    return this.queue.length;
  }

  /** Index in the queue of the next message to publish (the head moves as messages are acknowledged or dropped). */
  private cursor(): number {
    const head = this.queue.at(0);
    return head ? Math.max(0, this.nextSeq - head.seq) : 0;
  }

  private pump(): void {
    let i = this.cursor();
    // A client that is disconnecting fails each publish at once, calling back before publish returns.
    while (this.client.connected && !this.client.disconnecting && this.inFlight < this.window && i < this.queue.length) {
      const msg = this.queue.at(i++)!;
      this.nextSeq = msg.seq + 1;
      const generation = this.generation;
      this.inFlight++;
      this.stats.published++;
      this.client.publish(msg.topic, msg.payload, PUBLISH_OPTIONS, (err) => {
        if (generation === this.generation) this.inFlight--;
        if (err) return; // sent again after the reconnection (rewind)
        this.acknowledge(msg.seq);
        this.pump();
      });
    }
  }

  private acknowledge(seq: number): void {
    this.stats.acknowledged++;
    this.acked.add(seq);
    let head = this.queue.at(0);
    while (head && this.acked.has(head.seq)) {
      this.acked.delete(head.seq);
      this.queue.ackThrough(head.seq);
      head = this.queue.at(0);
    }
    // Acks for messages the bound already dropped would otherwise stay forever.
    if (this.acked.size > this.window * 4) for (const seq of this.acked) if (!head || seq < head.seq) this.acked.delete(seq);
  }

  /** The connection is gone: what was in flight is sent again after reconnecting. */
  private rewind(): void {
    this.generation++;
    this.stats.resent += this.cursor();
    this.inFlight = 0;
    this.nextSeq = 0;
  }
}
