import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];
export type ApiClient = ReturnType<typeof createApiClient>;

/** An answer other than 2xx, with the API's problem document when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `the seed manager answered ${status}`);
  }

  /** The API's per-field messages, by field path (`name`, `ssh.host`, ...). */
  fieldErrors(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const e of this.problem?.errors ?? []) {
      byField[e.field] = byField[e.field] ? `${byField[e.field]}; ${e.message}` : e.message;
    }
    return byField;
  }
}

/**
 * The typed client of the seed manager's API, from the OpenAPI contract. Every request carries the
 * signed-in token; a 401 (expired or revoked token) ends the session.
 */
export function createApiClient(token: string, onUnauthorized: () => void, fetchImpl: typeof fetch = (...a) => fetch(...a)) {
  const client = createClient<paths>({ baseUrl: origin(), fetch: fetchImpl });
  client.use({
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) {
        onUnauthorized();
      }
      return response;
    },
  });
  return client;
}

export function origin(): string {
  return typeof window === 'undefined' ? 'http://localhost' : window.location.origin;
}

/** The data of a typed call, or an {@link ApiError}. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    throw new ApiError(response.status, asProblem(error));
  }
  return data as T;
}

function asProblem(body: unknown): Problem | undefined {
  if (body && typeof body === 'object' && 'status' in body && 'title' in body) {
    return body as Problem;
  }
  return undefined;
}

/** Every page of a cursor-paginated list. */
export async function allPages<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
