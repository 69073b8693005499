import { foldText } from '../understand/fold.ts';
import type { AskedTypes } from '../understand/lexicons.ts';

/** Either-or forms of a question (能不能, 是不是): they ask, they do not reverse. */
const EITHER_OR = /能不能|可不可以|可以不|是不是|要不要|需不需要|需要不|有没有|行不行|算不算|会不会|用不用|得不得|让不让|给不给|中不中/g;

/** A question asking whether something is required (要不要、必须…吗), not whether it is allowed. */
const ASKS_REQUIRED = /要不要|需不需要|需要不|用不用|必须|得.{0,8}吗|需要.{0,12}[吗么不]|要.{0,8}[吗么]|是否需要/;

/** A question that describes the asker's own case (我们是…, 我公司…, 俺们厂…): its yes or no is an eligibility ruling. */
const DESCRIBES_OWN_CASE = /(?:我们|俺们|咱们|我司|我行|本公司|本单位|(?:^|[，,。；\s])(?:我|俺|咱))(?:是|公司|单位|厂|行|企业|这边|这个|的)/;

/** A question asking whether something exists (有没有、有…吗). */
const ASKS_EXISTS = /有没有|有无|有.{0,12}[吗么]|有.{0,12}[不没]$/;

/**
 * The yes or no a quoted rule gives a yes/no question, from the words the rule
 * says it with (corpus/asked-types.json `polarity`): 「不得」「只能」 say no;
 * 「可以」「鼓励」 say yes to whether something is allowed, 「须」「应当」 to
 * whether it is required; a question that itself says 「只能」 or 「不用」 turns
 * the answer round. A rule that says both, or neither, settles nothing: null,
 * and the answer says the documents give no plain yes or no.
 */
export function verdictFromRule(question: string, rule: string, polarity: AskedTypes['polarity']): 'yes' | 'no' | null {
  // Whether the asker's own case qualifies (「我们是金融科技公司，能报吗」) is for the rules to decide, never for wording.
  if (DESCRIBES_OWN_CASE.test(foldText(question))) return null;
  let text = foldText(rule);
  let no = false;
  for (const word of polarity.no) {
    if (!text.includes(word)) continue;
    no = true;
    text = text.split(word).join(' ');
  }
  const asked = foldText(question);
  const yesWords = ASKS_REQUIRED.test(asked) ? polarity.require : polarity.permit;
  const yes = yesWords.some((word) => text.includes(word));
  if (no === yes) return null;
  const turned = polarity.turn.some((word) => asked.replace(EITHER_OR, ' ').includes(word));
  return no !== turned ? 'no' : 'yes';
}

/**
 * The sentence of the quoted text a yes/no question is about: the one that
 * shares most of its character pairs (「前面专业评审的分还带进去吗」 →
 * 「专业评审、网络投票分数不计入答辩评审环节」, not the sentence beside it).
 */
export function ruleSentence(question: string, claims: string[]): string | null {
  const asked = foldText(question);
  const pairs = new Set<string>();
  for (let i = 0; i + 2 <= asked.length; i++) pairs.add(asked.slice(i, i + 2));
  let best: { text: string; shared: number } | null = null;
  for (const claim of claims) {
    for (const sentence of claim.split(/(?<=[。；！？])/)) {
      const text = foldText(sentence);
      let shared = 0;
      for (let i = 0; i + 2 <= text.length; i++) if (pairs.has(text.slice(i, i + 2))) shared++;
      if (text.trim() && (!best || shared > best.shared)) best = { text: sentence, shared };
    }
  }
  return best?.text ?? null;
}

/** Whether a yes/no question asks if something exists (有没有高校做智库支持): finding it in the text is the yes. */
export function asksExistence(question: string): boolean {
  return ASKS_EXISTS.test(foldText(question));
}

/** What an answer to a yes/no question opens with when the quoted text gives no plain yes or no. */
export const NO_PLAIN_VERDICT = '原文没有直接给出“是”或“否”的说法，相关原文如下：';
