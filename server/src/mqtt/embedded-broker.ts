import { createServer, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import type { Logger } from 'pino';
import { createAccessControl, type RefusalCounter } from './access-control';
import { loadMqttUsers } from './identities';

export interface EmbeddedBroker {
  /** The broker's address, without credentials: what other processes connect to (with their own). */
  url: string;
  /**
   * The address for the server's own client in this process: with the broker's in-memory server
   * identity when access control is on, else the same as `url`. Never log it unredacted.
   */
  ownUrl: string;
  /** True when the broker authenticates clients and enforces topic rights (an identity file was given). */
  accessControl: boolean;
  clientCount(): number;
  close(): Promise<void>;
}

export interface EmbeddedBrokerOptions {
  /**
   * The identity file (`MQTT_USERS_PATH`, see `identities.ts`): when given, every client must log in as
   * one of its identities and may use only that identity's topics. Without it the broker is open.
   */
  usersPath?: string | undefined;
  /** Counts refusals (`seawall_server_mqtt_refused_total`). */
  refused?: RefusalCounter;
}

/** An in-process MQTT broker (aedes) on TCP, for running without Mosquitto. Port 0 picks a free port. */
export async function startEmbeddedBroker(host: string, port: number, log: Logger, opts: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const users = opts.usersPath ? loadMqttUsers(opts.usersPath) : undefined;
  const access = users ? await createAccessControl(users, opts.refused, log) : undefined;
  const broker = await Aedes.createBroker(access?.hooks ?? {});
  access?.install(broker);
  broker.on('clientError', (client, err) => log.debug({ clientId: client.id, err: err.message }, 'mqtt client error'));
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `mqtt://${host}:${boundPort}`;
  let ownUrl = url;
  if (access) {
    const u = new URL(url);
    u.username = access.internal.username;
    u.password = access.internal.password;
    ownUrl = u.toString();
    log.info({ url, identities: users!.length, usersPath: opts.usersPath }, 'embedded MQTT broker listening; clients must authenticate');
  } else {
    log.warn({ url }, 'embedded MQTT broker listening WITHOUT access control: it accepts anonymous clients and any topic (set MQTT_USERS_PATH)');
  }
  return {
    url,
    ownUrl,
    accessControl: access !== undefined,
    clientCount: () => broker.connectedClients,
    close: async () => {
      // Stop accepting first: a client reconnecting into a closing broker would get no CONNACK (aedes drops
      // an authentication that completes after close) and keep its socket open.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}
