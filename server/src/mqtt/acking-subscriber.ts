import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import mqttPacket, { type Packet } from 'mqtt-packet';
import type { Logger } from 'pino';

/** A QoS 1 delivery: its acknowledgement is sent by `acknowledge`, when the caller says so. */
export interface Delivery {
  /** The connection it arrived on: an acknowledgement is only meaningful there. */
  connection: number;
  messageId: number;
}

export interface AckingSubscriberOptions {
  url: string;
  clientId: string;
  filter: string;
  log: Logger;
  /** `qos 1` deliveries carry a Delivery; `qos 0` ones none. */
  onMessage(topic: string, payload: Buffer, delivery: Delivery | null): void;
  /** The connection ended (its unacknowledged deliveries will come again on the next). */
  onConnectionLost?(): void;
  onConnected?(): void;
  keepaliveS?: number;
  reconnectMs?: number;
  connectTimeoutMs?: number;
}

const PROTOCOL_VERSION = 4; // MQTT 3.1.1: what Mosquitto, aedes and every edge broker speak

/**
 * A persistent-session MQTT subscriber whose acknowledgements the caller sends, in bulk, when it is ready.
 * mqtt.js sends each PUBACK as soon as its message handler returns, and holding its callback stalls the
 * connection; here the messages flow and the acknowledgements follow what was made durable (ack-after-commit).
 * It reconnects by itself; a clean session is never asked for, so the broker keeps what arrives meanwhile.
 */
export class AckingSubscriber {
  private socket: Socket | null = null;
  private connection = 0;
  private isConnected = false;
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private lastInbound = 0;
  private readonly keepaliveS: number;
  private readonly url: URL;

  constructor(private readonly opts: AckingSubscriberOptions) {
    this.keepaliveS = opts.keepaliveS ?? 30;
    this.url = new URL(opts.url);
    if (!['mqtt:', 'tcp:', 'mqtts:', 'ssl:', 'tls:'].includes(this.url.protocol)) throw new Error(`unsupported MQTT URL scheme ${this.url.protocol}`);
    this.open();
  }

  connected(): boolean {
    return this.isConnected;
  }

  /** Sends PUBACKs for these deliveries, in one write; those of an earlier connection are skipped. */
  acknowledge(deliveries: readonly number[], connection: number): void {
    if (deliveries.length === 0 || connection !== this.connection || !this.isConnected || !this.socket) return;
    const buf = Buffer.allocUnsafe(4 * deliveries.length);
    for (let i = 0; i < deliveries.length; i++) {
      const id = deliveries[i]!;
      buf[4 * i] = 0x40; // PUBACK
      buf[4 * i + 1] = 0x02;
      buf[4 * i + 2] = id >> 8;
      buf[4 * i + 3] = id & 0xff;
    }
    this.socket.write(buf);
  }

  /** The current connection's number (see Delivery). */
  get connectionNumber(): number {
    return this.connection;
  }

  /** Stops reading: what the broker sends from now on waits in the socket, unacknowledged, for the next session. */
  pause(): void {
    this.socket?.pause();
  }

  /** Disconnects cleanly; unacknowledged deliveries stay with the broker's session. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pingTimer);
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 2_000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (this.isConnected) socket.end(mqttPacket.generate({ cmd: 'disconnect' }));
      else socket.destroy();
    });
  }

  private open(): void {
    const connection = ++this.connection;
    const { url, opts } = this;
    const port = Number(url.port) || (url.protocol === 'mqtt:' || url.protocol === 'tcp:' ? 1883 : 8883);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const tls = url.protocol !== 'mqtt:' && url.protocol !== 'tcp:';
    const socket = tls ? tlsConnect({ host, port, servername: host }) : netConnect({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    const parser = mqttPacket.parser({ protocolVersion: PROTOCOL_VERSION });
    const connectTimer = setTimeout(() => {
      opts.log.warn({ url: opts.url }, 'MQTT connect timed out');
      socket.destroy();
    }, opts.connectTimeoutMs ?? 5_000);

    socket.once(tls ? 'secureConnect' : 'connect', () => {
      socket.write(
        mqttPacket.generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: PROTOCOL_VERSION,
          clientId: opts.clientId,
          clean: false,
          keepalive: this.keepaliveS,
          ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
          ...(url.password ? { password: Buffer.from(decodeURIComponent(url.password)) } : {}),
        }),
      );
    });
    parser.on('packet', (packet: Packet) => this.onPacket(packet, connection, connectTimer));
    parser.on('error', (err: Error) => {
      opts.log.warn({ err: err.message }, 'malformed MQTT packet from the broker; reconnecting');
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      this.lastInbound = Date.now();
      parser.parse(chunk);
    });
    socket.on('error', (err) => opts.log.warn({ err: err.message }, 'MQTT connection error'));
    socket.once('close', () => {
      clearTimeout(connectTimer);
      clearInterval(this.pingTimer);
      const was = this.isConnected;
      this.isConnected = false;
      if (this.socket === socket) this.socket = null;
      if (was) opts.onConnectionLost?.();
      if (!this.closing) this.reconnectTimer = setTimeout(() => this.open(), opts.reconnectMs ?? 1_000);
    });
  }

  private onPacket(packet: Packet, connection: number, connectTimer: NodeJS.Timeout): void {
    if (connection !== this.connection) return;
    const { opts } = this;
    switch (packet.cmd) {
      case 'connack': {
        clearTimeout(connectTimer);
        if (packet.returnCode !== 0) {
          opts.log.error({ url: opts.url, returnCode: packet.returnCode }, 'the MQTT broker refused the connection');
          this.socket?.destroy();
          return;
        }
        this.isConnected = true;
        this.startKeepalive();
        // Subscribed again even when the broker kept the session: harmless, and right after a broker restart
        // without persistence.
        this.socket?.write(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: opts.filter, qos: 1 }] }));
        opts.log.info({ url: opts.url, sessionPresent: packet.sessionPresent }, 'connected to MQTT broker');
        opts.onConnected?.();
        return;
      }
      case 'suback':
        if (packet.granted.some((g) => typeof g === 'number' && g >= 0x80)) opts.log.error({ filter: opts.filter }, 'the broker refused the subscription');
        return;
      case 'publish': {
        if (packet.qos === 2) {
          // Never asked for (the subscription is QoS 1); answering QoS 2 half-way would leave it stuck.
          opts.log.warn({ topic: packet.topic }, 'QoS 2 delivery on a QoS 1 subscription; ignored');
          return;
        }
        const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        opts.onMessage(packet.topic, payload, packet.qos === 1 ? { connection, messageId: packet.messageId! } : null);
        return;
      }
      default:
        return; // pingresp, and nothing else is expected
    }
  }

  private startKeepalive(): void {
    clearInterval(this.pingTimer);
    const socket = this.socket;
    const periodMs = (this.keepaliveS * 1000) / 2;
    this.lastInbound = Date.now();
    this.pingTimer = setInterval(() => {
      if (!socket || socket.destroyed) return;
      if (Date.now() - this.lastInbound > this.keepaliveS * 1500) {
        this.opts.log.warn('MQTT broker silent past the keepalive; reconnecting');
        socket.destroy();
        return;
      }
      socket.write(mqttPacket.generate({ cmd: 'pingreq' }));
    }, periodMs);
  }
}
