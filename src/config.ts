import { z } from 'zod';

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
  ADMIN_TOKEN: optionalText,
  ALLOWED_ORIGINS: z
    .string()
    .default('*')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean)),
  TODAY: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = z.infer<typeof envSchema> & {
  /** Whether answers are drafted by a model (an API key is set). */
  llm: boolean;
  /** Which embedder the index uses. */
  embeddings: 'local' | 'openai';
};

/** Reads the service's settings from environment variables; `.env.example` documents each. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.parse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  const embeddings =
    parsed.EMBEDDINGS === 'auto' ? (parsed.OPENAI_API_KEY ? 'openai' : 'local') : parsed.EMBEDDINGS;
  if (embeddings === 'openai' && !parsed.OPENAI_API_KEY) throw new Error('EMBEDDINGS=openai needs OPENAI_API_KEY');
  return { ...parsed, llm: Boolean(parsed.OPENAI_API_KEY), embeddings };
}
