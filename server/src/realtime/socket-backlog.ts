import type { Socket } from 'socket.io';

/**
 * What engine.io and ws hold for one connection and keep private: engine.io's packets not yet handed to the
 * transport, and for a websocket the ws instance whose `bufferedAmount` counts the bytes the kernel has not
 * taken yet. Read through this narrow view so that one place knows the shape (track-broadcaster.test.ts fails
 * if a socket.io upgrade changes it).
 */
interface EngineInternals {
  writeBuffer?: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: unknown } };
}

/**
 * Bytes sent to this socket that have not left the process yet: packets waiting in engine.io (a polling client
 * between requests, a websocket still writing the previous ones) plus what the websocket has queued in user
 * space because the kernel's buffer is full. Text packets count by their length (the wire is mostly ASCII).
 */
export function backlogBytes(socket: Socket): number {
  const conn = socket.conn as unknown as EngineInternals;
  let bytes = 0;
  for (const packet of conn.writeBuffer ?? []) {
    const data = packet.data;
    if (typeof data === 'string') bytes += data.length;
    else if (data instanceof Uint8Array || data instanceof ArrayBuffer) bytes += data.byteLength;
  }
  const queued = conn.transport?.socket?.bufferedAmount;
  if (typeof queued === 'number') bytes += queued;
  return bytes;
}
