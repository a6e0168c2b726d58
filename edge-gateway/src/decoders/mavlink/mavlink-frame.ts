import { MSG_ID_MAGIC_NUMBER, x25crc } from 'node-mavlink';

const STX_V1 = 0xfe;
const STX_V2 = 0xfd;
const HEADER_V1 = 6;
const HEADER_V2 = 10;
const CHECKSUM_LENGTH = 2;
const SIGNATURE_LENGTH = 13;
/** MAVLink 2 incompat_flags bit: a 13-byte signature follows the checksum. */
const IFLAG_SIGNED = 0x01;

/** The longest frame: MAVLink 2, 255-byte payload, signed. A splitter never holds more than this many bytes. */
export const MAX_FRAME_BYTES = HEADER_V2 + 255 + CHECKSUM_LENGTH + SIGNATURE_LENGTH;

/** One MAVLink frame whose checksum matched. */
export interface MavlinkFrame {
  version: 1 | 2;
  msgId: number;
  sysId: number;
  compId: number;
  seq: number;
  /** MAVLink 2 signed frame; the signature is carried, not verified (the gateway holds no keys). */
  signed: boolean;
  /** The whole frame, start byte to checksum (and signature). */
  raw: Buffer;
}

/** What the splitter found in the byte stream, in stream order. */
export type MavlinkSplitEvent =
  | { type: 'frame'; frame: MavlinkFrame }
  /** A frame whose checksum did not match: corrupted on the link, or a start byte inside junk. */
  | { type: 'bad-crc'; msgId: number; raw: Buffer }
  /** A frame with a message id this build has no CRC_EXTRA for, so its checksum cannot be checked. */
  | { type: 'unknown-message'; msgId: number; raw: Buffer };

/** Running totals; `bytesIn = frameBytes + unknownBytes + junkBytes + pendingBytes` at all times. */
export interface MavlinkSplitterStats {
  bytesIn: number;
  frames: number;
  v1Frames: number;
  v2Frames: number;
  frameBytes: number;
  unknownFrames: number;
  unknownBytes: number;
  crcErrors: number;
  /** Bytes that belong to no frame: noise between frames and the bytes of frames that failed their checksum. */
  junkBytes: number;
  /** Bytes held for the next chunk: an incomplete frame, or an unverified one waiting for the byte after it. */
  pendingBytes: number;
}

/**
 * Splits a MAVLink v1/v2 byte stream into frames, synchronously, chunk by chunk. A frame may be split
 * across chunks and a chunk may hold any number of frames; bytes that are not a frame are skipped and
 * counted. The checksum is X.25 over the frame after its start byte, then the message's CRC_EXTRA
 * (node-mavlink's `MSG_ID_MAGIC_NUMBER`). node-mavlink's own `MavLinkPacketSplitter` is a stream
 * `Transform` that emits asynchronously, so the framing is redone here with its registry and CRC.
 *
 * A frame whose checksum fails, or whose message id has no CRC_EXTRA so that it cannot be checked, is
 * reported only when a start byte follows it (so such a frame at the end of a chunk waits for the next
 * byte); otherwise its start byte is taken for noise. After a checksum failure the search resumes one
 * byte after the failed start byte (the length byte itself may be what was corrupted), and failures that
 * begin inside the failed frame count as junk, not as more reports: one corrupted frame, one 'bad-crc'.
 */
export class MavlinkFrameSplitter {
  private pending: Buffer = Buffer.alloc(0);
  /** Offset into `pending` up to which the last reported bad frame reaches. */
  private badUntil = 0;
  private readonly totals: Omit<MavlinkSplitterStats, 'pendingBytes'> = {
    bytesIn: 0,
    frames: 0,
    v1Frames: 0,
    v2Frames: 0,
    frameBytes: 0,
    unknownFrames: 0,
    unknownBytes: 0,
    crcErrors: 0,
    junkBytes: 0,
  };

  /** Feeds the next chunk of the stream; returns what it completed. Never throws. */
  push(chunk: Uint8Array): MavlinkSplitEvent[] {
    const events: MavlinkSplitEvent[] = [];
    this.totals.bytesIn += chunk.byteLength;
    const incoming = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.pending.length === 0 ? incoming : Buffer.concat([this.pending, incoming]);
    let pos = 0;
    let junk = 0;
    while (pos < buf.length) {
      const stx = buf[pos];
      if (stx !== STX_V1 && stx !== STX_V2) {
        pos++;
        junk++;
        continue;
      }
      const headerLength = stx === STX_V1 ? HEADER_V1 : HEADER_V2;
      if (buf.length - pos < headerLength) break;
      const payloadLength = buf[pos + 1]!;
      let signed = false;
      if (stx === STX_V2) {
        const incompatFlags = buf[pos + 2]!;
        // A frame with an incompat flag we do not understand must be dropped (MAVLink 2 spec); it is far
        // more likely a 0xFD inside noise.
        if ((incompatFlags & ~IFLAG_SIGNED) !== 0) {
          pos++;
          junk++;
          continue;
        }
        signed = (incompatFlags & IFLAG_SIGNED) !== 0;
      }
      const trailerLength = CHECKSUM_LENGTH + (signed ? SIGNATURE_LENGTH : 0);
      const frameLength = headerLength + payloadLength + trailerLength;
      if (buf.length - pos < frameLength) break;

      const raw = buf.subarray(pos, pos + frameLength);
      const msgId = stx === STX_V1 ? raw[5]! : raw.readUIntLE(7, 3);
      const crcExtra = MSG_ID_MAGIC_NUMBER[msgId];
      const checked = crcExtra !== undefined && x25crc(raw, 1, trailerLength, crcExtra) === raw.readUInt16LE(headerLength + payloadLength);
      if (!checked) {
        // Unverified: the length is believed only if the next frame starts right after this one. A start
        // byte inside noise rarely passes that test, so noise is not reported as frames, and an unknown id
        // taken from noise does not swallow the real frames that follow.
        if (pos < this.badUntil) {
          pos++;
          junk++;
          continue;
        }
        if (buf.length - pos === frameLength) break;
        const next = buf[pos + frameLength];
        if (next !== STX_V1 && next !== STX_V2) {
          pos++;
          junk++;
          continue;
        }
        if (crcExtra === undefined) {
          events.push({ type: 'unknown-message', msgId, raw: Buffer.from(raw) });
          this.totals.unknownFrames++;
          this.totals.unknownBytes += frameLength;
          pos += frameLength;
        } else {
          events.push({ type: 'bad-crc', msgId, raw: Buffer.from(raw) });
          this.totals.crcErrors++;
          this.badUntil = pos + frameLength;
          pos++;
          junk++;
        }
        continue;
      }
      const version = stx === STX_V1 ? 1 : 2;
      events.push({
        type: 'frame',
        frame: {
          version,
          msgId,
          sysId: raw[version === 1 ? 3 : 5]!,
          compId: raw[version === 1 ? 4 : 6]!,
          seq: raw[version === 1 ? 2 : 4]!,
          signed,
          raw: Buffer.from(raw),
        },
      });
      this.totals.frames++;
      if (version === 1) this.totals.v1Frames++;
      else this.totals.v2Frames++;
      this.totals.frameBytes += frameLength;
      pos += frameLength;
    }
    this.totals.junkBytes += junk;
    // Copy, so the caller's payload is not kept alive by a few pending bytes.
    this.pending = Buffer.from(buf.subarray(pos));
    this.badUntil = Math.max(0, this.badUntil - pos);
    return events;
  }

  /** Drops a held partial frame, e.g. after a gap in the stream; its bytes count as junk. */
  discardPending(): void {
    this.totals.junkBytes += this.pending.length;
    this.pending = Buffer.alloc(0);
    this.badUntil = 0;
  }

  /** A snapshot of the running totals. */
  stats(): MavlinkSplitterStats {
    return { ...this.totals, pendingBytes: this.pending.length };
  }
}
