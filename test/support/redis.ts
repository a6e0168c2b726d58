import { createConnection } from 'node:net';
import { services } from './services';

/** The machine's Redis (REDIS_URL, default 127.0.0.1:6379): the socket.io cluster of several server instances. */
export const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** True when Redis answers; in CI its absence is a failure, not a skip. */
export async function redisAvailable(): Promise<boolean> {
  const { hostname, port } = new URL(redisUrl);
  const up = await new Promise<boolean>((resolve) => {
    const c = createConnection({ host: hostname, port: Number(port || 6379) });
    c.setTimeout(2_000, () => {
      c.destroy();
      resolve(false);
    });
    c.once('connect', () => {
      c.end();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
  if (!up && services.ci) throw new Error(`CI needs Redis at ${redisUrl}`);
  return up;
}
