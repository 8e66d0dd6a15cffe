import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { origin } from './client';

/** What a watch stream says, one event at a time (see README "Watching lists live"). */
export interface StreamHandlers {
  onEvent(event: EventSourceMessage): void;
  /** The stream was reset (410: the resume id expired): whatever was built from it must be dropped. */
  onReset?(): void;
  onStatus?(status: StreamStatus): void;
  onUnauthorized?(): void;
}

export type StreamStatus = 'connecting' | 'live' | 'retrying' | 'ended';

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15000;

/**
 * Follows one server-sent event stream of the API with the token in the Authorization header (which
 * EventSource cannot send), resuming after the last event id whenever the stream ends or breaks, so
 * that no change is missed or repeated. `done` decides whether an ended stream is over for good (a
 * provisioning log's END). Returns the function that stops it.
 */
export function follow(path: string, token: string, handlers: StreamHandlers, done: () => boolean = () => false,
                       fetchImpl: typeof fetch = (...a) => fetch(...a)): () => void {
  const abort = new AbortController();
  let lastId: string | undefined;
  let retryMs = RETRY_MIN_MS;

  const run = async () => {
    while (!abort.signal.aborted) {
      handlers.onStatus?.('connecting');
      try {
        const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
        if (lastId) {
          headers['Last-Event-ID'] = lastId;
        }
        const response = await fetchImpl(new URL(path, origin()).toString(), { headers, signal: abort.signal });
        if (response.status === 401) {
          handlers.onUnauthorized?.();
          return;
        }
        if (response.status === 410) {
          lastId = undefined;
          handlers.onReset?.();
          continue;
        }
        if (!response.ok || !response.body) {
          throw new Error(`the seed manager answered ${response.status}`);
        }
        handlers.onStatus?.('live');
        const opened = Date.now();
        const parser = createParser({
          onEvent(event) {
            if (event.id) {
              lastId = event.id;
            }
            handlers.onEvent(event);
          },
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        // Stopping must end the read even where aborting the request does not end its body.
        abort.signal.addEventListener('abort', () => void reader.cancel().catch(() => {}), { once: true });
        for (;;) {
          const { value, done: ended } = await reader.read();
          if (ended) {
            break;
          }
          parser.feed(value);
        }
        if (done()) {
          handlers.onStatus?.('ended');
          return;
        }
        // A stream that ends at once (a proxy that cuts it, a replica going away) is resumed after a pause
        // that grows, not in a tight loop; one that lived is resumed at once.
        if (Date.now() - opened < RETRY_MIN_MS) {
          await sleep(retryMs, abort.signal);
          retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        } else {
          retryMs = RETRY_MIN_MS;
        }
      } catch (error) {
        if (abort.signal.aborted) {
          return;
        }
        handlers.onStatus?.('retrying');
        await sleep(retryMs, abort.signal);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    }
  };
  void run();
  return () => abort.abort();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * A live list: the objects a watch stream lists (ADDED) and changes (MODIFIED, DELETED), keyed by
 * name. Before the first BOOKMARK it only collects, so a thousand devices render once, not a
 * thousand times.
 */
export class LiveList<T> {
  private readonly items = new Map<string, T>();
  private synced = false;

  constructor(private readonly key: (item: T) => string, private readonly changed: (items: T[], synced: boolean) => void) {}

  apply(event: EventSourceMessage): void {
    switch (event.event) {
      case 'ADDED':
      case 'MODIFIED': {
        const item = JSON.parse(event.data) as T;
        this.items.set(this.key(item), item);
        break;
      }
      case 'DELETED':
        this.items.delete(this.key(JSON.parse(event.data) as T));
        break;
      case 'BOOKMARK':
        if (this.synced) {
          return;
        }
        this.synced = true;
        break;
      default:
        return;
    }
    if (this.synced) {
      this.changed([...this.items.values()], true);
    }
  }

  reset(): void {
    this.items.clear();
    this.synced = false;
  }
}
