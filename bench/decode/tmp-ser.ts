import { readFileSync } from 'node:fs';
import { AisDecoder } from '../../edge-gateway/src/decoders/ais/index';
const text = readFileSync('/tmp/ais-once.txt', 'latin1');
const lines = text.split('\n');
const d = new AisDecoder();
const msgs: any[] = [];
for (let k = 0; k < 300; k++) for (const l of lines) { if (l) { const r = d.push(l, 0); if (r.ok && r.value) msgs.push(r.value.message); } }
console.log(msgs.length);
function str(s: string): string {
  for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); if (c < 32 || c === 34 || c === 92 || c > 126) return JSON.stringify(s); }
  return '"' + s + '"';
}
function generic(m: any): string {
  let out = '{';
  let first = true;
  for (const k in m) {
    const v = m[k];
    out += (first ? '"' : ',"') + k + '":';
    first = false;
    if (typeof v === 'number') out += v;
    else if (v === null) out += 'null';
    else if (typeof v === 'string') out += str(v);
    else if (typeof v === 'boolean') out += v ? 'true' : 'false';
  }
  return out + '}';
}
function hand(m: any): string {
  switch (m.type) {
    case 1: case 2: case 3:
      return '{"type":' + m.type + ',"repeat":' + m.repeat + ',"mmsi":' + m.mmsi + ',"navStatus":' + m.navStatus + ',"rot":' + m.rot + ',"rotRaw":' + m.rotRaw + ',"sog":' + m.sog + ',"accuracy":' + m.accuracy + ',"lon":' + m.lon + ',"lat":' + m.lat + ',"cog":' + m.cog + ',"heading":' + m.heading + ',"second":' + m.second + ',"maneuver":' + m.maneuver + ',"raim":' + m.raim + ',"radio":' + m.radio + '}';
    default: return generic(m);
  }
}
for (const [name, f] of [['stringify', JSON.stringify], ['generic', generic], ['hand', hand], ['stringify', JSON.stringify], ['generic', generic], ['hand', hand]] as const) {
  const t0 = performance.now();
  let out = ''; let bytes = 0;
  for (const m of msgs) { out += (f as any)(m) + '\n'; if (out.length > 65536) { bytes += Buffer.byteLength(out); out = ''; } }
  console.log(name, (performance.now() - t0).toFixed(0), 'ms', bytes);
}
