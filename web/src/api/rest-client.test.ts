import { describe, expect, it } from 'vitest';
import { ApiError, RestClient, errorMessageOf, withQuery } from './rest-client';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(status: number, body: unknown, calls: Call[] = []): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('RestClient', () => {
  it('sends the bearer token and JSON, and returns the parsed answer', async () => {
    const calls: Call[] = [];
    const rest = new RestClient({ token: () => 'tok-1', fetchImpl: fakeFetch(200, { alert: { id: 'a1' } }, calls), onUnauthorized: () => undefined });
    await expect(rest.post('/api/alerts/a1/ack', { actor: 'op' })).resolves.toEqual({ alert: { id: 'a1' } });
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer tok-1');
    expect(headers['content-type']).toBe('application/json');
    expect(calls[0]!.init.body).toBe('{"actor":"op"}');
  });

  it("fails with the server's message and code", async () => {
    const rest = new RestClient({ token: () => 't', fetchImpl: fakeFetch(409, { error: 'bad-transition', message: 'alert a1 is resolved' }), onUnauthorized: () => undefined });
    const err = await rest.post('/api/alerts/a1/ack').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ message: 'alert a1 is resolved', code: 'bad-transition', status: 409 });
  });

  it('on 401 hands the page back to the login form and still fails the call', async () => {
    let signedOut = 0;
    const rest = new RestClient({ token: () => 'expired', fetchImpl: fakeFetch(401, { error: 'unauthorized' }), onUnauthorized: () => (signedOut += 1) });
    await expect(rest.get('/api/alerts')).rejects.toMatchObject({ status: 401 });
    expect(signedOut).toBe(1);
  });

  it('reports a network failure as an ApiError with status 0', async () => {
    const rest = new RestClient({
      token: () => null,
      fetchImpl: (async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof fetch,
      onUnauthorized: () => undefined,
    });
    await expect(rest.get('/api/units')).rejects.toMatchObject({ status: 0, code: 'network', message: 'Failed to fetch' });
  });
});

describe('error messages and queries', () => {
  it('prefers message, then the issues, then the code, then the status', () => {
    expect(errorMessageOf(404, { error: 'not-found', message: 'no alert x' }).message).toBe('no alert x');
    expect(errorMessageOf(400, { error: 'bad-body', issues: ['unitId: Required'] }).message).toBe('bad-body: unitId: Required');
    expect(errorMessageOf(404, { error: 'not-found' }).message).toBe('not-found');
    expect(errorMessageOf(502, null)).toEqual({ code: 'http-502', message: 'HTTP 502' });
  });

  it('builds a query string and leaves out undefined values', () => {
    expect(withQuery('/api/orders/suggestions', { alertId: 'al 1/2', trackId: undefined })).toBe('/api/orders/suggestions?alertId=al+1%2F2');
    expect(withQuery('/api/units', {})).toBe('/api/units');
  });
});
