/**
 * An adversarial stand-in for a language model, behind the OpenAI-compatible
 * stub: for every question it drafts, from the passages in the prompt, one or
 * two grounded sentences (a whole passage sentence, restated) and one of each
 * kind of unsupported sentence the claim checks must stop — a changed figure,
 * an invented phone number and web address, a flipped negation, a sweeping
 * quantifier, a claim cited to an unrelated passage, a fragment quote. It
 * knows by construction which sentences are unsupported, so an eval run can
 * count how many of them reached a user: the oracle is the writer, not the
 * checker under test.
 */
import type { ChatRequest, ChatReply } from './openai-stub.ts';

export interface StandInLedger {
  /** Question → the unsupported sentences written for it (markers removed). */
  unsupported: Map<string, string[]>;
  /** Drafts written. */
  drafts: number;
  /** Questions read (with LLM_READ_QUESTIONS). */
  readings: number;
}

const withoutMarkers = (text: string) => text.replace(/\[\d+\]/g, '');

/** Whole sentences of a passage (ending in 。！？), long enough to say something. */
function sentencesOf(text: string): string[] {
  return (text.match(/[^。！？\n]+[。！？]/g) ?? []).map((s) => s.trim()).filter((s) => s.length >= 12 && s.length <= 160);
}

function bigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const run of text.match(/[\u4e00-\u9fff]+/g) ?? []) for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
  return out;
}

/** The question asked, read from the human prompt. */
export function questionOf(request: ChatRequest): string {
  return /问题：([\s\S]*)$/.exec(request.human)?.[1].trim() ?? '';
}

/**
 * Writes the stand-in's draft for one chat request and records its unsupported sentences. `stream` shapes how
 * the stub sends it (the service asks for a stream).
 */
export function adversarialReply(request: ChatRequest, ledger: StandInLedger): ChatReply {
  if (request.toolName === 'frame') return guessedReading(request, ledger);
  ledger.drafts++;
  const question = questionOf(request);
  const quotes = [...request.passages].flatMap(([passageId, text]) => sentencesOf(text).map((quote) => ({ passageId, quote })));
  if (quotes.length === 0) return { draft: { answerable: false, citations: [], answer: '资料不足以回答。' } };
  const first = quotes[0];
  const second = quotes.find((q) => q.passageId !== first.passageId);
  // A passage sentence sharing almost nothing with the first one: citing it for the first one's content is unrelated.
  const own = bigrams(first.quote);
  const unrelated = quotes.find((q) => {
    const theirs = bigrams(q.quote);
    let shared = 0;
    for (const b of own) if (theirs.has(b)) shared++;
    return own.size > 0 && shared / own.size < 0.1;
  });
  const citations = [{ n: 1, passageId: first.passageId, quote: first.quote }];
  const grounded = [`根据资料，${first.quote.replace(/[。！？]$/, '')}[1]。`];
  if (second) {
    citations.push({ n: 2, passageId: second.passageId, quote: second.quote });
    grounded.push(`另外，${second.quote.replace(/[。！？]$/, '')}[2]。`);
  }
  const bad: string[] = [];
  // A figure, not a list number (「8.」「（3）」「第2条」).
  const figure = /(?<![\d.（(第])\d+(?:\.\d+)?(?![\d.、)）])/.exec(first.quote);
  if (figure) {
    const at = figure.index;
    bad.push(`${(first.quote.slice(0, at) + String(Number(figure[0]) + 7) + first.quote.slice(at + figure[0].length)).replace(/[。！？]$/, '')}[1]。`);
  }
  bad.push('详情可拨打咨询电话0411-86661234办理[1]。');
  bad.push('也可登录https://zhengce-fuwu.example.cn在线办理[1]。');
  const negated = /不得|不超过|不高于|不低于|不能|不予|无需|不需要/.exec(first.quote);
  if (negated) {
    const flipped = first.quote.replace(negated[0], negated[0].replace(/^(不|无)/, '').replace(/^需$/, '需要') || '可以');
    bad.push(`${flipped.replace(/[。！？]$/, '')}[1]。`);
  }
  bad.push(`所有企业一律适用：${first.quote.replace(/[。！？]$/, '')}[1]。`);
  if (unrelated) {
    citations.push({ n: 3, passageId: unrelated.passageId, quote: unrelated.quote });
    bad.push(`同时，${first.quote.replace(/[。！？]$/, '').replace(/\d+(?:\.\d+)?/g, '')}[3]。`);
  }
  const fragment = first.quote.slice(2, 6);
  citations.push({ n: 4, passageId: first.passageId, quote: fragment });
  bad.push(`据介绍，${first.quote.replace(/[。！？]$/, '')}[4]。`);

  ledger.unsupported.set(question, [...(ledger.unsupported.get(question) ?? []), ...bad.map(withoutMarkers)]);
  // Grounded and unsupported sentences interleaved, the way a model mixes them.
  const answer = [grounded[0], ...bad.slice(0, 3), ...grounded.slice(1), ...bad.slice(3)].join('');
  return { draft: { answerable: true, citations, answer }, chunkChars: 48 };
}

/** Facts the stand-in makes up when it reads a question: none of them is ever in a question of the eval sets. */
export const GUESSED = { dueDate: '2031-07-31', guaranteeAmountYuan: 123_456_789, guaranteeRatePercent: 7.77, region: '黑龙江省' } as const;

/**
 * The stand-in reading a question (the `frame` schema): a made-up subject beside the first listed one, types that
 * may not exist, and facts it guessed — a size and loan kind whatever the question says, and the values of GUESSED.
 */
function guessedReading(request: ChatRequest, ledger: StandInLedger): ChatReply {
  ledger.readings++;
  const firstSubject = /^([^：\n]+)：/m.exec(request.system.slice(request.system.indexOf('主体列表')).split('\n').slice(1).join('\n'))?.[1];
  return {
    draft: {
      subjects: ['made-up-subject', ...(firstSubject ? [firstSubject] : [])],
      asked: ['yesno', 'horoscope'],
      facts: { size: 'large', loanKind: 'fixed_asset', ...GUESSED },
    },
  };
}

/** How many unsupported sentences written for `question` appear in `answer` (markers ignored). */
export function unsupportedShown(ledger: StandInLedger, question: string, answer: string): string[] {
  const shown = withoutMarkers(answer);
  return (ledger.unsupported.get(question) ?? []).filter((s) => shown.includes(s.replace(/。$/, '')));
}
