import { Alert, DispatchOrder, LoginRequest, LoginResponse, NewOrder, NewUser, Track, TrackEvent, Unit, User, UserPatch } from '@seawall/contracts';
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
    requestBody: json({ type: 'object', properties: { note: { type: 'string', maxLength: 1024 } }, additionalProperties: false }),
    responses: {
      200: { description: 'The alert after the change', ...json({ type: 'object', properties: { alert: ref('Alert') } }) },
      400: error,
      404: { description: 'No such alert' },
      409: { description: 'The alert cannot make this change from its current status' },
    },
  },
});

const withId = (summary: string, body: object | null, result: string, codes: Record<number, string> = {}) => ({
  post: {
    summary,
    parameters: [idParam],
    ...(body ? { requestBody: json(body) } : {}),
    responses: {
      200: { description: 'After the change', ...json({ type: 'object', properties: { [result]: ref(result === 'order' ? 'DispatchOrder' : 'Unit') } }) },
      400: error,
      404: { description: 'Not found (or not yours)' },
      ...Object.fromEntries(Object.entries(codes).map(([k, v]) => [k, { description: v }])),
    },
  },
});
const orderStep = (summary: string) =>
  withId(summary, { type: 'object', properties: { outcome: { type: 'string', maxLength: 1024 }, note: { type: 'string', maxLength: 1024 } }, additionalProperties: false }, 'order', {
    403: 'Not the unit the order is for',
    409: 'Not possible from the order\'s status',
  });

/** The OpenAPI 3.1 description of the REST API, with the contract's schemas as components. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Seawall API',
    version: '0.1.0',
    description:
      'Coastal surveillance: tracks, alerts, ring events, units and dispatch orders. Every /api route except /api/login and /api/openapi.json needs `Authorization: Bearer <token>` (401 without a valid one) and a role the matrix allows (403 otherwise).',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    schemas: {
      Track: schema(Track), Alert: schema(Alert), TrackEvent: schema(TrackEvent), Unit: schema(Unit), DispatchOrder: schema(DispatchOrder),
      NewOrder: schema(NewOrder), User: schema(User), NewUser: schema(NewUser), UserPatch: schema(UserPatch), LoginRequest: schema(LoginRequest), LoginResponse: schema(LoginResponse),
    },
  },
  security: [{ bearer: [] }],
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
    '/api/login': {
      post: {
        summary: 'A session token for a username and password',
        security: [],
        requestBody: json(ref('LoginRequest')),
        responses: { 200: { description: 'Signed in', ...json(ref('LoginResponse')) }, 400: error, 401: { description: 'Wrong username or password, or a disabled account' } },
      },
    },
    '/api/me': { get: { summary: 'The signed-in user', responses: { 200: { description: 'User and token expiry', ...json({ type: 'object', properties: { user: ref('User'), expiresAtMs: { type: 'integer' } } }) } } } },
    '/api/users': {
      get: { summary: 'Users (supervisors)', responses: { 200: { description: 'Users', ...json({ type: 'object', properties: { users: { type: 'array', items: ref('User') } } }) } } },
      post: { summary: 'Create a user (supervisors)', requestBody: json(ref('NewUser')), responses: { 201: { description: 'Created', ...json({ type: 'object', properties: { user: ref('User') } }) }, 400: error, 409: { description: 'Username taken' } } },
    },
    '/api/users/{id}': {
      patch: { summary: 'Rename, reset the password of, or disable a user (supervisors)', parameters: [idParam], requestBody: json(ref('UserPatch')), responses: { 200: { description: 'Changed', ...json({ type: 'object', properties: { user: ref('User') } }) }, 400: error, 404: { description: 'No such user' } } },
    },
    '/api/units': {
      get: { summary: 'Units (a unit\'s crew: its own)', responses: { 200: { description: 'Units', ...json({ type: 'object', properties: { units: { type: 'array', items: ref('Unit') } } }) } } },
      post: { summary: 'Add a unit (supervisors)', requestBody: json(ref('Unit')), responses: { 201: { description: 'Added' }, 400: error, 409: { description: 'Exists' } } },
    },
    '/api/units/{id}/report': withId('A unit\'s status or position', { type: 'object', properties: { status: { type: 'string' }, lon: { type: 'number' }, lat: { type: 'number' } } }, 'unit'),
    '/api/orders': {
      get: { summary: 'Orders, newest first (a unit\'s crew: its own)', responses: { 200: { description: 'Orders', ...json({ type: 'object', properties: { orders: { type: 'array', items: ref('DispatchOrder') } } }) } } },
      post: { summary: 'Dispatch a unit to an alert, a track or a point; sent to the unit at once', requestBody: json(ref('NewOrder')), responses: { 201: { description: 'Created and sent', ...json({ type: 'object', properties: { order: ref('DispatchOrder') } }) }, 400: error, 404: { description: 'No such unit, alert or track' }, 409: { description: 'The unit is off duty' } } },
    },
    '/api/orders/suggestions': {
      get: {
        summary: 'Units able to go, by estimated time to intercept (geodesic distances from PostGIS)',
        parameters: [{ name: 'alertId', in: 'query', required: false, schema: { type: 'string' } }, { name: 'trackId', in: 'query', required: false, schema: { type: 'string' } }, { name: 'lon', in: 'query', required: false, schema: { type: 'number' } }, { name: 'lat', in: 'query', required: false, schema: { type: 'number' } }, { name: 'capability', in: 'query', required: false, schema: { type: 'string', enum: ['sea', 'land', 'air'] } }],
        responses: { 200: { description: '`{ suggestions: [{ unit, intercept, distanceM, etaMs, catchable }] }`' }, 400: error, 404: { description: 'No such alert or track' } },
      },
    },
    '/api/orders/{id}': { get: { summary: 'One order', parameters: [idParam], responses: { 200: { description: 'The order', ...json({ type: 'object', properties: { order: ref('DispatchOrder') } }) }, 404: { description: 'Not found (or not yours)' } } } },
    '/api/orders/{id}/cancel': orderStep('Cancel (operators)'),
    '/api/orders/{id}/resolve': orderStep('Resolve with an outcome (required)'),
    '/api/orders/{id}/accept': orderStep('Accept (the unit)'),
    '/api/orders/{id}/reject': orderStep('Reject (the unit)'),
    '/api/orders/{id}/en-route': orderStep('On the way (the unit)'),
    '/api/orders/{id}/on-scene': orderStep('On scene (the unit)'),
    '/api/orders/{id}/received': withId('The unit\'s client has the order (delivery stops being retried)', null, 'order'),
    '/api/audit': {
      get: {
        summary: 'The audit log: every step from warning to disposal, oldest first',
        parameters: [{ name: 'subjectType', in: 'query', required: false, schema: { type: 'string', enum: ['alert', 'order', 'unit'] } }, { name: 'subjectId', in: 'query', required: false, schema: { type: 'string' } }, ms('from', 'From'), ms('to', 'To, exclusive'), { name: 'limit', in: 'query', required: false, schema: { type: 'integer', maximum: 10000 } }],
        responses: { 200: { description: '`{ entries: [{ id, atMs, actor, action, subjectType, subjectId, detail }] }`' }, 400: error },
      },
    },
    '/api/events': {
      get: {
        summary: 'Ring and zone entries and exits, newest first',
        parameters: [ms('from', 'From'), ms('to', 'To, exclusive'), { name: 'trackId', in: 'query', required: false, schema: { type: 'string' } }, { name: 'limit', in: 'query', required: false, schema: { type: 'integer', maximum: 50000 } }],
        responses: { 200: { description: 'Events', ...json({ type: 'object', properties: { events: { type: 'array', items: ref('TrackEvent') } } }) }, 400: error },
      },
    },
  },
} as const;
