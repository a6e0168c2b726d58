// A minimal MQTT 3.1.1 publisher for the load generator: QoS 1, packets built straight into one buffer per
// tick and written with one call, PUBACKs counted. The load generator shares the machine with what it
// measures, so it should cost as little as possible; it is the same for the reference and for Seawall.
import { connect, type Socket } from 'node:net';

const MAX_IN_FLIGHT = 65_000;

export class RawPublisher {
  private nextId = 1;
  private pending = Buffer.alloc(0);
  /** Packet ids published and not yet acknowledged. */
  private readonly open = new Uint8Array(65_536);
  inFlight = 0;
  published = 0;
  acknowledged = 0;

  private constructor(private readonly socket: Socket) {}

  static async connect(url: string, clientId: string): Promise<RawPublisher> {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port || 1883), noDelay: true });
    const pub = new RawPublisher(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('connect', () => {
        const id = Buffer.from(clientId, 'utf8');
        // CONNECT: protocol "MQTT" level 4, clean session, keep-alive 0 (off), client id.
        const variable = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 0, id.length >> 8, id.length & 0xff]);
        const body = Buffer.concat([variable, id]);
        socket.write(Buffer.concat([Buffer.from([0x10, ...remainingLength(body.length)]), body]));
      });
      let connected = false;
      socket.on('data', (chunk: Buffer) => {
        if (!connected) {
          if (chunk[0] !== 0x20 || chunk[3] !== 0) return reject(new Error(`CONNACK refused: ${chunk.toString('hex')}`));
          connected = true;
          chunk = chunk.subarray(4);
          resolve();
        }
        pub.onData(chunk);
      });
    });
    return pub;
  }

  /** Packet ids free for new messages (MQTT has 65,535; a few are kept spare). */
  get capacity(): number {
    return MAX_IN_FLIGHT - this.inFlight;
  }

  /** Publishes each (topic, payload) at QoS 1, in one write. Payloads are ASCII. At most `capacity` of them. */
  publish(topics: string[], payloads: string[]): void {
    if (payloads.length > this.capacity) throw new Error(`${payloads.length} messages but packet ids for ${this.capacity}`);
    let size = 0;
    for (let i = 0; i < payloads.length; i++) {
      const rem = 2 + topics[i]!.length + 2 + payloads[i]!.length;
      size += 1 + remainingLength(rem).length + rem;
    }
    const buf = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = 0; i < payloads.length; i++) {
      const topic = topics[i]!;
      const payload = payloads[i]!;
      const rem = 2 + topic.length + 2 + payload.length;
      buf[at++] = 0x32;
      for (const b of remainingLength(rem)) buf[at++] = b;
      buf.writeUInt16BE(topic.length, at);
      at += 2;
      at += buf.write(topic, at, 'latin1');
      let id = this.nextId;
      while (this.open[id]) id = id === 65_535 ? 1 : id + 1; // never reuse an id still in flight
      this.nextId = id === 65_535 ? 1 : id + 1;
      this.open[id] = 1;
      buf.writeUInt16BE(id, at);
      at += 2;
      at += buf.write(payload, at, 'latin1');
    }
    this.inFlight += payloads.length;
    this.published += payloads.length;
    this.socket.write(buf);
  }

  private onData(chunk: Buffer): void {
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    while (at + 2 <= data.length) {
      let len = 0;
      let mul = 1;
      let p = at + 1;
      let complete = false;
      while (p < data.length) {
        const b = data[p++]!;
        len += (b & 0x7f) * mul;
        mul *= 128;
        if ((b & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || p + len > data.length) break;
      if (data[at]! >> 4 === 4 && len === 2) {
        const id = data.readUInt16BE(p);
        if (this.open[id]) {
          this.open[id] = 0;
          this.inFlight--;
          this.acknowledged++;
        }
      }
      at = p + len;
    }
    this.pending = at < data.length ? Buffer.from(data.subarray(at)) : Buffer.alloc(0);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.end(Buffer.from([0xe0, 0]), () => resolve()));
    this.socket.destroy();
  }
}

function remainingLength(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}
