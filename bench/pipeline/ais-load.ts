// The load of the pipeline benchmark: real recorded AIS position reports (types 1, 2, 3 and 18 from
// shared/fixtures/ais), one vessel per MMSI, each re-sent many times with its position moved on by dead
// reckoning, its UTC second and communication state advanced, and an NMEA 4.0 tag block whose `c:` is the
// publish time in milliseconds. Every other bit of each report is as recorded. The fields are patched in
// the six-bit symbols and armoured again, the sentence and tag-block checksums recomputed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AisDecoder, unarmour, decodeAisPayload, parseAisSentence, type AisMessage } from '../../edge-gateway/src/decoders/ais';
import { nmeaChecksum } from '../../edge-gateway/src/scenario/encode-ais';

const CORPUS_FILES = /\.(aivdm|log|nmea|txt)$/;
const AIS_LINE = /^(\\[^\\]*\\)?(![A-Z]{2}VD[MO],.*)$/;
const KNOT_MS = 1852 / 3600;
const M_PER_DEG = 111_320;
/** Dead reckoning only below this speed; faster reports (102.2 = "102.2 kn or more") stay in place. */
const MAX_MOVING_KN = 60;

/** Bit offsets (ITU-R M.1371-5 Annex 8) of the fields patched, per message type. */
const LAYOUT = {
  A: { lon: 61, lat: 89, second: 137, radio: 149, radioBits: 19 },
  // Message 18: bit 148 is the communication state selector flag, kept; the 19-bit state after it varies.
  B: { lon: 57, lat: 85, second: 133, radio: 149, radioBits: 19 },
} as const;

export interface Vessel {
  index: number;
  mmsi: number;
  type: number;
  layout: (typeof LAYOUT)[keyof typeof LAYOUT];
  /** The recorded report's six-bit symbols (168 bits); patched in place for every message. */
  symbols: Uint8Array;
  talker: string;
  channel: string;
  lon0: number;
  lat0: number;
  /** Metres per millisecond north and east (0 for a vessel at rest or without a usable course). */
  northPerMs: number;
  eastPerMs: number;
  radio0: number;
  sent: number;
  /** `c:` of the last message, epoch ms: strictly increasing per vessel, so every history row is distinct. */
  lastC: number;
  firstC: number;
  /** The recorded sentence, to check the patcher reproduces it unchanged. */
  original: string;
}

export interface AisLoad {
  vessels: Vessel[];
  sources: string[];
  /** Position reports read (all MMSIs) and distinct MMSIs among them. */
  reports: number;
}

/** One vessel per MMSI from the single-sentence 168-bit position reports of the fixture corpora. */
export function loadAisVessels(dir: string, limit = Infinity): AisLoad {
  const sources = readdirSync(dir).filter((f) => CORPUS_FILES.test(f)).sort();
  const byMmsi = new Map<number, Vessel>();
  let reports = 0;
  for (const file of sources) {
    for (const raw of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const m = AIS_LINE.exec(raw.replace(/\r$/, ''));
      if (!m) continue;
      const line = m[2]!;
      const s = parseAisSentence(line);
      if (!s.ok || s.value.fragmentCount !== 1 || s.value.payload.length !== 28 || s.value.fillBits !== 0) continue;
      const decoded = new AisDecoder().push(line, 0);
      if (!decoded.ok || !decoded.value) continue;
      const msg = decoded.value.message;
      if (!isPositionReport(msg) || msg.lon === null || msg.lat === null || msg.mmsi <= 0) continue;
      if (Math.abs(msg.lat) > 85) continue;
      reports++;
      if (byMmsi.has(msg.mmsi)) continue;
      const un = unarmour([{ payload: s.value.payload, fillBits: 0 }]);
      if (!un.ok) continue;
      const moving = msg.sog !== null && msg.sog > 0 && msg.sog < MAX_MOVING_KN && msg.cog !== null;
      const speed = moving ? msg.sog! * KNOT_MS : 0;
      const course = moving ? (msg.cog! * Math.PI) / 180 : 0;
      const northPerMs = (speed * Math.cos(course)) / 1000 / M_PER_DEG;
      const eastPerMs = (speed * Math.sin(course)) / 1000 / (M_PER_DEG * Math.cos((msg.lat * Math.PI) / 180));
      byMmsi.set(msg.mmsi, {
        index: byMmsi.size,
        mmsi: msg.mmsi,
        type: msg.type,
        layout: msg.type === 18 ? LAYOUT.B : LAYOUT.A,
        symbols: un.value.symbols,
        talker: line.slice(1, 6),
        channel: s.value.channel ?? 'A',
        lon0: msg.lon,
        lat0: msg.lat,
        northPerMs,
        eastPerMs,
        radio0: msg.type === 18 ? msg.radio & 0x7ffff : msg.radio,
        sent: 0,
        lastC: 0,
        firstC: 0,
        original: line,
      });
    }
  }
  const vessels = [...byMmsi.values()].slice(0, limit);
  for (const v of vessels) selfCheck(v);
  return { vessels, sources, reports };
}

function isPositionReport(m: AisMessage): m is Extract<AisMessage, { type: 1 | 2 | 3 | 18 }> {
  return m.type === 1 || m.type === 2 || m.type === 3 || m.type === 18;
}

/** Writes `value` (two's complement when negative) into `width` bits from bit `start`. */
function setBits(symbols: Uint8Array, start: number, width: number, value: number): void {
  const m = 2 ** width;
  const v = ((Math.trunc(value) % m) + m) % m;
  for (let i = 0; i < width; i++) {
    const pos = start + i;
    const s = (pos / 6) | 0;
    const mask = 1 << (5 - (pos % 6));
    if ((v >>> (width - 1 - i)) & 1) symbols[s]! |= mask;
    else symbols[s]! &= ~mask;
  }
}

function armour(symbols: Uint8Array): string {
  let out = '';
  for (let i = 0; i < symbols.length; i++) {
    const v = symbols[i]!;
    out += String.fromCharCode(v < 40 ? v + 48 : v + 56);
  }
  return out;
}

/** The vessel's sentence for observation time `cMs`, with an NMEA 4.0 tag block `\s:<source>,c:<ms>*hh\`. */
export function nextSentence(v: Vessel, cMs: number, source: string): string {
  if (v.sent === 0) v.firstC = cMs;
  const dt = cMs - v.firstC;
  const lat = v.lat0 + v.northPerMs * dt;
  const lon = v.lon0 + v.eastPerMs * dt;
  const L = v.layout;
  setBits(v.symbols, L.lon, 28, Math.round(lon * 600_000));
  setBits(v.symbols, L.lat, 27, Math.round(lat * 600_000));
  setBits(v.symbols, L.second, 6, Math.floor(cMs / 1000) % 60);
  // The communication state moves on with every report (as SOTDMA slot time-outs and offsets do), so a vessel
  // at rest still sends a new sentence each time and none is taken for another receiver's copy.
  setBits(v.symbols, L.radio, L.radioBits, (v.radio0 + v.sent) % 2 ** L.radioBits);
  v.sent++;
  v.lastC = cMs;
  const body = `${v.talker},1,1,,${v.channel},${armour(v.symbols)},0`;
  const tag = `s:${source},c:${cMs}`;
  return `\\${tag}*${nmeaChecksum(tag)}\\!${body}*${nmeaChecksum(body)}`;
}

/**
 * Checks the patcher against the gateway's own decoder: the recorded symbols armour back to the recorded
 * sentence, and a patched sentence decodes to the intended position with every other field unchanged.
 */
function selfCheck(v: Vessel): void {
  const star = v.original.lastIndexOf('*');
  const body = v.original.slice(1, star);
  if (v.original.slice(star + 1, star + 3).toUpperCase() !== nmeaChecksum(body)) throw new Error(`checksum of ${v.original} not reproduced`);
  const payload = body.split(',')[5]!;
  if (armour(v.symbols) !== payload) throw new Error(`armouring of ${v.original} not reproduced`);
  const before = decodeAisPayload({ symbols: v.symbols.slice(), bitLength: 168 });
  const copy: Vessel = { ...v, symbols: v.symbols.slice(), sent: 0 };
  const t = 1_764_201_600_000 + 61_234;
  nextSentence(copy, t, 'check');
  const line = nextSentence(copy, t + 60_000, 'check');
  const decoded = new AisDecoder().push(line, 0);
  if (!decoded.ok || !decoded.value || !before.ok) throw new Error(`patched sentence of ${v.mmsi} does not decode: ${line}`);
  const a = before.value as unknown as Record<string, unknown>;
  const b = decoded.value.message as unknown as Record<string, unknown>;
  if (decoded.value.sourceTimeMs !== t + 60_000) throw new Error(`tag-block time of ${line} reads ${decoded.value.sourceTimeMs}`);
  for (const key of Object.keys(a)) {
    if (['lon', 'lat', 'second', 'radio'].includes(key)) continue;
    if (a[key] !== b[key]) throw new Error(`patching ${v.mmsi} changed ${key}: ${String(a[key])} -> ${String(b[key])}`);
  }
  const expectLat = v.lat0 + v.northPerMs * 60_000;
  const expectLon = v.lon0 + v.eastPerMs * 60_000;
  if (Math.abs((b.lat as number) - expectLat) > 1e-5 || Math.abs((b.lon as number) - expectLon) > 1e-5 || b.second !== 1) {
    throw new Error(`patched position of ${v.mmsi} reads ${String(b.lon)},${String(b.lat)} s${String(b.second)}`);
  }
}

/**
 * Each receiver's sentences as MQTT messages of up to `maxLines` lines (as a receiver's TCP-to-MQTT bridge
 * forwards what one read gave it): the architecture's "one or more lines" per `sensors/ais/…` message.
 */
export function receiverMessages(byTopic: ReadonlyMap<string, readonly string[]>, maxLines: number): { topics: string[]; payloads: string[] } {
  const topics: string[] = [];
  const payloads: string[] = [];
  for (const [topic, lines] of byTopic) {
    for (let i = 0; i < lines.length; i += maxLines) {
      topics.push(topic);
      payloads.push(lines.slice(i, i + maxLines).join('\r\n'));
    }
  }
  return { topics, payloads };
}
