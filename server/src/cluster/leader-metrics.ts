import { Gauge, type Registry } from 'prom-client';
import type { FusionRole } from './leader-election';

/** `seawall_server_fusion_leader{region}`: 1 while this instance leads the region's fusion, 0 while it stands by. */
export function leadershipGauge(registry: Registry, region: string): (role: FusionRole) => void {
  const gauge = new Gauge({
    name: 'seawall_server_fusion_leader',
    help: 'Whether this instance leads fusion for the region (1) or stands by (0)',
    labelNames: ['region'],
    registers: [registry],
  });
  gauge.set({ region }, 0);
  return (role) => gauge.set({ region }, role === 'leader' ? 1 : 0);
}
