import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { common, MavLinkProtocolV2, minimal } from 'node-mavlink';
import { describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES, MavlinkFrameSplitter, type MavlinkSplitEvent } from './mavlink-frame';
import { chunks, FIXTURE_FILES, FIXTURES, fixtureStream, frameOf, inventory, prng } from './test-support';

/** Every event of a stream fed in the given chunks, with the splitter's totals. */
function split(parts: readonly Uint8Array[]) {
  const splitter = new MavlinkFrameSplitter();
  const events: MavlinkSplitEvent[] = [];
  for (const part of parts) events.push(...splitter.push(part));
  return { events, stats: splitter.stats() };
}

/** `msgid/seq` of each good frame, to compare streams. */
const frameKeys = (events: readonly MavlinkSplitEvent[]) =>
  events.flatMap((e) => (e.type === 'frame' ? [`${e.frame.msgId}/${e.frame.seq}`] : []));

const fingerprint = (events: readonly MavlinkSplitEvent[]) =>
  events.map((e) => `${e.type} ${(e.type === 'frame' ? e.frame.raw : e.raw).toString('hex')}`);

function countsByMsgId(events: readonly MavlinkSplitEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) {
    if (e.type === 'bad-crc') continue;
    const id = String(e.type === 'frame' ? e.frame.msgId : e.msgId);
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

describe('MavlinkFrameSplitter on the shared fixtures', () => {
  it('reads the fixtures from shared/fixtures/mavlink beside the project', () => {
    expect(fileURLToPath(FIXTURES)).toMatch(/\/shared\/fixtures\/mavlink\/$/);
    expect(existsSync(new URL('INVENTORY.json', FIXTURES))).toBe(true);
  });

  it.each(FIXTURE_FILES)('%s in seeded random chunks gives the frames INVENTORY.json counts, with no CRC error', (file) => {
    const inv = inventory(file);
    const stream = fixtureStream(file);
    const { events, stats } = split(chunks(stream, 42));

    // node-mavlink's counts for the ids it knows; the frame scan's for the ids it does not (8, 300, 411)
    // and for AUTOPILOT_VERSION (148), which it checks but cannot decode.
    const expected: Record<string, number> = {};
    for (const [key, n] of Object.entries(inv.nodeMavlink.msgCounts)) expected[key.split(':')[0]!] = n;
    for (const [id, n] of Object.entries(inv.frameScan.msgIdCounts)) expected[id] ??= n;
    expect(countsByMsgId(events)).toEqual(expected);

    expect(stats.crcErrors).toBe(0);
    expect(stats.frames).toBe(inv.nodeMavlink.packets);
    expect(stats.unknownFrames).toBe(inv.nodeMavlink.unknownMsgIdPackets);
    expect(stats.v1Frames).toBe(inv.frameScan.v1);
    expect(stats.junkBytes).toBe(inv.frameScan.skippedBytes);
    expect(stats.bytesIn).toBe(stream.length);
    expect(stats.frameBytes + stats.unknownBytes + stats.junkBytes + stats.pendingBytes).toBe(stats.bytesIn);
  });

  it.each(FIXTURE_FILES)('%s gives the same frames whole, in random chunks and byte by byte', (file) => {
    const stream = fixtureStream(file).subarray(0, 20_000);
    const whole = fingerprint(split([stream]).events);
    expect(fingerprint(split(chunks(stream, 7)).events)).toEqual(whole);
    expect(fingerprint(split(chunks(stream, 8, 3)).events)).toEqual(whole);
  });

  it('holds the truncated last frame of node-mavlink-data.mavlink (11 of its 23 bytes) for the next chunk', () => {
    const { stats } = split([fixtureStream('node-mavlink-data.mavlink')]);
    expect(stats.frames).toBe(1476);
    expect(stats.pendingBytes).toBe(11);
  });

  it('skips the 5 junk bytes node-mavlink-GH-5.bin starts with and reads its 26 v1 and 112 v2 frames', () => {
    const { events, stats } = split([fixtureStream('node-mavlink-GH-5.bin')]);
    expect(stats).toMatchObject({ junkBytes: 5, v1Frames: 26, v2Frames: 110, unknownFrames: 2, crcErrors: 0 });
    expect(events.filter((e) => e.type === 'unknown-message').map((e) => e.msgId).sort()).toEqual([300, 8]);
  });
});

describe('MavlinkFrameSplitter on split, corrupted and noisy streams', () => {
  const gh5 = fixtureStream('node-mavlink-GH-5.bin');
  const original = split([gh5]).events;
  /** Start offset of each event's frame in GH-5. */
  const offsets: number[] = [];
  for (let at = 5, i = 0; i < original.length; i++) {
    offsets.push(at);
    const e = original[i]!;
    at += e.type === 'frame' ? e.frame.raw.length : e.raw.length;
  }

  it('reassembles a v1 and a v2 frame cut at every byte', () => {
    for (const frame of [frameOf(new common.Attitude(), { version: 1, seq: 3 }), frameOf(Object.assign(new common.SysStatus(), { load: 500 }), { seq: 4 })]) {
      for (let cut = 0; cut <= frame.length; cut++) {
        const splitter = new MavlinkFrameSplitter();
        expect(splitter.push(frame.subarray(0, cut))).toHaveLength(cut === frame.length ? 1 : 0);
        if (cut < frame.length) expect(splitter.push(frame.subarray(cut))).toHaveLength(1);
        expect(splitter.stats()).toMatchObject({ frames: 1, junkBytes: 0, pendingBytes: 0 });
      }
    }
  });

  it('reports a frame with one corrupted payload byte as exactly one bad-crc, with its bytes, and reads every other frame', () => {
    // A frame and then zeros after the stream settle whatever is still held at its end.
    const flush = Buffer.concat([frameOf(new minimal.Heartbeat(), { seq: 200 }), Buffer.alloc(MAX_FRAME_BYTES)]);
    let tried = 0;
    original.forEach((event, i) => {
      if (event.type !== 'frame') return;
      const headerLength = event.frame.version === 1 ? 6 : 10;
      const payloadLength = event.frame.raw[1]!;
      if (payloadLength === 0) return;
      const corrupted = Buffer.from(gh5);
      corrupted[offsets[i]! + headerLength + (payloadLength >> 1)]! ^= 0x20;
      const { events, stats } = split([...chunks(corrupted, i), flush]);
      const bad = events.filter((e) => e.type === 'bad-crc');
      expect(bad).toHaveLength(1);
      expect(bad[0]!.raw).toEqual(corrupted.subarray(offsets[i]!, offsets[i]! + event.frame.raw.length));
      expect(frameKeys(events)).toEqual([...frameKeys(original.filter((_, j) => j !== i)), '0/200']);
      expect(stats.crcErrors).toBe(1);
      tried++;
    });
    expect(tried).toBe(136);
  });

  it('loses at most two frames and reports at most one bad-crc for a corrupted byte anywhere', () => {
    const tail = gh5.subarray(5, 600);
    const { frames, unknownFrames } = split([tail]).stats;
    const expected = 136 + 2 + frames + unknownFrames;
    for (let at = 0; at < gh5.length; at++) {
      const corrupted = Buffer.from(gh5);
      corrupted[at]! ^= 0x5a;
      // A valid tail, so that frames held at the end of the stream are settled.
      const { stats } = split([corrupted, tail]);
      expect(stats.crcErrors).toBeLessThanOrEqual(1);
      expect(expected - stats.frames - stats.unknownFrames).toBeLessThanOrEqual(2);
    }
  });

  it('skips junk between frames, counting it, and still reads every frame', () => {
    const rand = prng(5);
    const quiet: Buffer[] = [];
    const noisy: Buffer[] = [];
    let quietJunk = 0;
    let unknownRead = 0;
    original.forEach((e, i) => {
      const raw = e.type === 'frame' ? e.frame.raw : e.raw;
      // Noise without start bytes, then noise with them, after every frame but the last.
      const length = i === original.length - 1 ? 0 : Math.floor(rand() * 40);
      const q = Buffer.from(Array.from({ length }, () => Math.floor(rand() * 0xfd)));
      const n = Buffer.from(Array.from({ length }, () => (rand() < 0.1 ? 0xfd + Math.floor(rand() * 2) : Math.floor(rand() * 256))));
      // A frame whose id cannot be checked is believed only when the next frame follows it directly.
      if (e.type === 'unknown-message' && length > 0) quietJunk += raw.length;
      else if (e.type === 'unknown-message') unknownRead++;
      quietJunk += length;
      quiet.push(raw, q);
      noisy.push(raw, n);
    });
    const a = split(chunks(Buffer.concat(quiet), 9));
    expect(frameKeys(a.events)).toEqual(frameKeys(original));
    expect(a.stats).toMatchObject({ junkBytes: quietJunk, crcErrors: 0, unknownFrames: unknownRead });

    const b = split([...chunks(Buffer.concat(noisy), 10), Buffer.alloc(MAX_FRAME_BYTES)]);
    expect(frameKeys(b.events)).toEqual(frameKeys(original));
    expect(b.stats.frameBytes + b.stats.unknownBytes + b.stats.junkBytes + b.stats.pendingBytes).toBe(b.stats.bytesIn);
    console.log(`GH-5 with start bytes in the noise between frames: ${b.stats.crcErrors} bad-crc, ${b.stats.unknownFrames} unknown, ${b.stats.junkBytes} junk bytes`);
  });

  it('never holds more than one frame of bytes, whatever it is fed', () => {
    const rand = prng(11);
    const splitter = new MavlinkFrameSplitter();
    for (let i = 0; i < 2_000; i++) {
      const chunk = Uint8Array.from({ length: Math.floor(rand() * 600) }, () => (rand() < 0.2 ? 0xfd + Math.floor(rand() * 2) : Math.floor(rand() * 256)));
      splitter.push(chunk);
      expect(splitter.stats().pendingBytes).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    }
    const s = splitter.stats();
    expect(s.frameBytes + s.unknownBytes + s.junkBytes + s.pendingBytes).toBe(s.bytesIn);
  });

  it('reads a signed MAVLink 2 frame, signature included, and drops one with an unknown incompat flag', () => {
    const protocol = new MavLinkProtocolV2(7, 1, MavLinkProtocolV2.IFLAG_SIGNED);
    const signed = protocol.sign(protocol.serialize(new minimal.Heartbeat(), 9), 1, Buffer.alloc(32, 1), Date.UTC(2026, 0, 1));
    const events = new MavlinkFrameSplitter().push(signed);
    expect(events).toMatchObject([{ type: 'frame', frame: { version: 2, msgId: 0, sysId: 7, seq: 9, signed: true } }]);
    expect(events[0]!.type === 'frame' && events[0]!.frame.raw.length).toBe(signed.length);

    const flagged = frameOf(new minimal.Heartbeat());
    flagged[2] = 0x02;
    const splitter = new MavlinkFrameSplitter();
    expect(splitter.push(Buffer.concat([flagged, frameOf(new minimal.Heartbeat(), { seq: 1 })])).map((e) => e.type)).toEqual(['frame']);
    expect(splitter.stats().junkBytes).toBe(flagged.length);
  });

  it('counts a frame with an id node-mavlink does not know as unknown, skipping it whole', () => {
    const unknown = frameOf(new minimal.Heartbeat());
    unknown.writeUIntLE(411, 7, 3);
    const splitter = new MavlinkFrameSplitter();
    const events = splitter.push(Buffer.concat([unknown, frameOf(new minimal.Heartbeat(), { seq: 1 })]));
    expect(events.map((e) => e.type)).toEqual(['unknown-message', 'frame']);
    expect(events[0]).toMatchObject({ msgId: 411, raw: unknown });
  });
});
