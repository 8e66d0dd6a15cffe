/**
 * A stand-in for the seed manager in component tests: answers by method and path, JSON bodies or
 * server-sent event streams, and records what was asked.
 */
export interface Recorded {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

export type Answer = Response | ((request: Recorded) => Response | Promise<Response>);

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

export type StreamEvent = { event: string; data: unknown; id?: string };

/** Server-sent events as the API writes them: `id:` (when there is one), `event:`, `data:`, a blank line. */
export function eventText(list: StreamEvent[]): string {
  return list.map((e) => `${e.id ? `id: ${e.id}\n` : ''}event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join('');
}

/** A finished event stream. */
export function events(...list: StreamEvent[]): Response {
  return new Response(eventText(list), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

/** An event stream that stays open (as a live watch does) after its first events. */
export function openEvents(...list: StreamEvent[]): Response {
  const text = eventText(list);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
    },
  });
  return new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

export function fakeApi(routes: Record<string, Answer>) {
  const requests: Recorded[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const body = request.method === 'GET' ? undefined : await request.text().then((t) => (t ? JSON.parse(t) : undefined));
    const recorded: Recorded = { method: request.method, path: url.pathname + url.search, headers: request.headers, body };
    requests.push(recorded);
    const answer = routes[`${request.method} ${url.pathname}${url.search}`] ?? routes[`${request.method} ${url.pathname}`];
    if (!answer) {
      return json(404, { type: 'about:blank', title: 'Not Found', status: 404, detail: `no fake for ${request.method} ${url.pathname}` });
    }
    return typeof answer === 'function' ? answer(recorded) : answer.clone();
  };
  // routes stays live: a test may add an answer after the console started.
  return { fetch: fetchImpl, requests, routes };
}
