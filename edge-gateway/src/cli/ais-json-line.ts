import type {
  AisAidToNavigationReport,
  AisBaseStationReport,
  AisExtendedPositionReportB,
  AisLongRangeReport,
  AisMessage,
  AisPositionReportA,
  AisPositionReportB,
  AisSarAircraftReport,
  AisStaticDataReportA,
  AisStaticDataReportB,
  AisStaticVoyageData,
  DecodedAis,
} from '../decoders/ais';

// Hand-written because this is the hot path of `seawall decode`: JSON.stringify costs about twice as
// much, nearly all of it in printing doubles (about 0.4 µs each in V8). Speeds, courses and draughts are
// tenths, so they come from a table of the exact strings String() would print; lat/lon are printed
// to 7 decimals from integers. The fields and their order are those of the decoder's message objects,
// and the CLI test checks the two agree message by message over every fixture corpus.

/** String(i / 10) for every tenth a speed, course or draught can take (up to 409.5). */
const TENTHS: readonly string[] = Array.from({ length: 4096 }, (_, i) => String(i / 10));
const MAX_CACHED = 4096;
/** Other non-integer values (rate of turn has 256) printed once each. */
const printed = new Map<number, string>();

/**
 * One decoded AIS message as one JSON object (no newline): the message's own fields, then the
 * tag-block `source` and `sourceTimeMs` when the sentence carried them. See README.md in this folder.
 */
export function formatAisJsonLine(decoded: DecodedAis): string {
  let tail = '}';
  if (decoded.source !== null || decoded.sourceTimeMs !== null) {
    tail = `${decoded.source === null ? '' : `,"source":${jsonString(decoded.source)}`}${
      decoded.sourceTimeMs === null ? '' : `,"sourceTimeMs":${decoded.sourceTimeMs}`
    }}`;
  }
  return formatMessage(decoded.message) + tail;
}

/** The message without its closing brace. */
function formatMessage(m: AisMessage): string {
  switch (m.type) {
    case 1:
    case 2:
    case 3:
      return formatPositionReportA(m);
    case 4:
    case 11:
      return formatBaseStationReport(m);
    case 5:
      return formatStaticVoyageData(m);
    case 9:
      return formatSarAircraftReport(m);
    case 18:
      return formatPositionReportB(m);
    case 19:
      return formatExtendedPositionReportB(m);
    case 21:
      return formatAidToNavigationReport(m);
    case 24:
      return m.partno === 0 ? formatStaticDataReportA(m) : formatStaticDataReportB(m);
    case 27:
      return formatLongRangeReport(m);
    default:
      return formatAnyMessage(m);
  }
}

function formatPositionReportA(m: AisPositionReportA): string {
  return `{"type":${m.type},"repeat":${m.repeat},"mmsi":${m.mmsi},"navStatus":${m.navStatus},"rot":${num(m.rot)},"rotRaw":${m.rotRaw},"sog":${num(m.sog)},"accuracy":${m.accuracy},"lon":${degrees(m.lon)},"lat":${degrees(m.lat)},"cog":${num(m.cog)},"heading":${m.heading},"second":${m.second},"maneuver":${m.maneuver},"raim":${m.raim},"radio":${m.radio}`;
}

function formatBaseStationReport(m: AisBaseStationReport): string {
  return `{"type":${m.type},"repeat":${m.repeat},"mmsi":${m.mmsi},"year":${m.year},"month":${m.month},"day":${m.day},"hour":${m.hour},"minute":${m.minute},"second":${m.second},"accuracy":${m.accuracy},"lon":${degrees(m.lon)},"lat":${degrees(m.lat)},"epfd":${m.epfd},"raim":${m.raim},"radio":${m.radio}`;
}

function formatStaticVoyageData(m: AisStaticVoyageData): string {
  return `{"type":5,"repeat":${m.repeat},"mmsi":${m.mmsi},"aisVersion":${m.aisVersion},"imo":${m.imo},"callsign":${jsonString(m.callsign)},"shipName":${jsonString(m.shipName)},"shipType":${m.shipType},"toBow":${m.toBow},"toStern":${m.toStern},"toPort":${m.toPort},"toStarboard":${m.toStarboard},"epfd":${m.epfd},"eta":${m.eta === null ? 'null' : jsonString(m.eta)},"draught":${num(m.draught)},"destination":${jsonString(m.destination)},"dte":${m.dte}`;
}

function formatSarAircraftReport(m: AisSarAircraftReport): string {
  return `{"type":9,"repeat":${m.repeat},"mmsi":${m.mmsi},"alt":${m.alt},"sog":${m.sog},"accuracy":${m.accuracy},"lon":${degrees(m.lon)},"lat":${degrees(m.lat)},"cog":${num(m.cog)},"second":${m.second},"regional":${m.regional},"dte":${m.dte},"assigned":${m.assigned},"raim":${m.raim},"radio":${m.radio}`;
}

function formatPositionReportB(m: AisPositionReportB): string {
  return `{"type":18,"repeat":${m.repeat},"mmsi":${m.mmsi},"reserved":${m.reserved},"sog":${num(m.sog)},"accuracy":${m.accuracy},"lon":${degrees(m.lon)},"lat":${degrees(m.lat)},"cog":${num(m.cog)},"heading":${m.heading},"second":${m.second},"regional":${m.regional},"cs":${m.cs},"display":${m.display},"dsc":${m.dsc},"band":${m.band},"msg22":${m.msg22},"assigned":${m.assigned},"raim":${m.raim},"radio":${m.radio}`;
}

function formatExtendedPositionReportB(m: AisExtendedPositionReportB): string {
  return `{"type":19,"repeat":${m.repeat},"mmsi":${m.mmsi},"reserved":${m.reserved},"sog":${num(m.sog)},"accuracy":${m.accuracy},"lon":${degrees(m.lon)},"lat":${degrees(m.lat)},"cog":${num(m.cog)},"heading":${m.heading},"second":${m.second},"regional":${m.regional},"shipName":${jsonString(m.shipName)},"shipType":${m.shipType},"toBow":${m.toBow},"toStern":${m.toStern},"toPort":${m.toPort},"toStarboard":${m.toStarboard},"epfd":${m.epfd},"raim":${m.raim},"dte":${m.dte},"assigned":${m.assigned}`;
}

function formatAidToNavigationReport(m: AisAidToNavigationReport): string {
  return `{"type":21,"repeat":${m.repeat},"mmsi":${m.mmsi},"aidType":${m.aidType},"name":${jsonString(m.name)},"accuracy":${m.accuracy},"lon":${degrees(m.lon)},"lat":${degrees(m.lat)},"toBow":${m.toBow},"toStern":${m.toStern},"toPort":${m.toPort},"toStarboard":${m.toStarboard},"epfd":${m.epfd},"second":${m.second},"offPosition":${m.offPosition},"regional":${m.regional},"raim":${m.raim},"virtualAid":${m.virtualAid},"assigned":${m.assigned}`;
}

function formatStaticDataReportA(m: AisStaticDataReportA): string {
  return `{"type":24,"repeat":${m.repeat},"mmsi":${m.mmsi},"partno":0,"shipName":${jsonString(m.shipName)}`;
}

function formatStaticDataReportB(m: AisStaticDataReportB): string {
  return `{"type":24,"repeat":${m.repeat},"mmsi":${m.mmsi},"partno":1,"shipType":${m.shipType},"vendorId":${jsonString(m.vendorId)},"model":${m.model},"serial":${m.serial},"callsign":${jsonString(m.callsign)},"toBow":${m.toBow},"toStern":${m.toStern},"toPort":${m.toPort},"toStarboard":${m.toStarboard},"mothershipMmsi":${m.mothershipMmsi}`;
}

function formatLongRangeReport(m: AisLongRangeReport): string {
  return `{"type":27,"repeat":${m.repeat},"mmsi":${m.mmsi},"accuracy":${m.accuracy},"raim":${m.raim},"navStatus":${m.navStatus},"lon":${degrees(m.lon)},"lat":${degrees(m.lat)},"sog":${m.sog},"cog":${m.cog},"positionLatency":${m.positionLatency}`;
}

/** Header-only types, and any shape added to the decoder later: every own field, in order. */
function formatAnyMessage(m: AisMessage): string {
  let out = '{';
  for (const [key, value] of Object.entries(m)) {
    if (value === undefined || typeof value === 'function') continue;
    out += `${out.length === 1 ? '' : ','}${jsonString(key)}:`;
    if (typeof value === 'number') out += num(value);
    else if (typeof value === 'string') out += jsonString(value);
    else out += JSON.stringify(value);
  }
  return out;
}

/**
 * A number exactly as JSON.stringify prints it (null for null and non-finite), fast for integers,
 * tenths and values seen before.
 */
function num(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return 'null';
  if (Number.isInteger(v)) return `${v}`;
  const tenths = Math.round(v * 10);
  if (tenths >= 0 && tenths < TENTHS.length && tenths / 10 === v) return TENTHS[tenths]!;
  let text = printed.get(v);
  if (text === undefined) {
    if (printed.size >= MAX_CACHED) printed.clear();
    text = String(v);
    printed.set(v, text);
  }
  return text;
}

/**
 * Degrees rounded to 7 decimals, trailing zeros dropped. AIS positions come in 1/10 000 minute
 * (1/600 000 degree, about 0.19 m) steps, so 1e-7 degrees keeps them apart: raw = round(deg × 600 000).
 */
function degrees(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return 'null';
  let n = Math.round(v * 1e7);
  const sign = n < 0 ? '-' : '';
  if (n < 0) n = -n;
  const whole = Math.floor(n / 1e7);
  let fraction = n - whole * 1e7;
  if (fraction === 0) return `${sign}${whole}`;
  let digits = 7;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  const padded = `${fraction}`;
  return padded.length === digits
    ? `${sign}${whole}.${padded}`
    : `${sign}${whole}.${'000000'.slice(0, digits - padded.length)}${padded}`;
}

/**
 * A JSON string literal. Printable ASCII other than `"` and `\` goes through as is; anything else
 * (quotes, backslashes, control characters, non-ASCII, lone surrogates) is escaped by JSON.stringify.
 */
export function jsonString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return JSON.stringify(s);
  }
  return `"${s}"`;
}
