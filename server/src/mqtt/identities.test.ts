import { describe, expect, it } from 'vitest';
import { mosquittoAcl, passwordEnvName } from './credentials';
import { MqttIdentityList, filterWithin, mayPublish, maySubscribe, rightsOf, topicMatches } from './identities';
import { hashPassword, parsePasswordHash, verifyPassword } from '../auth/password';

describe('MQTT topic rights', () => {
  it('matches topics against filters as MQTT does', () => {
    expect(topicMatches('sensors/#', 'sensors/ais/rx-haikou')).toBe(true);
    expect(topicMatches('sensors/#', 'sensors')).toBe(true);
    expect(topicMatches('sensors/+/rx-haikou', 'sensors/ais/rx-haikou')).toBe(true);
    expect(topicMatches('sensors/ais/rx-haikou', 'sensors/ais/rx-haikou/x')).toBe(false);
    expect(topicMatches('sensors/ais/rx-haikou', 'sensors/ais/rx-sanya')).toBe(false);
    expect(topicMatches('#', '$SYS/broker')).toBe(false);
  });

  it('grants a subscription only when the filter asks for no more than the right covers', () => {
    expect(filterWithin('sensors/ais/+', 'sensors/#')).toBe(true);
    expect(filterWithin('sensors/#', 'sensors/#')).toBe(true);
    expect(filterWithin('sensors', 'sensors/#')).toBe(true);
    expect(filterWithin('#', 'sensors/#')).toBe(false);
    expect(filterWithin('+/ais/x', 'sensors/#')).toBe(false);
    expect(filterWithin('status/gateway/+', 'status/gateway/gw-1')).toBe(false);
    expect(filterWithin('status/gateway/gw-1', 'status/gateway/+')).toBe(true);
    expect(filterWithin('obs/v1/#', 'obs/v1/ais/#')).toBe(false);
  });

  it('gives each role its own topics', () => {
    const sensor = rightsOf({ username: 'ais.rx-haikou', role: 'sensor', sensorKind: 'ais', sensorId: 'rx-haikou' });
    expect(mayPublish(sensor, 'sensors/ais/rx-haikou')).toBe(true);
    expect(mayPublish(sensor, 'sensors/ais/rx-sanya')).toBe(false);
    expect(mayPublish(sensor, 'sensors/radar/rx-haikou')).toBe(false);
    expect(maySubscribe(sensor, 'sensors/ais/rx-haikou')).toBe(false);

    const gateway = rightsOf({ username: 'gw-1', role: 'gateway', gatewayId: 'gw-1' });
    expect(maySubscribe(gateway, 'sensors/ais/+')).toBe(true);
    expect(mayPublish(gateway, 'obs/v1/ais/rx-haikou')).toBe(true);
    expect(mayPublish(gateway, 'dlq/gw-1/ais')).toBe(true);
    expect(mayPublish(gateway, 'dlq/gw-2/ais')).toBe(false);
    expect(mayPublish(gateway, 'status/gateway/gw-1')).toBe(true);
    expect(mayPublish(gateway, 'status/gateway/gw-2')).toBe(false);
    expect(mayPublish(gateway, 'sensors/ais/rx-haikou')).toBe(false);

    const server = rightsOf({ username: 'server', role: 'server' });
    expect(['obs/v1/#', 'status/gateway/+', 'dlq/#'].every((f) => maySubscribe(server, f))).toBe(true);
    expect(maySubscribe(server, 'sensors/#')).toBe(false);
    expect(mayPublish(server, 'obs/v1/ais/x')).toBe(false);

    const simulator = rightsOf({ username: 'scenario', role: 'simulator' });
    expect(mayPublish(simulator, 'sensors/drone/uav-sanya')).toBe(true);
    expect(mayPublish(simulator, 'obs/v1/drone/uav-sanya')).toBe(false);
  });

  it('rejects an identity list with duplicate usernames or unknown sensor kinds', () => {
    expect(MqttIdentityList.safeParse([{ username: 'a', role: 'server' }, { username: 'a', role: 'simulator' }]).success).toBe(false);
    expect(MqttIdentityList.safeParse([{ username: 'x', role: 'sensor', sensorKind: 'sonar', sensorId: 'x' }]).success).toBe(false);
    expect(MqttIdentityList.safeParse([{ username: 'bad name', role: 'server' }]).success).toBe(false);
  });

  it('writes the same rights as a Mosquitto ACL', () => {
    const acl = mosquittoAcl([
      { username: 'ais.rx-haikou', role: 'sensor', sensorKind: 'ais', sensorId: 'rx-haikou' },
      { username: 'gw-1', role: 'gateway', gatewayId: 'gw-1' },
    ]);
    expect(acl).toContain('user ais.rx-haikou\ntopic write sensors/ais/rx-haikou\n');
    expect(acl).toContain('user gw-1\ntopic read sensors/#\ntopic write obs/v1/#\ntopic write dlq/gw-1/#\ntopic write status/gateway/gw-1\n');
    expect(passwordEnvName('ais.rx-haikou')).toBe('SEAWALL_MQTT_PASSWORD_AIS_RX_HAIKOU');
  });
});

describe('scrypt password hashes', () => {
  it('verifies the right password only', async () => {
    const hash = await hashPassword('correct horse');
    expect(parsePasswordHash(hash)).not.toBeNull();
    expect(hash).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword(Buffer.from('correct horse'), hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
    expect(await verifyPassword('correct horse', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('correct horse', hash.replace('ln=14', 'ln=40'))).toBe(false);
  });
});
