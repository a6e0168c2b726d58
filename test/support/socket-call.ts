import type { ClientToServerEvents, ServerToClientEvents } from '@seawall/contracts';
import type { Socket } from 'socket.io-client';

/** A console's or unit's socket.io client, typed by the contract. */
export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
/** How the server answers a socket command. */
export type Ack<T> = { ok: true; value: T } | { ok: false; error: string; message: string };

/** Emits a socket command and resolves with its answer's value; rejects on an error answer or after 10 s. */
export function call<T>(emit: (ack: (r: Ack<T>) => void) => void, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer within 10 s`)), 10_000);
    emit((r) => {
      clearTimeout(timer);
      if (r.ok) resolve(r.value);
      else reject(new Error(`${what}: ${r.error}: ${r.message}`));
    });
  });
}
