import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Aedes, AedesOptions, AuthenticateError, Client, PublishPacket } from 'aedes';
import type { Logger } from 'pino';
import { mayPublish, maySubscribe, rightsOf, type MqttUser, type TopicRights } from './identities';
import { hashPassword, verifyPassword } from '../auth/password';

export type RefusalReason = 'anonymous' | 'bad-credentials' | 'will-denied' | 'publish-denied' | 'subscribe-denied';

/** Where refusals are counted (`seawall_server_mqtt_refused_total{reason}`). */
export interface RefusalCounter {
  inc(labels: { reason: RefusalReason }): void;
}

export interface AccessControl {
  /** The hooks to create the aedes broker with. */
  hooks: Required<Pick<AedesOptions, 'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>>;
  /**
   * Makes a refused publish a silent drop, as Mosquitto does (MQTT 3.1.1 has no way to tell the client;
   * QoS 1/2 are still acknowledged), instead of aedes' default of closing the connection, which would
   * have a misconfigured sensor reconnect and retry forever. Call once on the broker made with `hooks`.
   */
  install(broker: Aedes): void;
  /**
   * A server-role identity that exists only in this process's memory, for the server's own consumer of
   * the embedded broker: no password of the server's needs to be written anywhere. Its username cannot
   * occur in an identity file (`~` is not allowed there).
   */
  internal: { username: string; password: string };
}

/** Distinct topics logged per client before further refusals from it are only counted. */
const LOGGED_TOPICS_PER_CLIENT = 100;
/** Distinct refused-connection keys remembered for logging once; the memory is reset when it fills. */
const LOGGED_CONNECT_KEYS = 1_000;

interface Session {
  username: string;
  role: string;
  rights: TopicRights;
}

/**
 * Authentication and per-identity topic rights for the embedded aedes broker (see `identities.ts` for
 * the rights of each role). Every refusal is counted by reason; each is logged once per client and
 * topic (refused connections once per username, reason and address), never once per message.
 */
export async function createAccessControl(users: readonly MqttUser[], refused: RefusalCounter | undefined, log: Logger): Promise<AccessControl> {
  const byName = new Map(users.map((u) => [u.username, u]));
  // Unknown usernames are checked against this, so a refusal takes as long whether or not the name exists.
  const decoy = await hashPassword(randomBytes(24).toString('base64url'));
  const internal = { username: `~seawall-server-${randomBytes(4).toString('hex')}`, password: randomBytes(32).toString('base64url') };
  const internalPassword = Buffer.from(internal.password);

  const sessions = new WeakMap<Client, Session>();
  const willTopics = new WeakMap<Client, string>();
  const droppedPackets = new WeakSet<object>();
  const loggedTopics = new WeakMap<Client, Set<string>>();
  let loggedConnects = new Set<string>();

  const remote = (client: Client) => (client.conn as Partial<Socket>).remoteAddress;

  const refuseConnect = (client: Client, reason: RefusalReason, username: string | undefined, returnCode: 4 | 5, detail?: object) => {
    refused?.inc({ reason });
    const key = `${reason}\0${username ?? ''}\0${remote(client) ?? ''}`;
    if (loggedConnects.size >= LOGGED_CONNECT_KEYS) loggedConnects = new Set();
    const first = !loggedConnects.has(key);
    loggedConnects.add(key);
    log[first ? 'warn' : 'debug']({ reason, username, clientId: client.id, remote: remote(client), ...detail }, 'MQTT connection refused');
    const err = new Error(`connection refused: ${reason}`) as AuthenticateError;
    err.returnCode = returnCode as AuthenticateError['returnCode'];
    return err;
  };

  const refuseTopic = (client: Client, reason: 'publish-denied' | 'subscribe-denied', topic: string) => {
    refused?.inc({ reason });
    let seen = loggedTopics.get(client);
    if (!seen) loggedTopics.set(client, (seen = new Set()));
    const key = `${reason}\0${topic}`;
    if (seen.has(key) || seen.size > LOGGED_TOPICS_PER_CLIENT) return;
    seen.add(key);
    const session = sessions.get(client);
    const fields = { reason, topic, clientId: client.id, username: session?.username, role: session?.role };
    if (seen.size > LOGGED_TOPICS_PER_CLIENT) log.warn(fields, 'MQTT client refused on too many topics; further refusals are only counted');
    else log.warn(fields, reason === 'publish-denied' ? 'MQTT publish refused (dropped)' : 'MQTT subscription refused');
  };

  const hooks: AccessControl['hooks'] = {
    preConnect(client, packet, callback) {
      if (packet.will?.topic) willTopics.set(client, packet.will.topic);
      callback(null, true);
    },

    authenticate(client, username, password, done) {
      if (username === undefined || password === undefined) {
        done(refuseConnect(client, 'anonymous', username, 4), false);
        return;
      }
      const accept = (session: Session) => {
        const will = willTopics.get(client);
        if (will !== undefined && !mayPublish(session.rights, will)) {
          done(refuseConnect(client, 'will-denied', username, 5, { willTopic: will }), false);
          return;
        }
        sessions.set(client, session);
        log.debug({ username, role: session.role, clientId: client.id }, 'MQTT client authenticated');
        done(null, true);
      };
      if (username === internal.username) {
        if (password.length === internalPassword.length && timingSafeEqual(password, internalPassword)) {
          accept({ username, role: 'server', rights: rightsOf({ role: 'server' }) });
        } else done(refuseConnect(client, 'bad-credentials', username, 4), false);
        return;
      }
      const user = byName.get(username);
      verifyPassword(password, user?.passwordHash ?? decoy).then(
        (ok) => {
          if (ok && user) accept({ username, role: user.role, rights: rightsOf(user) });
          else done(refuseConnect(client, 'bad-credentials', username, 4), false);
        },
        (err: unknown) => {
          log.error({ err, username }, 'MQTT password check failed');
          done(refuseConnect(client, 'bad-credentials', username, 4), false);
        },
      );
    },

    authorizePublish(client, packet, callback) {
      // No client: aedes publishing a will left by an earlier connection; its topic was checked at CONNECT.
      if (!client) return callback(null);
      const session = sessions.get(client);
      if (!session || !mayPublish(session.rights, packet.topic)) {
        droppedPackets.add(packet);
        refuseTopic(client, 'publish-denied', packet.topic);
      }
      callback(null);
    },

    authorizeSubscribe(client, sub, callback) {
      const session = sessions.get(client);
      if (session && maySubscribe(session.rights, sub.topic)) return callback(null, sub);
      refuseTopic(client, 'subscribe-denied', sub.topic);
      callback(null, null); // SUBACK 0x80 for this filter; the connection stays
    },
  };

  return {
    hooks,
    internal,
    install(broker) {
      const publish = broker.publish.bind(broker) as unknown as (packet: PublishPacket, client: Client | null, done: (err?: Error) => void) => void;
      // aedes calls `broker.publish(packet, client, done)` once a client's PUBLISH is authorised (after
      // acknowledging QoS 1, before retaining): a refused packet stops here, acknowledged and undelivered.
      (broker as unknown as { publish: typeof publish }).publish = (packet, client, done) => {
        if (droppedPackets.has(packet)) {
          done?.();
          return;
        }
        publish(packet, client, done);
      };
    },
  };
}
