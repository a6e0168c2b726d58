import { JsonSensorReport, MAX_JSON_REPORTS_PER_MESSAGE, Observation } from '@seawall/contracts';
import { hashObservationId } from '../normalize/obs-id';
import type { HandleResult, Rejection, SensorHandler } from './sensor-handler';

const MAX_JSON_PAYLOAD_BYTES = 256 * 1024;

/** For each observation kind, its nullable fields set to null: what a report may leave out. */
const NULLS_BY_KIND = new Map<string, Record<string, null>>(
  Observation.options.map((variant) => [
    variant.shape.kind.value,
    Object.fromEntries(
      Object.entries(variant.shape)
        .filter(([, field]) => field.safeParse(null).success)
        .map(([key]) => [key, null]),
    ),
  ]),
);

/** Sensors that already speak JSON: `sensors/json/<sensorId>` carries one report or an array of them. */
export function createJsonHandler(gatewayId: string): SensorHandler {
  return {
    handle(sensorId, payload, receivedAtMs): HandleResult {
      const result: HandleResult = { observations: [], rejections: [] };
      const reject = (reason: string, raw: Rejection['raw'], detail?: string) =>
        result.rejections.push(detail === undefined ? { reason, raw } : { reason, detail: detail.slice(0, 300), raw });
      if (payload.byteLength > MAX_JSON_PAYLOAD_BYTES) {
        reject('oversize', payload.subarray(0, 1024), `${payload.byteLength} bytes`);
        return result;
      }
      const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        reject('bad-json', payload, (err as Error).message);
        return result;
      }
      const items = Array.isArray(json) ? json : [json];
      if (items.length > MAX_JSON_REPORTS_PER_MESSAGE) {
        reject('too-many-reports', payload.subarray(0, 1024), `${items.length} reports`);
        return result;
      }
      for (const item of items) {
        const report = JsonSensorReport.safeParse(item);
        if (!report.success) {
          const issue = report.error.issues[0];
          reject('schema', JSON.stringify(item) ?? String(item), issue ? `${issue.path.join('.')}: ${issue.message}` : undefined);
          continue;
        }
        const canonical = JSON.stringify(report.data);
        const obs = Observation.safeParse({
          ...NULLS_BY_KIND.get(report.data.kind),
          ...report.data,
          obsId: hashObservationId([sensorId, canonical]),
          sensorId,
          gatewayId,
          receivedAtMs,
          observedAtMs: report.data.observedAtMs ?? receivedAtMs,
        });
        if (obs.success) result.observations.push(obs.data);
        else reject('schema', canonical, obs.error.issues[0]?.message);
      }
      return result;
    },
  };
}
