import pino, { type Logger } from 'pino';

/** One JSON logger per process; modules take `log.child({ module })`. */
export function createLogger(level: string, name = 'seawall-server'): Logger {
  return pino({ name, level });
}
