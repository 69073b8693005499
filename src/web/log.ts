import { maskPersonalData } from '../text/personal-data.ts';

/**
 * Structured JSON-lines logging; one line per event. Whatever a caller puts in
 * the fields, a line never carries a secret or unmasked personal data: values
 * under secret-sounding keys are dropped, bearer tokens and API keys inside
 * text are cut, and phone, ID-card and credit-code numbers are masked however
 * they are typed, in every string of the line: the event, each field's name and
 * value, nested ones included (a request path can carry a number, an error
 * message can quote a question or a query's parameters).
 */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

export function createLogger(
  level: keyof typeof LEVELS = 'info',
  write: (line: string) => void = (line) => console.log(line),
): Logger {
  const min = LEVELS[level];
  const emit = (lvl: 'info' | 'warn' | 'error') => (event: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS[lvl] < min) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, event: redact(event, 0), ...(redact(fields, 0) as Record<string, unknown>) }));
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

const SECRET_KEY = /token|secret|password|passwd|api[-_]?key|authorization|cookie/i;
const BEARER = /\b(Bearer|Basic)\s+[^\s"',;]+/gi;
const API_KEY = /\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g;

function redact(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskPersonalData(value.replace(BEARER, '$1 [redacted]').replace(API_KEY, '$1-[redacted]'));
  if (value === null || typeof value !== 'object') return value;
  if (depth > 4) return '[nested]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[maskPersonalData(key)] = SECRET_KEY.test(key) ? '[redacted]' : redact(v, depth + 1);
  return out;
}
