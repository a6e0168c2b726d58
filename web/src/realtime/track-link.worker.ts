// The console's socket.io link in a worker of its own (see track-link.ts): the page gets encoded
// track batches, their buffers transferred, and the other events as they came.
import type { TrackLinkCommand, TrackLinkMessage } from './link-protocol';
import { TrackLink } from './track-link';

/** The dedicated worker's scope, as far as it is used here (the project's types are the page's, DOM). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<TrackLinkCommand>) => void) | null;
  postMessage(message: TrackLinkMessage, transfer: Transferable[]): void;
  close(): void;
}

const scope = self as unknown as WorkerScope;
let link: TrackLink | null = null;

scope.onmessage = (event) => {
  const command = event.data;
  if (command.type === 'start' && !link) {
    link = new TrackLink(command.options, (message, transfer) => scope.postMessage(message, transfer));
    link.start();
  } else if (command.type === 'recycle') {
    link?.recycle(command.buffers);
  } else if (command.type === 'stop') {
    link?.stop();
    link = null;
    scope.close();
  }
};
