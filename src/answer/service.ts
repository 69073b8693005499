import type { Corpus } from '../corpus/corpus.ts';
import { todayIn, type Clock } from '../clock.ts';
import type { RetrievedChunk, Retriever } from '../search/retriever.ts';
import { channelFor, type Channel } from './channels.ts';
import { daysBetween, findDates, formatChineseDate } from './dates.ts';
import { answerCoverage, gatherEvidence, weighContent } from './evidence.ts';
import { composeExtractive, type Composition } from './extractive.ts';
import type { Guard } from './guard.ts';
import { detectIntent, looksLikeFollowUp } from './intent.ts';
import { groundDraft, type LlmAnswerer, type Passage } from './llm.ts';
import type { Answer, Citation, DeclineReason } from './types.ts';
import { extractFacts, mergeFacts, type Facts } from '../rules/facts.ts';
import type { SituationService, SituationState } from '../rules/situation.ts';
import { verifyQuote } from './verify.ts';

export interface AnswerServiceOptions {
  corpus: Corpus;
  retriever: Retriever;
  clock: Clock;
  guard: Guard;
  channels: Channel[];
  /** When set, answers are drafted by the model and grounded; the extractive answer is the fallback. */
  llm?: LlmAnswerer;
  /** Limit for one model call, in milliseconds. */
  llmTimeoutMs?: number;
  /** Answers questions about the enterprise's own case from the rule files. */
  situations?: SituationService;
  /** Extractive answers kept in memory (0 turns the cache off). */
  cacheSize?: number;
  /** Logged when the model path fails and the extractive answer is used instead. */
  onLlmFallback?: (reason: string) => void;
}

export interface AskInput {
  question: string;
  /** Topic of the conversation's previous turn (Answer.topic), for follow-up questions. */
  previousTopic?: string;
  /** What earlier turns established about the enterprise. */
  previousSituation?: SituationState;
  /** Facts the caller states about the enterprise (the request's profile). */
  profile?: Facts;
}

/** Below this share of the question's weight covered by evidence, the service declines. */
const MIN_COVERAGE = 0.45;
/** Below this, nothing in the corpus is about the question at all. */
const OUT_OF_SCOPE_COVERAGE = 0.3;
const RETRIEVE_K = 8;
const ANSWER_CACHE_SIZE = 2000;

const MESSAGES = {
  manipulation:
    '抱歉，我只能依据辽宁省金融支持民营经济政策及相关案例征集文件的原文回答问题，不能执行更改规则、扮演角色或透露内部设置的请求。请直接描述您想了解的政策问题。',
  empty:
    '您好！我可以依据政策原文解答辽宁省金融支持民营经济的举措（如无还本续贷、担保费补贴、信用修复、在线测额、首贷）以及2025年各类金融案例征集活动的问题。请直接输入您的问题。',
  noEvidence: '抱歉，现有政策文件中没有找到能回答这个问题的依据，为避免误导，暂不作答。',
  outOfScope: '抱歉，这个问题不在本服务依据的政策文件范围内（辽宁省金融支持民营经济发展若干举措及其操作指南、2025年金融案例征集活动），暂时无法回答。',
} as const;

/**
 * Answers a question from the corpus: guard, retrieval, evidence gate, then
 * an extractive composition (or a grounded model draft), with every quote
 * checked against the stored text before it is returned.
 */
export class AnswerService {
  /**
   * Extractive answers already composed, by day, carried topic and question.
   * They are a pure function of these (and of the corpus, fixed for the
   * process's life), so repeated questions, which dominate real traffic, cost
   * a lookup. Model answers are not cached: a fallback after a passing model
   * failure must not stick.
   */
  private readonly cache = new Map<string, Promise<Answer>>();

  constructor(private readonly options: AnswerServiceOptions) {}

  get mode(): Answer['mode'] {
    return this.options.llm ? 'llm' : 'extractive';
  }

  answer(input: AskInput): Promise<Answer> {
    const question = input.question.trim();
    const capacity = this.options.cacheSize ?? ANSWER_CACHE_SIZE;
    if (this.options.llm || capacity === 0) return this.compute(question, input);
    const key = [todayIn(this.options.clock), input.previousTopic ?? '', JSON.stringify(input.previousSituation ?? null), JSON.stringify(input.profile ?? null), question].join('\u0000');
    const cached = this.cache.get(key);
    if (cached) {
      // Refresh its place: the map's order is the eviction order.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const answer = this.compute(question, input);
    this.cache.set(key, answer);
    if (this.cache.size > capacity) this.cache.delete(this.cache.keys().next().value!);
    // A failed computation is not remembered.
    answer.catch(() => this.cache.delete(key));
    return answer;
  }

  private async compute(question: string, input: AskInput): Promise<Answer> {
    const { corpus, guard, situations, clock } = this.options;
    const previousTopic = input.previousTopic;
    if (guard.isManipulation(question)) return this.decline('manipulation', question, question, 0);

    const situation = situations?.answer(question, todayIn(clock), input.previousSituation, input.profile);
    if (situation) {
      const citations = situation.citations.filter((c) => {
        const doc = corpus.document(c.docId);
        return doc !== undefined && verifyQuote(doc.text, c.quote, c.start, c.end);
      });
      if (citations.length === situation.citations.length) {
        return {
          answer: situation.text,
          answerable: true,
          citations,
          mode: 'extractive',
          topic: question,
          coverage: 1,
          situation: situation.state,
        };
      }
    }

    const known = mergeFacts(mergeFacts(input.previousSituation?.facts ?? {}, input.profile ?? {}), extractFacts(question, todayIn(clock)));
    const answer = await this.answerFromText(question, previousTopic);
    return Object.keys(known).length ? { ...answer, situation: { ...input.previousSituation, facts: known } } : answer;
  }

  private async answerFromText(question: string, previousTopic: string | undefined): Promise<Answer> {
    const { corpus, retriever } = this.options;
    const analyzed = retriever.analyze(question);
    const intent = detectIntent(question);
    const followUp = Boolean(previousTopic) && looksLikeFollowUp(question, analyzed.content.length);
    const context = followUp ? previousTopic : undefined;
    const topic = context ? `${context} ${question}` : question;
    if (analyzed.content.length === 0 && !context) return this.decline('empty', question, topic, 0);

    const hits = this.preferNamedDocuments(
      analyzed.text,
      await retriever.retrieve(analyzed, { k: RETRIEVE_K * 2, context }),
    ).slice(0, RETRIEVE_K);
    const asked = weighContent(retriever, analyzed.content);
    const contextTerms = context
      ? weighContent(
          retriever,
          retriever.analyze(context).content.filter((t) => !analyzed.content.some((q) => q.term === t.term)),
        )
      : [];
    const evidence = gatherEvidence(corpus, retriever, hits, asked, contextTerms, intent);
    const covered = answerCoverage(asked, evidence);
    if (covered >= MIN_COVERAGE && this.missesAskedDetail(analyzed.text, evidence.slice(0, 6).map((e) => e.folded))) {
      return this.decline('no_evidence', question, topic, covered);
    }
    if (covered < MIN_COVERAGE) {
      // Off-topic only when the question names nothing the domain vocabulary knows.
      const offTopic = covered < OUT_OF_SCOPE_COVERAGE && analyzed.groups.length === 0;
      return this.decline(offTopic ? 'out_of_scope' : 'no_evidence', question, topic, covered);
    }

    let composition = composeExtractive(corpus, retriever, evidence, asked, intent);
    let mode: Answer['mode'] = 'extractive';
    if (this.options.llm) {
      const drafted = await this.draftWithModel(question, context, hits.map((h) => h.chunk));
      if (drafted) {
        composition = drafted;
        mode = 'llm';
      }
    }
    const citations = this.cite(composition);
    if (citations.length === 0) return this.decline('no_evidence', question, topic, covered);
    let text = composition.text;
    if (intent.time) text += this.dateNote(citations);
    return { answer: text, answerable: true, citations, mode, topic, coverage: covered };
  }

  /**
   * 「续贷利率是多少」: the question asks for a detail (corpus/required-details.txt)
   * that none of the best sentences states; quoting them would not answer it.
   */
  private missesAskedDetail(question: string, sentences: string[]): boolean {
    // Literal match: synonym groups are too broad here (收费 is not a 手续费 amount).
    // A year the question names (「2026年度的金融兴辽」) is such a detail too.
    const details = [...(this.options.retriever.lexicon.requiredDetails ?? []), ...(question.match(/20\d{2}(?=年)/g) ?? [])];
    return details.some((detail) => question.includes(detail) && !sentences.some((s) => s.includes(detail)));
  }

  /**
   * When the question names a document (「金融兴辽」「点数成金」, or a synonym
   * of its short title), evidence comes from that document only.
   */
  private preferNamedDocuments(text: string, hits: RetrievedChunk[]): RetrievedChunk[] {
    const { corpus, retriever } = this.options;
    const named = corpus.documents
      .filter((doc) => {
        const title = doc.shortTitle.toLowerCase();
        const group = retriever.lexicon.synonyms.find((g) => g.includes(title)) ?? [title];
        return group.some((alias) => text.includes(alias));
      })
      .map((doc) => doc.id);
    if (named.length === 0) return hits;
    const kept = hits.filter((h) => named.includes(h.chunk.docId));
    return kept.length > 0 ? kept : hits;
  }

  private async draftWithModel(question: string, context: string | undefined, chunks: Passage['chunk'][]): Promise<Composition | null> {
    const { llm, corpus, clock, llmTimeoutMs = 20_000, onLlmFallback } = this.options;
    const passages: Passage[] = chunks.map((chunk, i) => ({ id: `P${i + 1}`, chunk }));
    const signal = AbortSignal.timeout(llmTimeoutMs);
    try {
      const draft = await llm!.draft({ question, context, passages, today: todayIn(clock) }, signal);
      const grounded = groundDraft(corpus, draft, passages);
      if (!grounded) onLlmFallback?.('model answer had no verifiable citation or declined');
      return grounded;
    } catch (error) {
      onLlmFallback?.(signal.aborted ? 'model call timed out' : `model call failed: ${(error as Error).message}`);
      return null;
    }
  }

  /** Turns claims into numbered citations, keeping only those whose quote is verbatim in its document. */
  private cite(composition: Composition): Citation[] {
    const { corpus } = this.options;
    const citations: Citation[] = [];
    composition.claims.forEach((claim, i) => {
      const doc = corpus.document(claim.docId);
      if (!doc || !verifyQuote(doc.text, claim.text, claim.start, claim.end)) return;
      citations.push({
        n: i + 1,
        docId: doc.id,
        title: doc.title,
        section: claim.section,
        quote: claim.text,
        start: claim.start,
        end: claim.end,
      });
    });
    return citations.length === composition.claims.length ? citations : [];
  }

  /** States, against today's date, whether the dates the cited text gives have passed. */
  private dateNote(citations: Citation[]): string {
    const today = todayIn(this.options.clock);
    const dates = citations.flatMap((c) => findDates(c.quote));
    if (dates.length === 0) return '';
    const latest = dates.reduce((a, b) => (a.date > b.date ? a : b));
    const days = daysBetween(today, latest.date);
    const todayText = formatChineseDate(today);
    if (days < 0) return `\n（按今天${todayText}计，上述时间均已过去。）`;
    if (days === 0) return `\n（今天${todayText}正是“${latest.text}”。）`;
    return `\n（按今天${todayText}计，距“${latest.text}”还有${days}天。）`;
  }

  private decline(reason: DeclineReason, question: string, topic: string, covered: number): Answer {
    let answer: string;
    if (reason === 'manipulation') answer = MESSAGES.manipulation;
    else if (reason === 'empty') answer = MESSAGES.empty;
    else {
      const channel = channelFor(question, this.options.channels);
      answer = `${reason === 'out_of_scope' ? MESSAGES.outOfScope : MESSAGES.noEvidence}${channel.text}`;
    }
    return { answer, answerable: false, citations: [], mode: 'extractive', declineReason: reason, topic, coverage: covered };
  }
}

