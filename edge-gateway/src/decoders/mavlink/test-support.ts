/**
 * Test-only helpers for the MAVLink tests: the shared fixtures and their inventory, a .tlog reader, seeded
 * chunking, and frames built with node-mavlink's own serializer. Independent of the decoder under test.
 */
import { readFileSync } from 'node:fs';
import { MavLinkProtocolV1, MavLinkProtocolV2, common, type MavLinkData } from 'node-mavlink';

export const FIXTURES = new URL('../../../../../shared/fixtures/mavlink/', import.meta.url);

export const FIXTURE_FILES = [
  'node-mavlink-v2-3412-packets.bin',
  'node-mavlink-data.mavlink',
  'node-mavlink-GH-5.bin',
  'node-mavlink-vtol.tlog',
] as const;
export type FixtureFile = (typeof FIXTURE_FILES)[number];

/** The parts of INVENTORY.json the tests use. */
export interface FixtureInventory {
  bytes: number;
  nodeMavlink: {
    packets: number;
    crcErrors: number;
    unknownMsgIdPackets: number;
    msgCounts: Record<string, number>;
    firstDecoded: Record<string, Record<string, number | string>>;
    globalPositionInt: { n: number; latRange: [number, number]; lonRange: [number, number] } | null;
  };
  frameScan: { frames: number; v1: number; v2: number; skippedBytes: number; msgIdCounts: Record<string, number> };
}

export function inventory(file: FixtureFile): FixtureInventory {
  const all = JSON.parse(readFileSync(new URL('INVENTORY.json', FIXTURES), 'utf8')) as { files: Record<string, FixtureInventory> };
  return all.files[file]!;
}

/** The raw MAVLink stream of a fixture; a .tlog's 8-byte big-endian µs timestamps are stripped. */
export function fixtureStream(file: FixtureFile): Buffer {
  const bytes = readFileSync(new URL(file, FIXTURES));
  return file.endsWith('.tlog') ? Buffer.concat(tlogRecords(bytes).map((r) => r.frame)) : bytes;
}

/** The records of a .tlog: an 8-byte big-endian microsecond timestamp, then one MAVLink frame. */
export function tlogRecords(bytes: Buffer): { timeMs: number; frame: Buffer }[] {
  const records: { timeMs: number; frame: Buffer }[] = [];
  let at = 0;
  while (at + 10 <= bytes.length) {
    const stx = bytes[at + 8];
    const length = stx === 0xfe ? 8 + bytes[at + 9]! : 12 + bytes[at + 9]! + (bytes[at + 10]! & 1 ? 13 : 0);
    records.push({ timeMs: Number(bytes.readBigUInt64BE(at) / 1000n), frame: bytes.subarray(at + 8, at + 8 + length) });
    at += 8 + length;
  }
  return records;
}

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its seed. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts `bytes` into chunks of 1 to `max` bytes, sizes drawn from `seed`. */
export function chunks(bytes: Uint8Array, seed: number, max = 300): Uint8Array[] {
  const rand = prng(seed);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(rand() * max);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

/** One frame of `message` from system `sysid`, serialized by node-mavlink. */
export function frameOf(message: MavLinkData, { version = 2, sysid = 1, compid = 1, seq = 0 } = {}): Buffer {
  const protocol = version === 1 ? new MavLinkProtocolV1(sysid, compid) : new MavLinkProtocolV2(sysid, compid);
  return protocol.serialize(message, seq);
}

/**
 * The fixes' times a .tlog (MAVLink v1, one frame per record) implies, worked out with node-mavlink alone:
 * for each GLOBAL_POSITION_INT and GPS_RAW_INT frame, keyed by its bytes (latin1), the Unix ms of its
 * `time_boot_ms` (GPS_RAW_INT: `time_usec`) by the latest SYSTEM_TIME of the same system and component
 * before it, `unixMs + (bootMs - bootMsAtSystemTime)`; null before the first SYSTEM_TIME with a Unix time.
 */
export function tlogFixTimes(records: readonly { frame: Buffer }[]): Map<string, number | null> {
  const v1 = new MavLinkProtocolV1();
  const sync = new Map<string, { unixMs: number; bootMs: number }>();
  const times = new Map<string, number | null>();
  for (const { frame } of records) {
    if (frame[0] !== 0xfe) continue;
    const [sysid, compid, msgid] = [frame[3]!, frame[4]!, frame[5]!];
    const key = `${sysid}/${compid}`;
    const at = (bootMs: number) => {
      const s = sync.get(key);
      return s ? s.unixMs + (bootMs - s.bootMs) : null;
    };
    if (msgid === common.SystemTime.MSG_ID) {
      const m = v1.data(v1.payload(frame), common.SystemTime);
      if (m.timeUnixUsec > 0n) sync.set(key, { unixMs: Number(m.timeUnixUsec / 1000n), bootMs: m.timeBootMs });
    } else if (msgid === common.GlobalPositionInt.MSG_ID) {
      times.set(frame.toString('latin1'), at(v1.data(v1.payload(frame), common.GlobalPositionInt).timeBootMs));
    } else if (msgid === common.GpsRawInt.MSG_ID) {
      times.set(frame.toString('latin1'), at(Number(v1.data(v1.payload(frame), common.GpsRawInt).timeUsec / 1000n)));
    }
  }
  return times;
}
