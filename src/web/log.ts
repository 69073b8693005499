/** Structured JSON-lines logging; one line per event. */
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
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, event, ...fields }));
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}
