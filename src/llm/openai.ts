import { ChatPromptTemplate } from '@langchain/core/prompts';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { draftSchema, formatPassages, type DraftInput, type LlmAnswerer, type LlmDraft } from '../answer/llm.ts';
import type { Config } from '../config.ts';
import { normalize, type Embedder } from '../search/embedder.ts';

export interface OpenAiOptions {
  apiKey: string;
  /** For OpenAI-compatible providers (DeepSeek, Qwen, vLLM, Ollama ...). */
  baseURL?: string;
}

export interface ChatOptions extends OpenAiOptions {
  model: string;
  prompts: { system: string; human: string };
  timeoutMs: number;
}

/**
 * Drafts answers with ChatOpenAI from the prompt files, asking for a
 * structured answer (function calling, which compatible servers support)
 * that cites passages by id.
 */
export function createOpenAiAnswerer(options: ChatOptions): LlmAnswerer {
  const prompt = ChatPromptTemplate.fromMessages([
    ['system', options.prompts.system],
    ['human', options.prompts.human],
  ]);
  const chat = new ChatOpenAI({
    model: options.model,
    apiKey: options.apiKey,
    temperature: 0,
    maxRetries: 0,
    timeout: options.timeoutMs,
    configuration: options.baseURL ? { baseURL: options.baseURL } : undefined,
  });
  const structured = chat.withStructuredOutput(draftSchema, { name: 'answer', method: 'functionCalling' });
  const chain = prompt.pipe(structured);
  return {
    model: options.model,
    async draft(input: DraftInput, signal: AbortSignal): Promise<LlmDraft> {
      const result = await chain.invoke(
        {
          today: input.today,
          context: input.context ?? '（无）',
          passages: formatPassages(input.passages),
          question: input.question,
        },
        { signal },
      );
      return draftSchema.parse(result);
    },
  };
}

export interface EmbeddingOptions extends OpenAiOptions {
  model: string;
  /** Limit for one embeddings call, in milliseconds. */
  timeoutMs?: number;
  dimensions?: number;
}

/** Output sizes of OpenAI's own embedding models, for when the configuration gives none. */
const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/**
 * LangChain's OpenAIEmbeddings behind the service's Embedder interface.
 * Compatible providers' models have their own sizes (bge-m3: 1024 ...), so
 * `dimensions` is the size the model actually returns once it has returned a
 * vector; before that, the configured or known size.
 */
export function createOpenAiEmbedder(options: EmbeddingOptions): Embedder {
  const embeddings = new OpenAIEmbeddings({
    model: options.model,
    apiKey: options.apiKey,
    dimensions: options.dimensions,
    maxRetries: 1,
    timeout: options.timeoutMs,
    configuration: options.baseURL ? { baseURL: options.baseURL } : undefined,
  });
  const expected = options.dimensions ?? KNOWN_DIMENSIONS[options.model];
  let observed: number | undefined;
  const toVector = (v: number[] | Float32Array) => {
    if (v.length === 0) throw new Error(`embedding model ${options.model} returned an empty vector`);
    if (options.dimensions !== undefined && v.length !== options.dimensions) {
      throw new Error(
        `embedding model ${options.model} returned ${v.length}-dimensional vectors, but OPENAI_EMBEDDING_DIMENSIONS is ${options.dimensions}`,
      );
    }
    if (observed !== undefined && v.length !== observed) {
      throw new Error(`embedding model ${options.model} returned vectors of ${observed} and ${v.length} dimensions`);
    }
    observed = v.length;
    return normalize(Float32Array.from(v));
  };
  return {
    id: `openai:${options.baseURL ?? 'default'}:${options.model}:${expected ?? 'native'}`,
    get dimensions() {
      return observed ?? expected ?? 1536;
    },
    async embedDocuments(texts) {
      return (await embeddings.embedDocuments(texts)).map(toVector);
    },
    async embedQuery(text) {
      return toVector(await embeddings.embedQuery(text));
    },
  };
}

/** The OpenAI-compatible embedder the settings name (OPENAI_EMBEDDING_MODEL, _DIMENSIONS, base URL, timeout). */
export function configuredOpenAiEmbedder(config: Config): Embedder {
  return createOpenAiEmbedder({
    apiKey: config.OPENAI_API_KEY ?? '',
    baseURL: config.OPENAI_BASE_URL,
    model: config.OPENAI_EMBEDDING_MODEL,
    dimensions: config.OPENAI_EMBEDDING_DIMENSIONS,
    timeoutMs: config.LLM_TIMEOUT_MS,
  });
}
