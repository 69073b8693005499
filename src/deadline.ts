/**
 * One deadline per request: every model call of an answer (the query's
 * embedding, the chat, and the retries of both) runs under the same signal,
 * so LLM_TIMEOUT_MS bounds the whole request, not each call.
 */

/** A signal that aborts when any of `signals` does. */
export function eitherSignal(...signals: Array<AbortSignal | undefined>): AbortSignal {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length === 1) return present[0];
  const controller = new AbortController();
  for (const s of present) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}

/** Resolves with `promise`, or rejects as soon as `signal` aborts (the call itself is abandoned). */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    // (The abandoned call may still fail later; that failure is nobody's to handle.)
    promise.catch(() => {});
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function abortError(signal: AbortSignal): Error {
  const error = new Error(signal.reason instanceof Error ? signal.reason.message : 'deadline passed');
  error.name = 'AbortError';
  return error;
}

/** HTTP status of a provider error (the OpenAI SDK's and LangChain's errors carry it), if any. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}

/** True for a provider answer worth asking again: rate limited (429) or a server error (5xx). */
export function isRetryable(error: unknown): boolean {
  const status = statusOf(error);
  return status === 429 || (status !== undefined && status >= 500);
}

/** Milliseconds the provider asked us to wait (Retry-After in seconds, or retry-after-ms), if it said. */
function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { headers?: unknown })?.headers;
  const get = (name: string): string | null | undefined =>
    headers instanceof Headers ? headers.get(name) : (headers as Record<string, string> | undefined)?.[name];
  const ms = Number(get('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const seconds = Number(get('retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First backoff; each next one doubles (with jitter). */
  baseDelayMs: number;
  /** Called before each retry, for the logs. */
  onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 250 };

/** Waits `ms`, or rejects when `signal` aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return raceSignal(new Promise<void>((resolve) => setTimeout(resolve, ms)), signal);
}

/**
 * Runs `call` until it succeeds, retrying 429 and 5xx answers with exponential backoff (or the provider's
 * Retry-After), all inside `signal`'s deadline: a retry that could not finish before it is not started.
 */
export async function retrying<T>(call: (attempt: number) => Promise<T>, signal: AbortSignal, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await raceSignal(call(attempt), signal);
    } catch (error) {
      if (signal.aborted || attempt >= options.attempts || !isRetryable(error)) throw error;
      const delayMs = backoff(attempt, error, options);
      options.onRetry?.(attempt, error, delayMs);
      await sleep(delayMs, signal);
    }
  }
}

/** The wait before attempt `attempt + 1`. */
export function backoff(attempt: number, error: unknown, options: RetryOptions): number {
  return retryAfterMs(error) ?? options.baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
}
