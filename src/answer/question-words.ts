import type { Retriever } from '../search/retriever.ts';
import { foldText } from '../understand/fold.ts';
import { A_NOT_A } from '../text/asking.ts';
import type { Gazetteer, Subject } from '../understand/gazetteer.ts';
import type { AskedTypeDef } from '../understand/lexicons.ts';
import { weighContent, type WeightedContent } from './evidence.ts';

/** A cue that is a question word (啥时候, 寄哪, 多少, how much), not a noun naming the detail (利率, 邮箱). */
export const INTERROGATIVE = /[哪啥几谁咋怎]|什么|多少|how|what|when|where|which/i;

/** A clause in which the asker introduces themselves (我是…的, 我们是…): 「我们公司没进推荐清单」 is the question, not an introduction. */
export const SELF_INTRODUCTION = /^(?:我是|我们是|俺是|俺们是|咱是|咱们是|我司是|我行是|本单位是|本公司是|我这边|俺这边|我们这边|老板让|领导让|急着|着急|hi|hello|你好|您好)/;

/** Every either-or form of a verb in a text. */
export const EITHER_OR_FORM = new RegExp(A_NOT_A.source, 'g');

/**
 * The weighed content words of a question's remaining text; English words the
 * documents never use (「finance bureau」「material」) tell none of their sentences apart and are left out.
 */
export function questionContent(retriever: Retriever, text: string): WeightedContent[] {
  const unseen = retriever.idf('\u0000');
  // English words the documents never use are dropped, unless a synonym says what they mean (voting → 网络投票).
  return weighContent(retriever, retriever.analyze(text).content.filter((t) => !(/^[a-z]+$/.test(t.term) && retriever.idf(t.term) >= unseen && t.groups.length === 0)));
}

/**
 * The question without the subject's names and the words that only say what
 * kind of detail is asked: what is left tells the subject's sentences apart.
 */
export function questionWords(
  { gazetteer, fillers = [] }: { gazetteer: Gazetteer; fillers?: string[] },
  question: string,
  subjects: Subject[],
  types: AskedTypeDef[],
  others: AskedTypeDef[],
): string {
  // The subject's own title (「推动企业综合融资成本下降那一条」) is its name too.
  const aliases = subjects.flatMap((s) => [foldText(s.name), ...s.aliases, ...gazetteer.ancestors(s.id).flatMap((a) => a.aliases)]);
  const cues = [...types.flatMap((t) => t.cues.map((c) => c.text).filter((c) => INTERROGATIVE.test(c))), ...others.flatMap((t) => t.cues.map((c) => c.text))];
  // 「我是沈阳一家城商行的，金融兴辽的申报表往哪个邮箱发」: who is asking is context, not what is asked.
  // (Split before folding: a space between Chinese words separates clauses as a comma does.)
  const asking = question
    .split(/[，,。？?！!；;]|(?<=[\u4e00-\u9fff])\s+|\s+(?=[\u4e00-\u9fff])/)
    .map(foldText)
    .filter((clause) => !SELF_INTRODUCTION.test(clause.trim()) || [...types, ...others].some((t) => t.cues.some((c) => clause.includes(c.text))))
    .join(' ');
  // An either-or form (够不够, 能不能) asks; it names nothing to look for.
  // Politeness and forms of address (想问问, 老铁; corpus/fillers.txt) name nothing either. (Not its single characters:
  // the 的 of 目的 is no filler.)
  return [...aliases, ...cues, ...fillers.filter((w) => w.length >= 2)].sort((a, b) => b.length - a.length).reduce((text, word) => text.split(word).join(' '), asking).replace(EITHER_OR_FORM, ' ');
}
