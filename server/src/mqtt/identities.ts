import { readFileSync } from 'node:fs';
import { SENSOR_KINDS, topics } from '@seawall/contracts';
import { z } from 'zod';
import { parsePasswordHash } from '../auth/password';

/**
 * MQTT identities and what each may do. One list of identities drives both brokers: the embedded one
 * reads the hashed list (`MQTT_USERS_PATH`), and `make-credentials` turns the same list into Mosquitto's
 * password file and ACL, so the two enforce the same rights.
 *
 * | role        | publish                                               | subscribe                     |
 * | ----------- | ----------------------------------------------------- | ----------------------------- |
 * | `sensor`    | `sensors/<kind>/<id>` (its own feed only)             | nothing                       |
 * | `gateway`   | `obs/v1/#`, `dlq/<id>/#`, `status/gateway/<id>` (LWT) | `sensors/#`                   |
 * | `server`    | nothing (the server only consumes)                    | `obs/v1/#`, `status/#`, `dlq/#` |
 * | `simulator` | `sensors/#` (the built-in scenario and `seawall replay`: many sensors on one connection; a test/demo identity, leave it out where real sensors feed the broker) | nothing |
 */

/** Usernames: safe in a URL's user part, in Mosquitto's password file (no `:`) and ACL (no spaces). */
const Username = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'usernames are 1-64 letters, digits, dot, dash and underscore');
const Id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'ids are 1-64 letters, digits, dot, dash and underscore');

const SensorIdentity = z.object({ username: Username, role: z.literal('sensor'), sensorKind: z.enum(SENSOR_KINDS), sensorId: Id }).strict();
const GatewayIdentity = z.object({ username: Username, role: z.literal('gateway'), gatewayId: Id }).strict();
const ServerIdentity = z.object({ username: Username, role: z.literal('server') }).strict();
const SimulatorIdentity = z.object({ username: Username, role: z.literal('simulator') }).strict();

export const MqttIdentity = z.discriminatedUnion('role', [SensorIdentity, GatewayIdentity, ServerIdentity, SimulatorIdentity]);
export type MqttIdentity = z.infer<typeof MqttIdentity>;
export type MqttRole = MqttIdentity['role'];

const PasswordHash = z.string().refine((s) => parsePasswordHash(s) !== null, 'not a $scrypt$ln=..,r=..,p=..$salt$hash string');
export const MqttUser = z.discriminatedUnion('role', [
  SensorIdentity.extend({ passwordHash: PasswordHash }),
  GatewayIdentity.extend({ passwordHash: PasswordHash }),
  ServerIdentity.extend({ passwordHash: PasswordHash }),
  SimulatorIdentity.extend({ passwordHash: PasswordHash }),
]);
export type MqttUser = z.infer<typeof MqttUser>;

function uniqueUsernames<T extends { username: string }>(list: T[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  list.forEach((u, i) => {
    if (seen.has(u.username)) ctx.addIssue({ code: 'custom', path: [i, 'username'], message: `duplicate username ${u.username}` });
    seen.add(u.username);
  });
}
/** The identity list `make-credentials` reads: identities without passwords. */
export const MqttIdentityList = z.array(MqttIdentity).superRefine(uniqueUsernames);
/** The identity file the embedded broker reads (`MQTT_USERS_PATH`): identities with scrypt password hashes. */
export const MqttUserList = z.array(MqttUser).superRefine(uniqueUsernames);

function parseJsonFile<T>(path: string, schema: z.ZodType<T>, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${what} ${path}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`${what} ${path} is invalid:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function loadMqttUsers(path: string): MqttUser[] {
  return parseJsonFile(path, MqttUserList, 'MQTT identity file');
}

export function loadMqttIdentities(path: string): MqttIdentity[] {
  return parseJsonFile(path, MqttIdentityList, 'MQTT identity list');
}

/** Topic filters an identity may publish to and subscribe to. */
export interface TopicRights {
  publish: readonly string[];
  subscribe: readonly string[];
}

/** The rights of an identity; `{ role: 'server' }` alone for the embedded broker's in-memory server identity. */
export function rightsOf(identity: MqttIdentity | { role: 'server' }): TopicRights {
  switch (identity.role) {
    case 'sensor':
      return { publish: [topics.sensor(identity.sensorKind, identity.sensorId)], subscribe: [] };
    case 'gateway': {
      const id = identity.gatewayId;
      return { publish: [`obs/v1/#`, `dlq/${id}/#`, topics.gatewayStatus(id)], subscribe: ['sensors/#'] };
    }
    case 'server':
      return { publish: [], subscribe: [topics.observationFilter, 'status/#', topics.deadLetterFilter] };
    case 'simulator':
      return { publish: ['sensors/#'], subscribe: [] };
  }
}

/** True when the topic name (no wildcards) matches the filter, per MQTT 3.1.1 section 4.7. */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** True when every topic the filter `inner` matches is also matched by the filter `outer`. */
export function filterWithin(inner: string, outer: string): boolean {
  const a = inner.split('/');
  const b = outer.split('/');
  for (let i = 0; i < b.length; i++) {
    if (b[i] === '#') return true;
    if (i >= a.length) return false;
    if (a[i] === '#') return false;
    if (b[i] === '+') continue;
    if (a[i] !== b[i]) return false;
  }
  return a.length === b.length;
}

export function mayPublish(rights: TopicRights, topic: string): boolean {
  return rights.publish.some((f) => topicMatches(f, topic));
}

export function maySubscribe(rights: TopicRights, filter: string): boolean {
  return rights.subscribe.some((f) => filterWithin(filter, f));
}
