import { z } from 'zod';

/** Which proxies in front of the service are believed about the client's address (TRUST_PROXY). */
export type TrustProxy =
  | { kind: 'off' }
  /** The last `hops` entries of X-Forwarded-For were added by our own proxies: the client is the one before them. */
  | { kind: 'hops'; hops: number }
  /** Proxies by address or CIDR: X-Forwarded-For is read from the right, skipping these. */
  | { kind: 'list'; addresses: string[] };

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\/(?:3[0-2]|[12]?\d))?$/;
const IPV6 = /^[0-9a-f:]*:[0-9a-f:.]*(?:\/(?:12[0-8]|1[01]\d|\d?\d))?$/i;

const trustProxy = z
  .string()
  .default('false')
  .transform((v, ctx): TrustProxy => {
    const value = v.trim().toLowerCase();
    if (['', 'false', '0', 'off', 'no'].includes(value)) return { kind: 'off' };
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops >= 1 && hops <= 10) return { kind: 'hops', hops };
    }
    const addresses = value.split(',').map((a) => a.trim()).filter(Boolean);
    if (addresses.length > 0 && addresses.every((a) => IPV4.test(a) || IPV6.test(a))) return { kind: 'list', addresses };
    ctx.addIssue({ code: 'custom', message: 'false（默认，不信任代理）、1–10 的代理层数，或逗号分隔的代理地址 / CIDR（如 127.0.0.1,10.0.0.0/8）' });
    return z.NEVER;
  });

/** A calendar day, YYYY-MM-DD, that exists. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD 格式的日期')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, '存在的日期（YYYY-MM-DD）');

/** What `Authorization: Bearer <token>` can carry (RFC 6750's b64token): the only tokens a client can present. */
const BEARER_TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  CORPUS_DIR: z.string().default('./corpus'),
  PROMPTS_DIR: z.string().default('./prompts'),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  OPENAI_EMBEDDING_DIMENSIONS: z.coerce.number().int().positive().optional(),
  EMBEDDINGS: z.enum(['auto', 'local', 'openai']).default('auto'),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  LLM_MAX_TOKENS: z.coerce.number().int().positive().default(1024),
  LLM_MAX_ANSWER_CHARS: z.coerce.number().int().positive().default(1200),
  /** With a model configured, also have it read each question (subjects, asked types, facts), checked against the vocabularies. */
  LLM_READ_QUESTIONS: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  ANSWER_CACHE_SIZE: z.coerce.number().int().min(0).default(2000),
  RATE_LIMIT: z.coerce.number().int().min(0).default(120),
  // (Sent as `Authorization: Bearer <token>`: only RFC 6750's token characters can be presented, so no other is accepted.)
  ADMIN_TOKEN: optionalText.refine((v) => v === undefined || BEARER_TOKEN.test(v), {
    message: '只能由字母、数字和 . _ ~ + / - 组成（末尾可有 =），例如 openssl rand -hex 32 的输出',
  }),
  /**
   * Keys a client of the OpenAI-compatible API (/v1) must present as `Authorization: Bearer <key>`, comma-separated;
   * unset, /v1 is open like /api. (Only RFC 6750's token characters can be presented, so no other is accepted.)
   */
  API_KEYS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const keys = [...new Set(v.split(',').map((k) => k.trim()).filter(Boolean))];
      if (keys.length === 0 || keys.some((k) => !BEARER_TOKEN.test(k))) {
        ctx.addIssue({ code: 'custom', message: '逗号分隔的一个或多个密钥，每个只能由字母、数字和 . _ ~ + / - 组成（末尾可有 =），例如 openssl rand -hex 32 的输出' });
        return z.NEVER;
      }
      return keys;
    }),
  ALLOWED_ORIGINS: z
    .string()
    .default('*')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean)),
  TODAY: day.optional(),
  TRUST_PROXY: trustProxy,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** How long a client may take to send a whole request (headers and body) before it is answered 408. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(30_000).default(25_000),
  /** How long a stop (SIGTERM, SIGINT) waits for requests in flight before closing what is left. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(25_000),
});

export type Config = z.infer<typeof envSchema> & {
  /** Whether answers are drafted by a model (an API key is set). */
  llm: boolean;
  /** Which embedder the index uses. */
  embeddings: 'local' | 'openai';
};

/** Settings that cannot be used: which variable, and what it allows. Its message has one line per bad setting, for the operator. */
export class ConfigError extends Error {
  constructor(readonly problems: Array<{ variable: string; allowed: string; value?: string }>) {
    super(problems.map((p) => `配置错误：${p.variable}${p.value === undefined ? '' : `=${JSON.stringify(p.value.length > 60 ? `${p.value.slice(0, 60)}…` : p.value)}`} 无效，应为${p.allowed}。`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** What each setting allows, for the messages zod's own do not say in words. */
const ALLOWED: Partial<Record<keyof z.infer<typeof envSchema>, string>> = {
  PORT: '0–65535 的整数',
  OPENAI_EMBEDDING_DIMENSIONS: '正整数',
  EMBEDDINGS: 'auto、local 或 openai',
  LLM_TIMEOUT_MS: '正整数（毫秒）',
  LLM_MAX_TOKENS: '正整数',
  LLM_MAX_ANSWER_CHARS: '正整数',
  LLM_READ_QUESTIONS: 'true、false、1 或 0',
  ANSWER_CACHE_SIZE: '不小于 0 的整数',
  RATE_LIMIT: '不小于 0 的整数（每分钟请求数，0 为不限）',
  TODAY: '存在的日期（YYYY-MM-DD）',
  LOG_LEVEL: 'debug、info、warn、error 或 silent',
  REQUEST_TIMEOUT_MS: '1000–30000 的整数（毫秒）',
  SHUTDOWN_TIMEOUT_MS: '0–120000 的整数（毫秒）',
};

/** Settings whose values are secrets. */
const SECRETS = new Set(['ADMIN_TOKEN', 'OPENAI_API_KEY', 'API_KEYS']);

/**
 * Reads the service's settings from environment variables; `.env.example` documents each. A bad setting throws one
 * ConfigError naming every variable that is wrong and what it allows (never a stack of schema internals).
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = envSchema.safeParse(given);
  if (!result.success) {
    const problems = new Map<string, { variable: string; allowed: string; value?: string }>();
    for (const issue of result.error.issues) {
      const variable = String(issue.path[0] ?? '?');
      if (problems.has(variable)) continue;
      const allowed = ALLOWED[variable as keyof typeof ALLOWED] ?? (issue.code === 'custom' ? issue.message : '有效的取值');
      // (A secret is never echoed, not even the part of it that is wrong.)
      problems.set(variable, { variable, allowed, value: SECRETS.has(variable) ? undefined : given[variable] });
    }
    throw new ConfigError([...problems.values()]);
  }
  const parsed = result.data;
  const embeddings =
    parsed.EMBEDDINGS === 'auto' ? (parsed.OPENAI_API_KEY ? 'openai' : 'local') : parsed.EMBEDDINGS;
  if (embeddings === 'openai' && !parsed.OPENAI_API_KEY) throw new ConfigError([{ variable: 'EMBEDDINGS', value: 'openai', allowed: 'auto 或 local（openai 需要同时设置 OPENAI_API_KEY）' }]);
  return { ...parsed, llm: Boolean(parsed.OPENAI_API_KEY), embeddings };
}

/**
 * The settings of a `.env` file (KEY=value lines; # comments; optional single or double quotes; `export ` allowed), for
 * the ones the environment does not set already: the environment wins, as with dotenv.
 */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2].replace(/\\n/g, '\n') : quoted[2];
    else value = value.replace(/\s+#.*$/, '').trim();
    out[m[1]] = value;
  }
  return out;
}
