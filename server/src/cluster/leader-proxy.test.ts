import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { routeToLeader } from './leader-proxy';

// A standby's REST edge in front of two plain HTTP servers on port 0: the leader (which answers who it is and
// what it got) and the standby's own app.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const echo = (name: string): RequestListener => (req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    res.writeHead(201, { 'content-type': 'application/json', 'x-answered-by': name });
    res.end(JSON.stringify({ by: name, method: req.method, url: req.url, body, auth: req.headers.authorization ?? null, forwardedBy: req.headers['x-seawall-forwarded-by'] ?? null }));
  });
};

async function standby(leaderUrl: string | undefined, leading = false) {
  return listen(routeToLeader(echo('standby'), { instanceId: 'standby-1', isLeader: () => leading, leaderUrl: async () => leaderUrl, log: pino({ level: 'silent' }) }));
}

describe('a standby\'s REST edge', () => {
  it('passes what needs the leader\'s memory to the leader, as it came, and answers the rest itself', async () => {
    const leader = await listen(echo('leader'));
    const url = await standby(leader);
    const post = await fetch(`${url}/api/alerts/a-1/ack?x=1`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: '{"note":"n"}' });
    expect(post.status).toBe(201);
    expect(post.headers.get('x-answered-by')).toBe('leader');
    expect(await post.json()).toEqual({ by: 'leader', method: 'POST', url: '/api/alerts/a-1/ack?x=1', body: '{"note":"n"}', auth: 'Bearer t', forwardedBy: 'standby-1' });
    for (const path of ['/api/tracks', '/api/tracks/ais:1/history', '/api/orders?x', '/api/units']) {
      expect(((await (await fetch(`${url}${path}`)).json()) as { by: string }).by, path).toBe('leader');
    }
    for (const path of ['/api/login', '/api/users', '/api/audit', '/api/trackstuff', '/health', '/']) {
      expect(((await (await fetch(`${url}${path}`)).json()) as { by: string }).by, path).toBe('standby');
    }
  });

  it('answers 503 with Retry-After while no leader is known or the leader does not answer', async () => {
    const none = await standby(undefined);
    const res = await fetch(`${none}/api/tracks`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as { error: string }).error).toBe('leader-unavailable');
    const gone = await listen(echo('gone'));
    const closed = servers.pop()!;
    await new Promise((r) => closed.close(r));
    expect((await fetch(`${await standby(gone)}/api/alerts`)).status).toBe(503);
  });

  it('never passes a request on twice: an instance that is asked by another and does not lead says so', async () => {
    const url = await standby('http://127.0.0.1:1');
    const res = await fetch(`${url}/api/tracks`, { headers: { 'x-seawall-forwarded-by': 'standby-2' } });
    expect(res.status).toBe(503);
  });

  it('answers everything itself once it leads', async () => {
    const leader = await listen(echo('leader'));
    const url = await standby(leader, true);
    expect(((await (await fetch(`${url}/api/tracks`)).json()) as { by: string }).by).toBe('standby');
  });
});
