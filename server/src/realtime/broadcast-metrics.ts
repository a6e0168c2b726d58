import { Counter, type Registry } from 'prom-client';

/** The track broadcaster's own counters, on the server's registry. */
export function createBroadcastMetrics(registry: Registry) {
  return {
    snapshotsEncoded: new Counter({
      name: 'seawall_server_track_snapshots_encoded_total',
      help: 'Track snapshots encoded: one for all the operators whose snapshots were due together, one per unit or drone crew',
      registers: [registry],
    }),
    snapshotsSent: new Counter({
      name: 'seawall_server_track_snapshots_sent_total',
      help: 'Track snapshots sent to sockets (on connect, on tracks:resync, and to a socket that caught up after falling behind)',
      registers: [registry],
    }),
    socketsFellBehind: new Counter({
      name: 'seawall_server_sockets_fell_behind_total',
      help: 'Times a socket had more unsent bytes than the bound: its track batches were skipped until it caught up, then it got a snapshot',
      registers: [registry],
    }),
    batchesSkipped: new Counter({
      name: 'seawall_server_track_batches_skipped_total',
      help: 'Track batches not sent to a socket, by reason (backlog: it had fallen behind; its next snapshot holds their latest states)',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}
export type BroadcastMetrics = ReturnType<typeof createBroadcastMetrics>;
