import { describe, expect, it } from 'vitest';
import { events, fakeApi } from '../test/fakeApi';
import { follow, LiveList } from './watch';

type Item = { name: string; phase: string };

describe('LiveList', () => {
  it('renders once at the first bookmark, then on every change', () => {
    const renders: Item[][] = [];
    const list = new LiveList<Item>((i) => i.name, (items) => renders.push(items));
    list.apply({ event: 'ADDED', data: '{"name":"a","phase":"Pending"}', id: undefined });
    list.apply({ event: 'ADDED', data: '{"name":"b","phase":"Pending"}', id: undefined });
    expect(renders).toHaveLength(0);
    list.apply({ event: 'BOOKMARK', data: '{"resourceVersion":3}', id: '3' });
    list.apply({ event: 'MODIFIED', data: '{"name":"a","phase":"Ready"}', id: '4' });
    list.apply({ event: 'DELETED', data: '{"name":"b","phase":"Pending"}', id: '5' });
    list.apply({ event: 'BOOKMARK', data: '{"resourceVersion":5}', id: '5' });
    expect(renders).toEqual([
      [{ name: 'a', phase: 'Pending' }, { name: 'b', phase: 'Pending' }],
      [{ name: 'a', phase: 'Ready' }, { name: 'b', phase: 'Pending' }],
      [{ name: 'a', phase: 'Ready' }],
    ]);
  });
});

describe('follow', () => {
  it('sends the token in a header and resumes after the last id when a stream ends', async () => {
    let calls = 0;
    const api = fakeApi({
      'GET /api/v1/x': () => {
        calls += 1;
        return calls === 1
          ? events({ event: 'ADDED', data: { name: 'a' } }, { event: 'BOOKMARK', data: {}, id: '7' })
          : events({ event: 'MODIFIED', data: { name: 'a' }, id: '8' });
      },
    });
    const seen: string[] = [];
    let stop = () => {};
    await new Promise<void>((resolve) => {
      stop = follow('/api/v1/x', 'secret', {
        onEvent: (e) => {
          seen.push(`${e.event}:${e.id ?? ''}`);
          if (e.id === '8') resolve();
        },
      }, () => false, api.fetch);
    });
    stop();
    expect(seen).toEqual(['ADDED:', 'BOOKMARK:7', 'MODIFIED:8']);
    expect(api.requests[0]!.headers.get('Authorization')).toBe('Bearer secret');
    expect(api.requests[0]!.headers.get('Last-Event-ID')).toBeNull();
    expect(api.requests[1]!.headers.get('Last-Event-ID')).toBe('7');
    expect(api.requests.every((r) => !r.path.includes('secret'))).toBe(true);
  });

  it('starts over without an id after 410 Gone', async () => {
    let calls = 0;
    const api = fakeApi({
      'GET /api/v1/x': () => {
        calls += 1;
        if (calls === 1) return events({ event: 'BOOKMARK', data: {}, id: '1' });
        if (calls === 2) return new Response('', { status: 410 });
        return events({ event: 'ADDED', data: { name: 'again' } });
      },
    });
    let resets = 0;
    let stop = () => {};
    await new Promise<void>((resolve) => {
      stop = follow('/api/v1/x', 't', {
        onEvent: (e) => e.event === 'ADDED' && resolve(),
        onReset: () => { resets += 1; },
      }, () => false, api.fetch);
    });
    stop();
    expect(resets).toBe(1);
    expect(api.requests[2]!.headers.get('Last-Event-ID')).toBeNull();
  });
});
