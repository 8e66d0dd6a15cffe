import { parse, YAMLParseError } from 'yaml';
import { ApiError } from '../../api/client';

export type Mapping = Record<string, unknown>;

/** Text the operator typed, read as YAML (JSON is YAML too): a mapping, nothing (empty), or why not, with the line. */
export type Parsed = { value: Mapping | null; error?: undefined } | { value?: undefined; error: string };

export function parseMapping(text: string): Parsed {
  if (!text.trim()) {
    return { value: null };
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const at = e.linePos?.[0];
      // The library's message repeats the position and quotes the line; the first clause is the reason.
      const reason = e.message.split(/ at line \d+/)[0] ?? e.message;
      return { error: at ? `line ${at.line}, column ${at.col}: ${reason}` : reason };
    }
    return { error: e instanceof Error ? e.message : String(e) };
  }
  if (value === null || value === undefined) {
    return { value: null };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { error: `line 1: must be a mapping of keys to values, not ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}` };
  }
  return { value: value as Mapping };
}

/** `KEY=value` lines (blank lines ignored) as a map, or the first bad line. */
export function parseEnv(text: string): { value: Record<string, string> | null; error?: string } {
  const env: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) {
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      return { value: null, error: `line ${i + 1}: expected KEY=value` };
    }
    env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return { value: Object.keys(env).length ? env : null };
}

/** The API's field errors at `prefix` and below it (`configuration`, `configuration.x`, `nodes[0]`), each with its path. */
export function fieldsAt(error: unknown, ...prefixes: string[]): string | undefined {
  if (!(error instanceof ApiError)) {
    return undefined;
  }
  const hits = Object.entries(error.fieldErrors())
    .filter(([field]) => prefixes.some((p) => field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`)));
  return hits.length ? hits.map(([field, message]) => `${field}: ${message}`).join('; ') : undefined;
}

/** Field errors not shown at any of these fields (so that none goes unseen). */
export function otherFields(error: unknown, ...prefixes: string[]): string[] {
  if (!(error instanceof ApiError)) {
    return [];
  }
  return Object.entries(error.fieldErrors())
    .filter(([field]) => !prefixes.some((p) => field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`)))
    .map(([field, message]) => `${field}: ${message}`);
}
