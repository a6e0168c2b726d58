import { loadServerConfig } from './config';
import { createLogger } from './log';
import { startServer } from './server';

const config = loadServerConfig();
const log = createLogger(config.logLevel);
const server = await startServer(config, { logger: log, instanceId: config.instanceId });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
