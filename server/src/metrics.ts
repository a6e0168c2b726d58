import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The server's Prometheus metrics, on a registry of its own (several servers may share a process in tests). */
export function createServerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'seawall_server_' });
  return {
    registry,
    observationsReceived: new Counter({
      name: 'seawall_server_observations_received_total',
      help: 'Observations accepted from obs/v1, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    observationsRejected: new Counter({
      name: 'seawall_server_observations_rejected_total',
      help: 'Messages on obs/v1 that were not valid observations, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    observationsDuplicate: new Counter({
      name: 'seawall_server_observations_duplicate_total',
      help: 'Observations received again (same observation id) and dropped',
      registers: [registry],
    }),
    acksHeld: new Gauge({
      name: 'seawall_server_mqtt_acks_held',
      help: 'Observations received and not yet acknowledged to the broker (acknowledged once written)',
      registers: [registry],
    }),
    observationsAcked: new Counter({
      name: 'seawall_server_observations_acked_total',
      help: 'Observations acknowledged to the broker: once written (committed) or, with the database failing, on receipt (uncommitted)',
      labelNames: ['when'],
      registers: [registry],
    }),
    ingestLagSeconds: new Gauge({
      name: 'seawall_server_ingest_lag_seconds',
      help: 'Wall time from the gateway receiving the latest observation to the server applying it',
      registers: [registry],
    }),
    writeQueue: new Gauge({
      name: 'seawall_server_write_queue',
      help: 'Alert and event writes waiting for the database',
      labelNames: ['writer'],
      registers: [registry],
    }),
    historyWritten: new Counter({
      name: 'seawall_server_history_rows_written_total',
      help: 'Track history rows written to the database',
      registers: [registry],
    }),
    historyDropped: new Counter({
      name: 'seawall_server_history_rows_dropped_total',
      help: 'Track history rows dropped because the write buffer was full',
      registers: [registry],
    }),
    historyBuffered: new Gauge({
      name: 'seawall_server_history_buffer_rows',
      help: 'Track history rows waiting to be written',
      registers: [registry],
    }),
    dbWriteErrors: new Counter({
      name: 'seawall_server_db_write_errors_total',
      help: 'Failed database batch writes (retried)',
      registers: [registry],
    }),
    dbWriteSeconds: new Histogram({
      name: 'seawall_server_db_write_seconds',
      help: 'Duration of one batch write',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    stateSaves: new Counter({
      name: 'seawall_server_pipeline_state_saves_total',
      help: 'Saves of the pipeline state (tracks, rule watches, alert book), by result',
      labelNames: ['result'],
      registers: [registry],
    }),
    stateSaveSeconds: new Histogram({
      name: 'seawall_server_pipeline_state_save_seconds',
      help: 'Duration of one pipeline state save, serialisation included',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 20],
      registers: [registry],
    }),
    authRefused: new Counter({
      name: 'seawall_server_auth_refused_total',
      help: 'Requests and socket commands refused, by reason (missing, expired, bad-signature, malformed, disabled, forbidden, bad-login)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'seawall_server_rate_limited_total',
      help: 'Requests and socket commands refused for coming too fast, by limit: api (per user or address), login (per address and username), socket (per socket)',
      labelNames: ['limit'],
      registers: [registry],
    }),
    ordersEscalated: new Counter({
      name: 'seawall_server_orders_escalated_total',
      help: 'Dispatch orders not accepted in time, reported to operators',
      registers: [registry],
    }),
    tracks: new Gauge({ name: 'seawall_server_tracks', help: 'Live tracks in memory', registers: [registry] }),
    socketClients: new Gauge({
      name: 'seawall_server_socket_clients',
      help: 'Connected socket.io clients',
      registers: [registry],
    }),
    trackBatchesPushed: new Counter({
      name: 'seawall_server_track_batches_pushed_total',
      help: 'tracks:updated batches pushed to the operators (the ops room)',
      registers: [registry],
    }),
    trackFrameBytes: new Counter({
      name: 'seawall_server_track_frame_bytes_total',
      help:
        'Bytes of track frames emitted, by stream (ops: the operators\' shared stream; scoped: a unit\'s or drone crew\'s own) ' +
        'and event (snapshot, updated); a frame emitted to a room counts once, however many sockets it is written to',
      labelNames: ['stream', 'event'],
      registers: [registry],
    }),
    mqttConnected: new Gauge({
      name: 'seawall_server_mqtt_connected',
      help: '1 while the server is connected to the MQTT broker',
      registers: [registry],
    }),
    mqttRefused: new Counter({
      name: 'seawall_server_mqtt_refused_total',
      help: 'What the embedded MQTT broker refused, by reason: anonymous, bad-credentials, will-denied, publish-denied, subscribe-denied',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;
