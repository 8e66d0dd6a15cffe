import { act, render } from '@testing-library/react';
import { vi } from 'vitest';
import { App } from '../App';
import { SessionProvider } from '../session';
import { fakeApi, type Answer, type StreamEvent, eventText } from './fakeApi';

/**
 * The console signed in as `role` (of project acme, unless admin) with `token`, at `hash`, over a fake
 * seed manager answering `routes`.
 */
export async function openConsole(role: 'admin' | 'owner' | 'viewer', hash: string, routes: Record<string, Answer>, token = 'good') {
  const api = fakeApi(routes);
  vi.stubGlobal('fetch', api.fetch);
  sessionStorage.setItem('edgeplane.session', JSON.stringify({
    token, identity: { subject: role === 'admin' ? 'admin' : 'token:1', role, project: role === 'admin' ? undefined : 'acme' },
  }));
  window.location.hash = hash;
  // The hash router exists since App was imported; let it see the new hash before anything renders.
  await new Promise((resolve) => setTimeout(resolve, 0));
  // Inside act: the first answers of the fake API (streams opening) land before the test goes on.
  await act(async () => {
    render(<SessionProvider><App /></SessionProvider>);
  });
  return api;
}

/** A watch stream that stays open and to which a test sends further events while the page shows it. */
export function liveStream(...initial: StreamEvent[]) {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let opened = 0;
  const encode = (list: StreamEvent[]) => new TextEncoder().encode(eventText(list));
  return {
    answer: () => {
      opened++;
      return new Response(new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
          c.enqueue(encode(initial));
        },
      }), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    },
    send(...list: StreamEvent[]) {
      controller?.enqueue(encode(list));
    },
    opened: () => opened,
  };
}
