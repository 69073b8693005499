import type { Corpus } from '../corpus/corpus.ts';
import { quoteAt, type Quote } from '../corpus/quotes.ts';
import { orgTypeWords, readCase, type CaseFacts } from './case-facts.ts';
import { checkRule, ruleFacts, trackNames, type Campaign, type CampaignRule, type CaseFactName } from './catalogue.ts';

/** What a campaign's rules say about the facts one question states. */
export interface EligibilityFinding {
  campaignId: string;
  /** no: a stated fact fails a rule; yes: every rule a stated fact is tested by passes. */
  verdict: 'yes' | 'no';
  /** The rules that decided, with the quotes they rest on (the failing ones for a no). */
  rules: Array<{ id: string; facts: string[]; quote: Quote }>;
  /** Rules of the campaign the question says nothing about (left to the applicant). */
  unchecked: number;
}

/**
 * Facts a chat question can state plainly enough to be held against a rule. Years of work (every year a question
 * mentions, 「2025年没新动作」 included), quantified evidence (any figure) and a Shanghai partner assumed absent are read
 * loosely for ranking case descriptions; in a question they would decide on a guess, so they are left unknown.
 */
const STATED_IN_A_QUESTION: ReadonlySet<string> = new Set<CaseFactName>([
  'orgType',
  'applicantRegion',
  'caseRegions',
  'foundedOn',
  'implementedOn',
  'jointApplicants',
  'integrityIssue',
  'seriousViolation',
  'frontierTech',
]);

/**
 * Campaign eligibility asked in the chat (「我们公司2022年3月注册的，点数成金经营年限够不够」「吉林注册的城商行能报金融兴辽吗」):
 * the question is read as a case (the same reader the track recommendation uses), and the campaign's rules (those of
 * the campaign, and those of a track only when the question names that track) are held against the facts it states.
 * A rule the question says nothing about is not assumed either way; the yes covers what was checked, no more.
 */
export class CampaignEligibility {
  constructor(
    private readonly corpus: Corpus,
    private readonly campaigns: Campaign[],
    private readonly today: () => string,
  ) {}

  /** The finding for the campaign of one of the documents, or null when the question states no fact a rule tests. */
  check(question: string, docIds: string[], subjectNames: string[] = []): EligibilityFinding | null {
    const campaign = this.campaigns.find((c) => docIds.includes(c.docId));
    if (!campaign) return null;
    const facts = readCase(question, this.campaigns.flatMap((c) => c.aliases), this.today());
    const text = question.replace(/\s+/g, '');
    const named = new Set(
      campaign.tracks.filter((t) => trackNames(t).some((a) => text.includes(a) || subjectNames.includes(a))).map((t) => t.id),
    );
    const applicable = campaign.rules.filter((r) => !r.tracks || r.tracks.some((t) => named.has(t)));
    // Only what the question states: a rule's value for an unstated fact (whenUnstated) is no fact of this asker's.
    const verdicts = applicable
      .filter((r) => ruleFacts(r).some((f) => STATED_IN_A_QUESTION.has(f)))
      .map((rule) => ({ rule, verdict: checkRule(campaign, rule, facts, true) }))
      .filter((v) => v.verdict !== 'unknown');
    if (verdicts.length === 0) return null;
    const failed = verdicts.filter((v) => v.verdict === 'fail');
    // A yes covers only a condition the question asks about by name (经营年限够不够, 3家一起报行不): a type of applicant or a
    // region that passes says nothing of the conditions beside it (a branch, a Shanghai partner), which the asker may be
    // asking about; those can rule a case out, never in.
    // Who the applicant is (its kind and, where the campaign asks it, where it is registered) is a yes of its own only
    // when every rule of the campaign on who may apply is stated and met.
    const identity = campaign.rules.filter((r) => !r.tracks && ruleFacts(r).some((f) => IDENTITY.has(f)));
    const identified =
      identity.length > 0 && identity.every((r) => verdicts.some((v) => v.rule === r && v.verdict === 'pass')) ? verdicts.filter((v) => identity.includes(v.rule)) : [];
    const deciding = failed.length
      ? failed
      : [...verdicts.filter((v) => v.verdict === 'pass' && ruleFacts(v.rule).some((f) => ASKED_ABOUT[f]?.test(text))), ...identified].filter((v, i, all) => all.indexOf(v) === i);
    if (deciding.length === 0) return null;
    return {
      campaignId: campaign.id,
      verdict: failed.length ? 'no' : 'yes',
      rules: deciding.map(({ rule, verdict }) => ({ id: rule.id, facts: ruleFacts(rule), quote: this.quoteFor(campaign, rule, verdict, facts) })),
      unchecked: applicable.length - deciding.length,
    };
  }

  /**
   * The rule's quote; for a kind of applicant that is allowed, the line of the rule's list that names that kind
   * (「学术研究机构：开展相关研究的高校、科研院所、实验室等」 for a university lab), when the rule's quote is one line of such a list.
   */
  private quoteFor(campaign: Campaign, rule: CampaignRule, verdict: string, facts: CaseFacts): Quote {
    const quote = campaign.quote(rule.quote);
    if (!ruleFacts(rule).includes('orgType') || verdict !== 'pass' || !facts.orgType) return quote;
    const doc = this.corpus.document(quote.docId);
    if (!doc) return quote;
    const words = orgTypeWords(facts.orgType);
    const names = (line: string) => words.some((re) => re.test(line));
    const lineStart = doc.text.lastIndexOf('\n', quote.start - 1) + 1;
    // The rule's own line, then the lines of its list after it (up to a blank line).
    let at = lineStart;
    for (let i = 0; i < LIST_LINES_MAX && at < doc.text.length; i++) {
      const end = doc.text.indexOf('\n', at) < 0 ? doc.text.length : doc.text.indexOf('\n', at);
      const line = doc.text.slice(at, end);
      if (line.trim() === '') break;
      if (names(line)) {
        const lead = line.length - line.trimStart().length;
        return quoteAt(doc, at + lead, end);
      }
      at = end + 1;
    }
    return quote;
  }
}

/** Lines of an applicant list searched for the asker's kind. */
const LIST_LINES_MAX = 8;

/** Facts that say who the applicant is. */
const IDENTITY: ReadonlySet<string> = new Set<CaseFactName>(['orgType', 'applicantRegion']);

/** The words by which a question asks about one condition itself: only such a condition, met, answers yes. */
const ASKED_ABOUT: Partial<Record<string, RegExp>> = {
  foundedOn: /成立|年限|满两年|经营.{0,3}年|开了.{0,3}年|注册.{0,6}(?:年|月)|\d{4}年.{0,4}注册/,
  implementedOn: /实施|上线|投产|时间上|哪年做|啥时候做/,
  jointApplicants: /几家|\d+家|[一二两三四五六七八九十]家|联合|一起报|一块儿?报/,
};
