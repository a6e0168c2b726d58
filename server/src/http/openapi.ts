import { Alert, Track, TrackEvent } from '@seawall/contracts';
import { z } from 'zod';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'draft-2020-12', unrepresentable: 'any' });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (s: object) => ({ content: { 'application/json': { schema: s } } });
const error = { description: 'Bad request: `{ error, issues }` names every bad parameter', ...json({ type: 'object' }) };
const csv = (name: string, what: string) => ({ name, in: 'query', required: false, description: `${what}, comma-separated`, schema: { type: 'string' } });
const ms = (name: string, what: string) => ({ name, in: 'query', required: false, description: `${what} (epoch ms)`, schema: { type: 'integer' } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

const alertAction = (what: string) => ({
  post: {
    summary: what,
    parameters: [idParam],
    requestBody: json({ type: 'object', properties: { actor: { type: 'string', maxLength: 128 }, note: { type: 'string', maxLength: 1024 } }, additionalProperties: false }),
    responses: {
      200: { description: 'The alert after the change', ...json({ type: 'object', properties: { alert: ref('Alert') } }) },
      400: error,
      404: { description: 'No such alert' },
      409: { description: 'The alert cannot make this change from its current status' },
    },
  },
});

/** The OpenAPI 3.1 description of the REST API, with the contract's schemas as components. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Seawall API', version: '0.1.0', description: 'Coastal surveillance: tracks, alerts, ring events.' },
  paths: {
    '/health': { get: { summary: 'Database and broker state', responses: { 200: { description: 'ok' }, 503: { description: 'degraded' } } } },
    '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text exposition format' } } } },
    '/api/tracks': {
      get: {
        summary: 'The live picture',
        parameters: [
          { name: 'bbox', in: 'query', required: false, description: 'west,south,east,north in degrees', schema: { type: 'string' } },
          csv('ring', 'near-sea, shoreline, inland, outside'),
          csv('level', 'red, orange, yellow, blue'),
          csv('source', 'ais, radar, fused, drone, unit'),
        ],
        responses: { 200: { description: 'Tracks', ...json({ type: 'object', properties: { tracks: { type: 'array', items: ref('Track') } } }) }, 400: error },
      },
    },
    '/api/tracks/{id}': {
      get: {
        summary: 'One track and its open alerts',
        parameters: [idParam],
        responses: { 200: { description: 'The track', ...json({ type: 'object', properties: { track: ref('Track'), alerts: { type: 'array', items: ref('Alert') } } }) }, 404: { description: 'Not in the picture' } },
      },
    },
    '/api/tracks/{id}/history': {
      get: {
        summary: 'Positions from PostGIS as GeoJSON: a LineString, then a Point per fix',
        parameters: [idParam, ms('from', 'From (default: a day before `to`)'), ms('to', 'To, inclusive (default: last seen)'), { name: 'limit', in: 'query', required: false, schema: { type: 'integer', maximum: 50000 } }],
        responses: { 200: { description: 'GeoJSON FeatureCollection', ...json({ type: 'object' }) }, 400: error },
      },
    },
    '/api/alerts': {
      get: {
        summary: 'Alerts, highest level first, then newest',
        parameters: [csv('status', 'open, acknowledged, dispatched, resolved, false-alarm'), csv('level', 'Levels'), csv('rule', 'Rules'), csv('ring', 'Rings'), ms('from', 'Raised at or after'), ms('to', 'Raised at or before'), { name: 'limit', in: 'query', required: false, schema: { type: 'integer', maximum: 5000 } }],
        responses: { 200: { description: 'Alerts', ...json({ type: 'object', properties: { alerts: { type: 'array', items: ref('Alert') } } }) }, 400: error },
      },
    },
    '/api/alerts/{id}/ack': alertAction('Acknowledge an alert'),
    '/api/alerts/{id}/resolve': alertAction('Resolve an alert'),
    '/api/alerts/{id}/false-alarm': alertAction('Mark an alert a false alarm'),
    '/api/events': {
      get: {
        summary: 'Ring and zone entries and exits, newest first',
        parameters: [ms('from', 'From'), ms('to', 'To, exclusive'), { name: 'trackId', in: 'query', required: false, schema: { type: 'string' } }, { name: 'limit', in: 'query', required: false, schema: { type: 'integer', maximum: 50000 } }],
        responses: { 200: { description: 'Events', ...json({ type: 'object', properties: { events: { type: 'array', items: ref('TrackEvent') } } }) }, 400: error },
      },
    },
  },
  components: { schemas: { Track: schema(Track), Alert: schema(Alert), TrackEvent: schema(TrackEvent) } },
} as const;
