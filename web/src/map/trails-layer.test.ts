import { describe, expect, it } from 'vitest';
import { TrackTrails } from '../state/track-trails';
import type { BufferAttribute, GpuBuffer, GpuDevice } from './column-buffers';
import { TRAIL_SEGMENTS_LAYER_ID, TrailsLayers, type TrailHeadsData, type TrailStyle } from './trails-layer';

const RED = Uint8Array.of(255, 59, 48, 200);
const PLAIN: TrailStyle = { toDisplay: null, hiddenSerials: null, key: '' };

interface Write {
  buffer: FakeBuffer;
  byteOffset: number;
  bytes: Uint8Array;
}

/** A GPU buffer that keeps its bytes, so a test can read back what the layer uploaded. */
class FakeBuffer implements GpuBuffer {
  readonly bytes: Uint8Array;
  constructor(
    readonly byteLength: number,
    private readonly writes: Write[],
  ) {
    this.bytes = new Uint8Array(byteLength);
  }
  write(data: ArrayBufferView, byteOffset = 0): void {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    this.bytes.set(bytes, byteOffset);
    this.writes.push({ buffer: this, byteOffset, bytes });
  }
  destroy(): void {}
}

function fakeDevice(): GpuDevice & { writes: Write[] } {
  const writes: Write[] = [];
  return { writes, createBuffer: ({ byteLength }) => new FakeBuffer(byteLength, writes) };
}

const NO_HEADS: TrailHeadsData = { length: 0, attributes: {} };

function segmentData(layers: ReturnType<TrailsLayers['build']>): { length: number; attributes: Record<string, BufferAttribute> } {
  const layer = layers.find((l) => l.id === TRAIL_SEGMENTS_LAYER_ID)!;
  return layer.props.data as unknown as { length: number; attributes: Record<string, BufferAttribute> };
}

/** Row `row` of a float32 attribute, read back from its fake buffer. */
function readFloats(attribute: BufferAttribute, row: number): number[] {
  const bytes = (attribute.buffer as FakeBuffer).bytes;
  const view = new Float32Array(bytes.buffer.slice(row * attribute.stride + attribute.offset, row * attribute.stride + attribute.offset + 4 * attribute.size));
  return [...view];
}

describe('TrailsLayers', () => {
  it('draws the segment ring from binary attributes: both ends read from one buffer, colours from another', () => {
    const device = fakeDevice();
    const trails = new TrackTrails();
    trails.append(1, 110, 19, 110.5, 19.5, 1_000, RED, 0);
    const data = segmentData(new TrailsLayers().build(device, trails, NO_HEADS, PLAIN));
    expect(data.length).toBe(trails.capacity);
    const { getSourcePosition, getTargetPosition, getColor } = data.attributes;
    expect(getSourcePosition!.buffer).toBe(getTargetPosition!.buffer);
    expect({ ...getSourcePosition, buffer: null }).toEqual({ buffer: null, type: 'float32', size: 2, stride: 16, offset: 0 });
    expect(getTargetPosition!.offset).toBe(8);
    expect(readFloats(getSourcePosition!, 0)).toEqual([110, 19]);
    expect(readFloats(getTargetPosition!, 0)).toEqual([110.5, 19.5]);
    expect([...(getColor!.buffer as FakeBuffer).bytes.subarray(0, 4)]).toEqual([...RED]);
  });

  it('an update uploads only the rows that changed, and nothing at all when the ring is unchanged', () => {
    const device = fakeDevice();
    const trails = new TrackTrails();
    const layers = new TrailsLayers();
    trails.append(1, 110, 19, 110.5, 19.5, 1_000, RED, 0);
    const first = segmentData(layers.build(device, trails, NO_HEADS, PLAIN));
    device.writes.length = 0;

    expect(segmentData(layers.build(device, trails, NO_HEADS, PLAIN))).toBe(first);
    expect(device.writes).toEqual([]);

    trails.append(2, 109, 18, 109.1, 18.1, 2_000, RED, 0);
    const next = segmentData(layers.build(device, trails, NO_HEADS, PLAIN));
    expect(next).not.toBe(first);
    expect(device.writes.map((w) => [w.byteOffset, w.bytes.length])).toEqual([
      [16, 16],
      [4, 4],
    ]);
    expect(readFloats(next.attributes.getTargetPosition!, 1).map((x) => Math.round(x * 10) / 10)).toEqual([109.1, 18.1]);
  });

  it('through a display transform and a filter, ends are transformed and hidden tracks drawn transparent', () => {
    const device = fakeDevice();
    const trails = new TrackTrails();
    trails.append(1, 110, 19, 111, 20, 1_000, RED, 0);
    trails.append(2, 100, 10, 101, 11, 1_000, RED, 0);
    const style: TrailStyle = { toDisplay: (lon, lat) => [lon + 1, lat + 2], hiddenSerials: new Set([2]), key: 'f1' };
    const data = segmentData(new TrailsLayers().build(device, trails, NO_HEADS, style));
    expect(readFloats(data.attributes.getSourcePosition!, 0)).toEqual([111, 21]);
    expect(readFloats(data.attributes.getTargetPosition!, 1)).toEqual([102, 13]);
    const colors = (data.attributes.getColor!.buffer as FakeBuffer).bytes;
    expect(colors[3]).toBe(200);
    expect(colors[7]).toBe(0);
  });

  it("makes no buffer larger than the ring's cap", () => {
    const device = fakeDevice();
    const trails = new TrackTrails({ maxSegments: 1024 });
    trails.append(1, 110, 19, 110.5, 19.5, 1_000, RED, 0);
    const data = segmentData(new TrailsLayers(trails.maxSegments).build(device, trails, NO_HEADS, PLAIN));
    expect(data.attributes.getSourcePosition!.buffer.byteLength).toBe(1024 * 16);
  });
});
