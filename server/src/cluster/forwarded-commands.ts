import { OrderResponse, UnitStatus, type ClientToServerEvents, type OrderId, type UnitId } from '@seawall/contracts';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Principal } from '../auth/auth-service';
import { DispatchInputError, type DispatchService } from '../dispatch/dispatch-service';
import { OrderTransitionError } from '../dispatch/order-machine';
import { actorOf } from '../http/dispatch-routes';

/** The socket commands that change the dispatch loop: a standby sends them to the leader, whose memory holds it. */
export const LEADER_COMMANDS: ReadonlySet<keyof ClientToServerEvents> = new Set(['order:received', 'order:respond', 'unit:report']);

export type CommandResult = { ok: true; value: unknown } | { ok: false; error: string; message: string };

const Report = z
  .object({ status: UnitStatus.optional(), lon: z.number().min(-180).max(180).optional(), lat: z.number().min(-90).max(90).optional() })
  .strict()
  .refine((r) => (r.lon === undefined) === (r.lat === undefined), 'lon and lat go together');

/**
 * Runs on the leader a command a client sent to a standby, as realtime/dispatch-socket.ts runs it for its own
 * sockets (same checks, same answers). The principal was authenticated and the command allowed by the standby.
 */
export async function runForwardedCommand(dispatch: DispatchService, principal: Principal, event: string, args: unknown[], log: Logger): Promise<CommandResult> {
  const unitId = principal.unitId as UnitId | null;
  try {
    switch (event) {
      case 'order:received':
        return { ok: true, value: await dispatch.delivered(z.string().max(128).parse(args[0]) as OrderId, (unitId ?? '-') as UnitId) };
      case 'order:respond': {
        const r = OrderResponse.parse(args[0]);
        return { ok: true, value: await dispatch.act(r.orderId, r.action, actorOf(principal), { ...(r.outcome ? { outcome: r.outcome } : {}), ...(r.note ? { note: r.note } : {}) }) };
      }
      case 'unit:report':
        if (!unitId) throw new DispatchInputError('only a unit reports for itself here', 'not-found');
        return { ok: true, value: await dispatch.report(unitId, Report.parse(args[0]), principal.name) };
      default:
        return { ok: false, error: 'bad-request', message: `${event} is not a command the leader runs` };
    }
  } catch (err) {
    if (err instanceof DispatchInputError || err instanceof OrderTransitionError) return { ok: false, error: err.code, message: err.message };
    if (err instanceof z.ZodError) return { ok: false, error: 'bad-request', message: err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
    log.error({ err, event }, 'forwarded dispatch command failed');
    return { ok: false, error: 'internal', message: 'the command failed; try again' };
  }
}
