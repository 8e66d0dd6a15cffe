import { act, render } from '@testing-library/react';
import { vi } from 'vitest';
import { App } from '../../App';
import { SessionProvider } from '../../session';
import { fakeApi, type Answer } from '../../test/fakeApi';

/** Renders the console signed in with this role (as a stored session), at a page, over a fake API. */
export async function startAs(role: 'admin' | 'owner' | 'viewer', hash: string, routes: Record<string, Answer>) {
  const api = fakeApi(routes);
  vi.stubGlobal('fetch', api.fetch);
  sessionStorage.setItem('edgeplane.session', JSON.stringify({
    token: 'good', identity: { subject: role === 'admin' ? 'admin' : 'token:1', role, project: role === 'admin' ? undefined : 'acme' },
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

type Event = { event: string; data: unknown; id?: string };

function format(list: Event[]): Uint8Array {
  return new TextEncoder().encode(list.map((e) => `${e.id ? `id: ${e.id}\n` : ''}event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join(''));
}

/** A watch stream that stays open and to which a test sends further events while the page shows it. */
export function liveStream(...initial: Event[]) {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let opened = 0;
  return {
    answer: () => {
      opened++;
      return new Response(new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
          c.enqueue(format(initial));
        },
      }), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    },
    send(...list: Event[]) {
      controller?.enqueue(format(list));
    },
    opened: () => opened,
  };
}
