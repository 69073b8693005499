import { parseChannels, unverifiableChannels } from '../answer/channels.ts';
import { createGuard, parseGuardPatterns } from '../answer/guard.ts';
import type { LlmAnswerer } from '../answer/llm.ts';
import { AnswerService } from '../answer/service.ts';
import { todayIn, type Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { buildCorpus, type Corpus, type CorpusSource } from '../corpus/corpus.ts';
import { createOpenAiAnswerer } from '../llm/openai.ts';
import { ApplicationChecker, parseApplicationRules } from '../match/application-check.ts';
import { catalogueFields, loadCatalogue } from '../match/catalogue.ts';
import { CampaignEligibility } from '../match/eligibility.ts';
import { ScoreCalculator } from '../match/scoring.ts';
import { TrackMatcher } from '../match/matcher.ts';
import type { RuleEngine } from '../rules/engine.ts';
import { loadRuleEngine } from '../rules/load.ts';
import { SituationService } from '../rules/situation.ts';
import { FramedAnswerer } from '../answer/framed.ts';
import { QuestionBank } from '../understand/bank.ts';
import { FollowUps } from '../understand/suggestions.ts';
import { StaffAnswers } from '../understand/staff.ts';
import type { StaffTargets } from '../web/staff.ts';
import { foldText } from '../understand/fold.ts';
import { FrameReader } from '../understand/frame.ts';
import { Gazetteer } from '../understand/gazetteer.ts';
import { corpusWords, SpellingReader } from '../understand/spelling.ts';
import { parseAskedTypes, parseScope, type AskedTypes } from '../understand/lexicons.ts';
import type { Embedder } from '../search/embedder.ts';
import { parseRequiredDetails, parseStopPhrases, parseSynonyms } from '../search/lexicon.ts';
import { Retriever } from '../search/retriever.ts';
import type { VectorIndex } from '../search/vector-index.ts';
import type { AppDeps } from '../web/app.ts';
import type { Logger } from '../web/log.ts';

/** The corpus folder and the prompts, as text: what a runtime reads from disk or ships in its bundle. */
export interface DataFiles {
  source: CorpusSource;
  synonyms: string;
  stopPhrases: string;
  requiredDetails: string;
  channels: string;
  guard: string;
  /** The answer prompt (system, human) and the question-reading prompt (frame). */
  prompts: { system: string; human: string; frame: string };
  /** The rule files under corpus/rules, by file name. */
  rules: Record<string, string>;
  /** The campaign catalogue under corpus/campaigns, by file name (application-form files apart). */
  campaigns: Record<string, string>;
  /** The application-form files (*-application.json) under corpus/campaigns. */
  applications: Record<string, string>;
  /** The question reader's data: subjects, asked types, scope markers, fillers, and the question bank (corpus/questions, by file name). */
  understanding: {
    gazetteer: string;
    askedTypes: string;
    scope: string;
    fillers: string;
    questions: Record<string, string>;
  };
}

/** The search index a runtime provides for a corpus: built or loaded, native or portable. */
export interface LoadedIndex {
  embedder: Embedder;
  vectors: VectorIndex;
}

export interface DomainOptions {
  config: Config;
  clock: Clock;
  /** Loads or builds the vector index for the parsed corpus. */
  index: (corpus: Corpus) => Promise<LoadedIndex>;
  /** A model to use instead of the one the configuration names. */
  llm?: LlmAnswerer;
  logger?: Logger;
}

/** Everything the HTTP app answers with, independent of the runtime that hosts it. */
export interface Domain {
  corpus: Corpus;
  retriever: Retriever;
  answers: AnswerService;
  rules: RuleEngine;
  matcher: TrackMatcher;
  /** Absent when the form's campaign is disabled. */
  applications?: ApplicationChecker;
  clock: Clock;
  embedder: Embedder;
  bank: QuestionBank;
  /** The approved staff answers the chat matches first (loaded from the store by the runtime); they join `bank` too. */
  staff: StaffAnswers;
  /** What the runtime keeps in step with the stored staff answers (src/web/staff.ts staffSync). */
  staffTargets: StaffTargets;
  gazetteer: Gazetteer;
}

/**
 * Builds the service's domain from its data files: parses the corpus, checks
 * every quoted channel against it, and wires retrieval, rules, the track
 * matcher, the application checker and the answer service. Node and Workers
 * both start here; only how the files and the index arrive differs.
 */
export async function wireDomain(files: DataFiles, options: DomainOptions): Promise<Domain> {
  const { config, clock, logger } = options;
  const corpus = await buildCorpus(files.source);
  const channels = parseChannels(files.channels);
  const broken = unverifiableChannels(corpus, channels);
  if (broken.length) throw new Error(`channels.json quotes not found verbatim in the corpus: ${broken.map((c) => c.quote).join(' | ')}`);

  const { embedder, vectors } = await options.index(corpus);
  const lexicon = {
    synonyms: parseSynonyms(files.synonyms),
    stopPhrases: parseStopPhrases(files.stopPhrases),
    requiredDetails: parseRequiredDetails(files.requiredDetails),
  };
  const retriever = new Retriever(corpus, lexicon, embedder, vectors, (error) => logger?.warn('vector_search_failed', { message: error.message }));

  const gazetteer = new Gazetteer(corpus, files.understanding.gazetteer);
  for (const problem of gazetteer.problems) logger?.error('gazetteer_problem', { problem });
  const types = parseAskedTypes(files.understanding.askedTypes);
  const fillers = parseStopPhrases(files.understanding.fillers).map(foldText);
  const bank = new QuestionBank(
    corpus,
    files.understanding.questions,
    { fillers, synonyms: lexicon.synonyms.map((group) => group.map(foldText)) },
    (text) => gazetteer.without(foldText(text)),
  );
  for (const problem of bank.problems) logger?.error('bank_entry_disabled', { problem });
  const scope = parseScope(files.understanding.scope);
  const reader = new FrameReader({ gazetteer, types, scope });
  // The domain's words a pinyin slip is read back to: the subjects' names, the synonym lists and the documents' own words
  // (and, right before they are asked for, the words that name a detail: 「邮想多少」「地只呗」 are 邮箱、地址);
  // the words that mark a question outside the documents are never rewritten.
  const spelling = new SpellingReader(
    () => [...corpusWords(corpus.documents.map((d) => d.text)), ...gazetteer.subjects.flatMap((s) => [s.name, ...s.aliases]), ...lexicon.synonyms.flat()],
    corpus.documents.map((d) => d.text).join('\n'),
    [scope.personal, scope.legal, scope.unrelated].flatMap((m) => [...m.markers, ...m.always]).concat(scope.places.map((p) => p.name)),
    detailWords(types),
  );
  const framed = new FramedAnswerer({ corpus, retriever, gazetteer, bank, types: types.defs, ownYears: scope.years, fillers });

  const rules = loadRuleEngine(corpus, files.rules);
  for (const problem of rules.problems) logger?.error('rule_disabled', { problem });
  const catalogue = loadCatalogue(corpus, files.campaigns);
  for (const problem of catalogue.problems) logger?.error('campaign_disabled', { problem });
  const campaigns = catalogue.campaigns;
  const matcher = new TrackMatcher(campaigns, () => todayIn(clock), corpus.documents.map((d) => d.text));
  const applicationRules = files.applications['dianshu-application.json'];
  if (!applicationRules) throw new Error('corpus/campaigns/dianshu-application.json is missing');
  const applicationForm = parseApplicationRules(applicationRules);
  // The form is checked by its campaign's rules: with the campaign disabled (a quote no longer verbatim), so is the check.
  const formCampaign = campaigns.find((c) => c.id === applicationForm.campaign);
  if (!formCampaign) logger?.error('application_check_disabled', { problem: `campaign ${applicationForm.campaign} is not in the catalogue` });
  const applications = formCampaign ? new ApplicationChecker(corpus, applicationForm, formCampaign) : undefined;

  const llm =
    options.llm ??
    (config.OPENAI_API_KEY
      ? createOpenAiAnswerer({
          apiKey: config.OPENAI_API_KEY,
          baseURL: config.OPENAI_BASE_URL,
          model: config.OPENAI_MODEL,
          prompts: files.prompts,
          timeoutMs: config.LLM_TIMEOUT_MS,
          maxTokens: config.LLM_MAX_TOKENS,
          readQuestions: config.LLM_READ_QUESTIONS,
          // (Counts under plain names: the logger redacts any field whose name says token.)
          onUsage: (usage) => logger?.info('llm_usage', { model: usage.model, prompt: usage.promptTokens, completion: usage.completionTokens, total: usage.totalTokens }),
          onRetry: (attempt, status, delayMs) => logger?.warn('llm_retry', { attempt, status, delayMs: Math.round(delayMs) }),
        })
      : undefined);
  const followUps = new FollowUps(bank, gazetteer);
  // A staff question joins the bank as what it asks for (its first asked type other than yes/no).
  const entryType = (question: string) => reader.read(question).asked.find((t) => t !== 'yesno') ?? 'other';
  const staff = new StaffAnswers(
    { fillers, synonyms: lexicon.synonyms.map((group) => group.map(foldText)) },
    { join: (entries) => bank.join(entries, corpus, entryType) },
  );
  const answers = new AnswerService({
    staff,
    corpus,
    retriever,
    clock,
    guard: createGuard(parseGuardPatterns(files.guard)),
    channels,
    llm,
    llmTimeoutMs: config.LLM_TIMEOUT_MS,
    llmMaxChars: config.LLM_MAX_ANSWER_CHARS,
    cacheSize: config.ANSWER_CACHE_SIZE,
    situations: new SituationService(rules),
    spelling,
    understanding: {
      reader,
      framed,
      gazetteer,
      types: types.defs,
      localities: scope.localities,
      polarity: types.polarity,
      // Places by province: other provinces' (scope regions) and the measures' own region with its cities.
      places: [...scope.places, ...[scope.measuresRegion, ...scope.localities].map((name) => ({ name: foldText(name), province: scope.measuresRegion }))].sort(
        (a, b) => b.name.length - a.name.length,
      ),
      eligibility: new CampaignEligibility(corpus, campaigns, () => todayIn(clock)),
      tracks: matcher,
      scores: new ScoreCalculator(campaigns),
      suggest: (subjects, asked, cited) => followUps.suggest(subjects, asked, cited),
    },
    onLlmFallback: (reason) => logger?.warn('llm_fallback', { reason }),
  });
  return { corpus, retriever, answers, rules, matcher, applications, clock, embedder, bank, gazetteer, staff,
    staffTargets: { matcher: staff, bank: { place: (entries) => bank.place(entries, entryType) }, fields: catalogueFields(campaigns) },
  };
}

/** The app dependencies every runtime passes the same way; the runtime adds its store, client key and extras. */
export function domainAppDeps(domain: Domain, config: Config, logger: Logger): Omit<AppDeps, 'store' | 'clientKey'> {
  return {
    corpus: domain.corpus,
    retriever: domain.retriever,
    answers: domain.answers,
    rules: domain.rules,
    matcher: domain.matcher,
    applications: domain.applications,
    today: () => todayIn(domain.clock),
    logger,
    embedderId: domain.embedder.id,
    rateLimitPerMinute: config.RATE_LIMIT,
    allowedOrigins: config.ALLOWED_ORIGINS,
    adminToken: config.ADMIN_TOKEN,
    apiKeys: config.API_KEYS,
  };
}

/**
 * The words of the asked-types lexicon that name a detail (邮箱、地址、电话、网址), not the ones that ask (哪些、多少、咋):
 * a slip on 「那些」 must not become 「哪些」.
 */
function detailWords(types: AskedTypes): string[] {
  return types.defs.flatMap((d) => d.cues.map((c) => c.text)).filter((c) => /^[\u4e00-\u9fff]{2,4}$/.test(c) && !/[哪啥什么几多少怎咋谁吗呢么嘛不没]/.test(c));
}
