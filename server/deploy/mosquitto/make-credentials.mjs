#!/usr/bin/env node
// MQTT credentials from one identity list, for Mosquitto (password file + ACL), the embedded broker
// (MQTT_USERS_PATH) and the clients (passwords, docker compose env file). Run it again after editing the
// list: existing passwords are kept, new identities get new random ones, removed ones disappear.
//
//   node server/deploy/mosquitto/make-credentials.mjs [--identities FILE] [--out DIR]
//
// Defaults: --identities server/deploy/mosquitto/identities.json, --out data/mqtt-credentials (under
// data/, which git and the Docker build context both ignore: secrets must not end up in an image).
// The list is a JSON array of { username, role: sensor|gateway|server|simulator, sensorKind, sensorId
// (sensor), gatewayId (gateway) }; see server/src/mqtt/identities.ts for each role's topics.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';

const root = resolve(import.meta.dirname, '../../..');
const { values } = parseArgs({
  options: {
    identities: { type: 'string', default: resolve(root, 'server/deploy/mosquitto/identities.json') },
    out: { type: 'string', default: resolve(root, 'data/mqtt-credentials') },
  },
});
const { loadMqttIdentities } = await tsImport('../../src/mqtt/identities.ts', import.meta.url);
const { writeCredentials, CREDENTIAL_FILES } = await tsImport('../../src/mqtt/credentials.ts', import.meta.url);

const identities = loadMqttIdentities(resolve(values.identities));
const out = resolve(values.out);
await writeCredentials(identities, out);
process.stdout.write(
  `${identities.length} MQTT identities written to ${out}/ (${Object.values(CREDENTIAL_FILES).join(', ')})\n`,
);
