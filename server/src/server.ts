import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ServerConfig } from './config';
import { trackIdOf, type Alert, type AlertId, type AlertStatus, type Observation, type TrackEvent, type TrackId, type UnitId } from '@seawall/contracts';
import { RingClassifier, loadGeodata } from '@seawall/geodata';
import { TrackTable } from './fusion/track-table';
import { DuplicateFilter } from './ingest/duplicate-filter';
import { AlertBook } from './alerts/alert-book';
import { PIPELINE_STATE_VERSION, Pipeline, type PlaceLookup } from './pipeline';
import { loadRuleConfig } from './rules/rule-config';
import { loadVesselRegistry } from './rules/vessel-registry';
import { loadOpenAlerts, queryAlerts, saveAlertEvent } from './store/alert-store';
import { loadPipelineState, savePipelineState } from './store/pipeline-state-store';
import { queryTrackEvents, saveTrackEvents } from './store/event-store';
import { queryTrackHistory } from './store/history-reader';
import { SerialWriter } from './store/serial-writer';
import { createApp, type HealthReport } from './http/app';
import { createGeoRouter } from './http/geo-routes';
import { createLogger } from './log';
import { createServerMetrics } from './metrics';
import { startEmbeddedBroker, type EmbeddedBroker } from './mqtt/embedded-broker';
import { consumeObservations } from './mqtt/observation-consumer';
import { AckAfterCommit } from './ingest/ack-after-commit';
import { attachTrackBroadcaster } from './realtime/track-broadcaster';
import type { Db } from './store/db';
import { readRingsGeoJson, readZonesGeoJson, syncGeodata } from './store/geodata-store';
import { openDb } from './store/open-db';
import { latestObservationMs, loadRecentTracks } from './store/track-reader';
import { AuthService, type Principal } from './auth/auth-service';
import { DispatchService, type DispatchDeps, type DispatchNotifier } from './dispatch/dispatch-service';
import { loadUnitsFile } from './dispatch/units-file';
import { attachDispatchSocket } from './realtime/dispatch-socket';
import { queryAudit } from './store/audit-store';
import { seedUnits } from './store/unit-store';
import { TrackWriter } from './store/track-writer';
import { delegateTo } from './cluster/delegate';
import { LeaderGate } from './cluster/leader-gate';
import { IDLE_CONSUMER } from './cluster/idle-consumer';
import { electLeader, findLeader } from './cluster/leader-election';
import { leadershipGauge } from './cluster/leader-metrics';
import { routeToLeader } from './cluster/leader-proxy';
import { attachLeaderRelays, type LeaderRelays } from './cluster/leader-relays';
import { attachSocketCluster } from './cluster/socket-cluster';
import { watchUserChanges } from './cluster/user-changes';
import { openLeaderLock } from './store/leader-lock';

/** How far back (observation time) tracks are reloaded into memory at start when no pipeline state was saved. */
const WARM_START_WINDOW_MS = 60 * 60 * 1000;
/** Observation ids saved with the state, so redeliveries after a restart are still recognised. */
const SAVED_OBS_IDS = 50_000;

export interface RunningServer {
  /** Base URL of the HTTP/socket.io server. */
  url: string;
  /** The broker everything else should use (the embedded one when no MQTT_URL was configured). */
  mqttUrl: string;
  db: Db;
  /** Writes everything buffered so far to the database (tests use it to settle). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Distinguishes server instances on the broker; stable across restarts so the MQTT session resumes. */
  instanceId?: string;
  /** Ring and zone lookup; default: the classifier over the rings and zones just loaded into the database. */
  places?: PlaceLookup;
  /** Called with every observation applied, after duplicates are dropped (tests count and order them). */
  onObservation?: (obs: Observation) => void;
}

/** Starts the whole server: database, broker (embedded if none configured), ingest, REST and socket.io. */
export async function startServer(config: ServerConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.logger ?? createLogger(config.logLevel);
  const metrics = createServerMetrics();
  /** The fusion region whose state this server keeps, and leads or stands by for (see cluster/). */
  const REGION = config.cluster.region;
  const instanceId = opts.instanceId ?? config.instanceId;
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }, log.child({ module: 'store' }));
  const geodata = loadGeodata();
  await syncGeodata(db, geodata, log.child({ module: 'geodata' })).catch(async (err: unknown) => {
    await db.close().catch(() => undefined);
    throw err;
  });

  const auth = await AuthService.start(db, config.auth, log.child({ module: 'auth' }));
  const seeded = await seedUnits(db, loadUnitsFile(config.unitsPath, geodata.zones));
  if (seeded > 0) log.info({ units: seeded, from: config.unitsPath }, 'loaded units');

  const table = new TrackTable();
  const duplicates = new DuplicateFilter();
  const alerts = new AlertBook();
  const places = opts.places ?? new RingClassifier(geodata.rings, geodata.zones);
  // Bound once socket.io is up: the dispatch loop tells operators and units through it.
  let dispatchSocket: ReturnType<typeof attachDispatchSocket> | undefined;
  // Standbys reload the dispatch loop from the database when the leader changes it (leader-relays.ts).
  let relays: LeaderRelays | undefined;
  const notify: DispatchNotifier = {
    order: (o) => (dispatchSocket?.order(o), relays?.dispatchChanged()),
    unit: (u) => (dispatchSocket?.unit(u), relays?.dispatchChanged()),
  };
  const dispatchDeps: DispatchDeps = {
    db,
    log: log.child({ module: 'dispatch' }),
    notify,
    track: (id) => (table.visible(id) ? table.get(id) : undefined),
    alert: (id) => alerts.get(id),
    stageAlert: (id, to, actor, atMs, note) => pipeline.stageAlertTransition(id, to, actor, atMs, note),
    publishAlert: (event) => pipeline.publishAlertEvent(event),
    alertsWritten: () => alertWriter.drain(),
    ringOf: (lon, lat) => places.classify(lon, lat).ring,
    acceptTimeoutMs: config.dispatch.acceptTimeoutMs,
    now: Date.now,
  };
  let currentDispatch = await DispatchService.start(dispatchDeps);
  // One object for the routes and sockets to keep, whichever service is behind it (reloaded on a standby).
  const dispatch = delegateTo(() => currentDispatch);
  const reloadDispatch = async () => {
    currentDispatch = await DispatchService.start(dispatchDeps);
  };
  const visibleTo = (p: Principal): ReadonlySet<TrackId> => {
    const ids = p.unitId ? dispatch.tracksOf(p.unitId as UnitId) : new Set<TrackId>();
    if (p.droneTrackId) ids.add(p.droneTrackId as TrackId);
    return ids;
  };
  const refused = (reason: string) => metrics.authRefused.inc({ reason });

  let broker: EmbeddedBroker | undefined;
  if (!config.mqttUrl) {
    broker = await startEmbeddedBroker(config.mqttEmbedded.host, config.mqttEmbedded.port, log.child({ module: 'broker' }), {
      usersPath: config.mqttUsersPath,
      refused: metrics.mqttRefused,
    });
  } else if (config.mqttUsersPath) {
    log.warn('MQTT_USERS_PATH is ignored with MQTT_URL: access control is the configured broker\'s (see server/deploy/mosquitto)');
  }
  const mqttUrl = config.mqttUrl ?? broker!.url;

  // One fusion leader per region (cluster/leader-election.ts): only it consumes, fuses, saves the state and runs
  // the dispatch timers; a standby serves HTTP and socket.io and takes over when the leader's lock is free.
  const gate = new LeaderGate();
  const clusterLog = log.child({ module: 'cluster' });
  let takingOver = false;
  const election = electLeader({
    db,
    lock: config.databaseUrl && db.backend === 'pg' ? openLeaderLock(config.databaseUrl, REGION, clusterLog) : undefined,
    region: REGION,
    instanceId,
    pollMs: config.cluster.leaderPollMs,
    graceMs: config.cluster.leaderGraceMs,
    log: clusterLog,
    onRole: leadershipGauge(metrics.registry, REGION),
    async onElected() {
      // Taking over: what the old leader changed since this instance started is in the database only.
      if (takingOver) await Promise.all([reloadDispatch(), auth.reload()]);
      await restoreState();
      gate.open();
    },
    onFatal(reason, err) {
      clusterLog.fatal({ err, reason, region: REGION }, 'fusion leadership lost: exiting so that the supervisor starts this instance again as a standby');
      process.exit(1);
    },
  });
  const isLeader = () => election.role() === 'leader';
  const leaderUrl = findLeader(db, REGION, instanceId);
  // On a standby, REST requests that need the leader's memory go to the leader; user changes reach every instance.
  const edgeOf = (app: RequestListener) =>
    routeToLeader(watchUserChanges(app, () => relays?.usersChanged()), { instanceId, isLeader, leaderUrl, log: clusterLog });

  const writer = new TrackWriter(db, config.history, metrics, log.child({ module: 'track-writer' }));
  // express must be the server's request listener before socket.io attaches: socket.io then takes its own
  // path and hands everything else to express (two listeners would both answer /socket.io polling).
  const geo = createGeoRouter({ rings: () => readRingsGeoJson(db), zones: () => readZonesGeoJson(db), version: geodata.hash });
  const http = createServer(
    edgeOf(createApp({
      health: () => health(),
      tracks: () => table.all(),
      track: (id) => (table.visible(id) ? table.get(id) : undefined),
      history: (id, fromMs, toMs, limit) => queryTrackHistory(db, id, fromMs, toMs, limit),
      events: (q) => queryTrackEvents(db, q),
      alerts: () => alerts.all(),
      storedAlerts: (q) => queryAlerts(db, q),
      transition: (...args) => changeAlert(...args),
      registry: metrics.registry,
      auth,
      refused,
      ownsTrack: (a, id) => visibleTo(a.principal).has(id),
      dispatch,
      audit: (q) => queryAudit(db, q),
      webDist: config.webDist,
      geo,
      edge: config.edge,
      rateLimited: (limit) => metrics.rateLimited.inc({ limit }),
    })),
  );
  const broadcaster = attachTrackBroadcaster(http, () => (isLeader() ? table.all() : relays?.leaderTracks() ?? []), metrics, log.child({ module: 'realtime' }), { auth, now: Date.now, visibleTo, onRefused: refused }, {
    corsOrigins: config.edge.corsOrigins,
    commandsPerS: config.edge.socketCommandsPerS,
    onRateLimited: () => metrics.rateLimited.inc({ limit: 'socket' }),
  });
  dispatchSocket = attachDispatchSocket(broadcaster.io, () => dispatch, (id) => (table.visible(id) ? table.get(id) : undefined), config.dispatch.redeliverMs, log.child({ module: 'dispatch' }), metrics);
  const cluster = await attachSocketCluster(broadcaster.io, config.cluster, clusterLog);
  relays = attachLeaderRelays({ io: broadcaster.io, instanceId, cluster, isLeader, tracks: () => table.all(), dispatch: () => currentDispatch, reloadDispatch, auth, metrics, log: clusterLog });
  const dispatchTimer = setInterval(() => {
    if (!isLeader()) return;
    dispatch.escalate().then((late) => metrics.ordersEscalated.inc(late.length), (err: unknown) => log.error({ err }, 'order escalation failed'));
  }, Math.min(5_000, config.dispatch.acceptTimeoutMs / 4));
  const positionsTimer = setInterval(() => isLeader() && void dispatch.savePositions().catch((err: unknown) => log.warn({ err }, 'could not save unit positions')), 60_000);

  const alertWriter = new SerialWriter(log.child({ module: 'alert-store' }), metrics);
  const eventWriter = new SerialWriter(log.child({ module: 'event-store' }), metrics);
  let pendingEvents: TrackEvent[] = [];
  const flushEvents = () => {
    if (pendingEvents.length === 0) return;
    const batch = pendingEvents;
    pendingEvents = [];
    eventWriter.push(() => saveTrackEvents(db, batch));
  };
  const eventTimer = setInterval(flushEvents, config.history.flushMs);
  const registry = config.vesselRegistryPath ? loadVesselRegistry(config.vesselRegistryPath) : null;
  const pipeline = new Pipeline(table, alerts, loadRuleConfig(config.rulesPath), places, {
    trackChanged(track, history) {
      broadcaster.trackChanged(track);
      relays?.trackChanged(track);
      dispatch.trackMoved(track);
      writer.add(track, history);
    },
    tracksRemoved: (ids) => (broadcaster.tracksRemoved(ids), relays?.tracksRemoved(ids)),
    event(event) {
      broadcaster.trackEvent(event);
      pendingEvents.push(event);
    },
    alert(event, persisted) {
      broadcaster.alertEvent(event.type === 'raised' ? 'alert:raised' : 'alert:updated', event.alert);
      if (!persisted) alertWriter.push(() => db.transaction((tx) => saveAlertEvent(tx, event)));
    },
  }, registry);

  /** An operator's change of an alert's status: written (with its audit row) before it is answered or pushed. */
  async function changeAlert(id: AlertId, to: AlertStatus, actor: string, atMs: number, note?: string): Promise<Alert> {
    const { event, undo } = pipeline.stageAlertTransition(id, to, actor, atMs, note);
    try {
      await alertWriter.drain();
      await db.transaction((tx) => saveAlertEvent(tx, event));
    } catch (err) {
      undo();
      throw err;
    }
    pipeline.publishAlertEvent(event);
    return event.alert;
  }

  let lastReceivedAtMs: number | null = null;
  const consumer = gate.defer(() => consumeObservations(
    broker?.ownUrl ?? mqttUrl,
    config.cluster.fusionClientId ?? `seawall-server-${opts.instanceId ?? randomUUID()}`,
    (obs) => {
      lastReceivedAtMs = obs.receivedAtMs;
      if (duplicates.seen(obs.obsId)) {
        metrics.observationsDuplicate.inc();
        return;
      }
      opts.onObservation?.(obs);
      pipeline.handle(obs);
      if (obs.kind === 'drone.telemetry') broadcaster.droneTelemetry({ ...obs, trackId: trackIdOf('drone', obs.sensorId, obs.systemId) });
      metrics.tracks.set(table.size);
    },
    metrics,
    // The consumer logs its URL, which may carry a password (MQTT_URL, or the embedded broker's own login).
    log.child({ module: 'ingest' }, { redact: { paths: ['url'], censor: (url) => (typeof url === 'string' ? redactUrl(url) : url) } }),
    { afterMessage: () => acks.kick() },
  ), IDLE_CONSUMER);
  // Observations are acknowledged to the broker once what they changed is written (see ack-after-commit.ts).
  const acks = new AckAfterCommit({
    consumer,
    async commit() {
      flushEvents();
      if (!(await writer.flush(false))) return false;
      const [events, alerts] = await Promise.all([eventWriter.written(), alertWriter.written()]);
      return events && alerts;
    },
    retryMs: config.history.flushMs,
    metrics,
    log: log.child({ module: 'ingest' }),
  });
  const lagS = () => (lastReceivedAtMs === null ? null : Math.max(0, Date.now() - lastReceivedAtMs) / 1000);
  const gaugeTimer = setInterval(() => {
    const lag = lagS();
    if (lag !== null) metrics.ingestLagSeconds.set(lag);
    metrics.writeQueue.set({ writer: 'alerts' }, alertWriter.pending);
    metrics.writeQueue.set({ writer: 'events' }, eventWriter.pending);
  }, 1_000);

  const health = async (): Promise<HealthReport> => {
    // The ingest's numbers as the request found them: the ping waits behind any write in flight, and what that
    // write commits is acknowledged the moment it returns.
    const held = { acksHeld: consumer.held(), historyBuffered: writer.pending, acknowledgingUncommitted: acks.acknowledgingUncommitted };
    const dbOk = await db.ping();
    const mqttOk = consumer.connected() === true;
    const leading = isLeader();
    return {
      // A standby does not consume: its broker connection is the leader's business.
      status: dbOk && (mqttOk || !leading) && cluster.healthy() ? 'ok' : 'degraded',
      database: { backend: db.backend, ok: dbOk },
      mqtt: { url: redactUrl(mqttUrl), connected: mqttOk, embedded: broker !== undefined },
      tracks: table.size,
      historyBuffered: held.historyBuffered,
      ingest: {
        acksHeld: held.acksHeld,
        acknowledgingUncommitted: held.acknowledgingUncommitted,
        lagS: lagS(),
        writesQueued: alertWriter.pending + eventWriter.pending,
        rejected: Object.fromEntries((await metrics.observationsRejected.get()).values.map((v) => [String(v.labels.reason), v.value])),
      },
      fusion: { region: REGION, role: election.role(), instanceId, redis: !cluster.enabled ? 'off' : cluster.healthy() ? 'connected' : 'disconnected' },
    };
  };

  /** Carries on from the state the last server saved; without one, from open alerts and recent tracks. */
  async function restoreState(): Promise<void> {
    const saved = await loadPipelineState(db, REGION, PIPELINE_STATE_VERSION);
    if (saved) {
      pipeline.restoreFrom(saved.pipeline);
      duplicates.restore(saved.recentObsIds);
      log.info({ tracks: table.size, alerts: alerts.openIds().length, feedClock: new Date(table.clockMs).toISOString() }, 'carried on from the saved pipeline state');
    }
    // Whichever copy changed last wins: storage has operators' actions and everything written after the state
    // was saved; the saved state has what the rules did that was not yet written when the server died.
    const stored = await loadOpenAlerts(db, alerts.openIds());
    const storedIds = new Set<string>();
    for (const a of stored) {
      storedIds.add(a.id);
      const mine = alerts.get(a.id);
      if (!mine || a.updatedAtMs > mine.updatedAtMs || (a.updatedAtMs === mine.updatedAtMs && a.status !== mine.status)) alerts.restore(a);
      else if (mine.updatedAtMs > a.updatedAtMs) {
        log.warn({ alert: a.id, status: mine.status }, 'the saved state had a later change of this alert than the database; writing it');
        alertWriter.push(() => db.transaction((tx) => saveAlertEvent(tx, { type: 'updated', alert: mine, escalated: false })));
      }
    }
    // Raised before the last server stopped, but not yet written when it did (a crash): write them now.
    for (const id of alerts.openIds()) {
      const alert = alerts.get(id)!;
      if (!storedIds.has(id)) alertWriter.push(() => db.transaction((tx) => saveAlertEvent(tx, { type: 'raised', alert })));
    }
    if (saved) return;
    const latest = await latestObservationMs(db);
    if (latest !== null) {
      for (const t of await loadRecentTracks(db, latest - WARM_START_WINDOW_MS)) table.restore(t);
      log.info({ tracks: table.size }, 'restored recent tracks');
    }
  }

  let saving: Promise<void> | null = null;
  // Only the leader's memory is the region's state: a standby's would overwrite it with nothing.
  const saveState = (): Promise<void> =>
    !isLeader() ? Promise.resolve() : (saving ??= (async () => {
      const end = metrics.stateSaveSeconds.startTimer();
      try {
        // Ids still waiting for their acknowledgement are left out: the broker sends them again after a crash,
        // and they must then be applied and written rather than dropped as already seen.
        const recentObsIds = duplicates.recent(SAVED_OBS_IDS).filter((id) => !consumer.awaitingAck(id));
        await savePipelineState(db, REGION, { pipeline: pipeline.snapshot(), recentObsIds });
        metrics.stateSaves.inc({ result: 'ok' });
      } catch (err) {
        metrics.stateSaves.inc({ result: 'error' });
        log.error({ err }, 'could not save the pipeline state');
      } finally {
        end();
        saving = null;
      }
    })());
  const stateTimer = config.stateSaveMs > 0 ? setInterval(() => void saveState(), config.stateSaveMs) : undefined;

  await election.start();
  takingOver = true;
  writer.start();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${port}`;
  await election.advertise(config.cluster.instanceUrl ?? url);
  log.info({ url, mqttUrl: redactUrl(mqttUrl), database: db.backend, region: REGION, role: election.role() }, 'seawall server listening');

  let closed = false;
  return {
    url,
    mqttUrl,
    db,
    async flush() {
      flushEvents();
      await Promise.all([writer.flush(), eventWriter.drain(), alertWriter.drain()]);
    },
    async close() {
      if (closed) return;
      closed = true;
      // Nothing more is taken in; what was is written and acknowledged before the session is left.
      consumer.pause();
      clearInterval(stateTimer);
      clearInterval(gaugeTimer);
      clearInterval(dispatchTimer);
      clearInterval(positionsTimer);
      dispatchSocket?.close();
      if (isLeader()) await dispatch.savePositions().catch(() => undefined);
      await acks.stop();
      await writer.stop();
      clearInterval(eventTimer);
      flushEvents();
      await eventWriter.drain();
      await alertWriter.drain();
      // Last, once everything it refers to is written: the next server carries on from here.
      await saving;
      await saveState();
      await consumer.close();
      // Only now may a standby take over: everything it carries on from is written.
      await election.close();
      relays?.close();
      await broadcaster.close();
      await cluster.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await broker?.close();
      await db.close();
    },
  };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'invalid-url';
  }
}
