import { z } from 'zod';
import type { Corpus } from '../corpus/corpus.ts';
import { locateQuote, type Quote } from '../corpus/quotes.ts';
import { formatChineseDate } from '../text/dates.ts';
import { computationFacts, computeAll, conditionSchema, computationSchema, evaluate, factsOf, unknownFacts, type Condition, type FactReader, type Verdict } from '../rules/language.ts';

/** The facts the case reader fills in (src/match/case-facts.ts), and the campaign's own dates: what a rule may test. */
export const CASE_FACTS = [
  'orgType',
  'applicantRegion',
  'caseRegions',
  'foundedOn',
  'implementedOn',
  'workYears',
  'usesAi',
  'frontierTech',
  'jointApplicants',
  'integrityIssue',
  'seriousViolation',
  'shanghaiLeadOrPartner',
  'shanghaiResources',
  'shanghaiValue',
  'licensedPartner',
  'quantifiedEvidence',
  'inUse',
  'validatedInBusiness',
  'branchOrSubsidiary',
] as const;
export type CaseFactName = (typeof CASE_FACTS)[number];
/** Facts a campaign gives every rule of its own: its window's first and last day. */
const CAMPAIGN_FACTS = ['windowOpens', 'windowCloses'] as const;

const ruleSchema = z
  .object({
    id: z.string(),
    /** Limits the rule to some tracks of the campaign (上海示范案例's location rule ...). */
    tracks: z.array(z.string()).optional(),
    /** When a case meets the rule, in the rule language (src/rules/language.ts). */
    when: conditionSchema,
    quote: z.string(),
    fail: z.string(),
    pass: z.string(),
    ask: z.string().nullable(),
    /** Values taken for facts the case does not state (a declaration the application form requires anyway). */
    whenUnstated: z.record(z.string(), z.union([z.boolean(), z.number()])).optional(),
    /** A rule that only says who may apply (总部 or 分、子公司): it answers a question about that fact, and is no condition to wait for. */
    grants: z.boolean().optional(),
  })
  .strict();

const trackSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    direction: z.string().optional(),
    quota: z.number().int().nullable(),
    titleQuote: z.string(),
    focus: z.string(),
    keywords: z.array(z.string()),
    /** Names applicants use for the track when they name it. */
    aliases: z.array(z.string()).optional(),
  })
  .strict();

const quoted = z.object({ quote: z.string() }).strict();

export const campaignFileSchema = z
  .object({
    id: z.string(),
    docId: z.string(),
    campaign: z.string(),
    campaignQuote: z.string(),
    aliases: z.array(z.string()),
    region: z.string().nullable(),
    window: z.object({ opens: z.string().nullable(), closes: z.string(), quote: z.string() }).strict().nullable(),
    windowNote: z.string().optional(),
    timeline: z.array(z.object({ label: z.string(), quote: z.string() }).strict()),
    /** How the final score is made; `parts` (when the document gives weights) lets a given pair of scores be totalled. */
    scoring: z
      .object({
        quote: z.string(),
        parts: z.array(z.object({ name: z.string(), weight: z.number().positive().max(1), words: z.array(z.string()).min(1) }).strict()).optional(),
      })
      .strict()
      .nullable(),
    results: quoted.nullable(),
    /** Material rules (report length, logo format, required attachments ...). */
    materials: z.array(quoted).default([]),
    /** Review criteria as the document states them. */
    criteria: z.array(quoted).default([]),
    tracks: z.array(trackSchema).min(1),
    /** Values the rules compare with, computed from the campaign's dates (two years before the window opens ...). */
    computed: z.record(z.string(), computationSchema).default({}),
    rules: z.array(ruleSchema),
  })
  .strict();

export type CampaignFile = z.infer<typeof campaignFileSchema>;
export type CampaignRule = CampaignFile['rules'][number];
export type Track = CampaignFile['tracks'][number];

/** Every campaign's name and every track's names: the names the case reader reads no place from. */
export function catalogueNames(campaigns: Campaign[]): string[] {
  return campaigns.flatMap((c) => [c.campaign, ...c.tracks.flatMap(trackNames)]);
}

/** The names a track goes by: its title and the names applicants use for it. */
export function trackNames(track: Track): string[] {
  return [track.title, ...(track.aliases ?? [])];
}

export type { Quote } from '../corpus/quotes.ts';

export interface Campaign extends CampaignFile {
  /** The campaign's dates and computed values, as its rules read them (windowOpens, operatingSince ...). */
  values: Record<string, string | number>;
  quote(text: string): Quote;
}

/** The facts a rule reads, in the order it names them. */
export function ruleFacts(rule: CampaignRule): string[] {
  return factsOf(rule.when);
}

/**
 * A rule's verdict on a case: the facts the case states, the rule's values for those it does not (unless
 * `statedOnly`), and the campaign's dates and computed values.
 */
export function checkRule(
  campaign: Campaign,
  rule: CampaignRule,
  facts: Partial<Record<CaseFactName, unknown>> & { spans?: Partial<Record<string, [string, string]>> },
  statedOnly = false,
): Verdict {
  const reader =
    (pinned: Record<string, string> = {}): FactReader =>
    (name) => {
      if (name in pinned) return pinned[name];
      if (name in campaign.values) return campaign.values[name];
      const value = facts[name as CaseFactName] as ReturnType<FactReader>;
      const unstated = value === undefined || (Array.isArray(value) && value.length === 0);
      return unstated && !statedOnly ? (rule.whenUnstated?.[name] ?? value) : value;
    };
  // A date said only to the month or the year decides the rule only when its first and last day agree.
  const spanned = ruleFacts(rule).filter((f) => facts.spans?.[f]);
  if (spanned.length === 0) return evaluate(rule.when, reader());
  const ends = (i: 0 | 1) => Object.fromEntries(spanned.map((f) => [f, facts.spans![f]![i]]));
  const first = evaluate(rule.when, reader(ends(0)));
  return first === evaluate(rule.when, reader(ends(1))) ? first : 'unknown';
}

/**
 * A rule's message (fail, pass, ask) with its placeholders filled: {limit} is the rule's own bound (the 3 of
 * `"lte": 3`), {windowOpens} / {windowCloses} and computed names the campaign's values. A threshold written once in
 * `when` is then said the same everywhere.
 */
export function ruleText(campaign: Campaign, rule: CampaignRule, text: string): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = name === 'limit' ? boundOf(rule.when) : campaign.values[name];
    if (value === undefined) return whole;
    return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatChineseDate(value) : String(value);
  });
}

/** The bound of a rule that is one comparison (the 3 of `"lte": 3`, the date of `"onOrBefore": "2025-12-31"`). */
export function boundOf(condition: Condition): number | string | undefined {
  if (!('fact' in condition)) return undefined;
  for (const key of ['lte', 'lt', 'gte', 'gt', 'onOrBefore', 'before', 'onOrAfter', 'after'] as const) {
    const b = condition[key];
    if (typeof b === 'number' || typeof b === 'string') return b;
  }
  return undefined;
}

export interface CatalogueLoad {
  campaigns: Campaign[];
  /** Campaigns left out, each with why (a quote no longer verbatim in its document, a rule naming an unknown fact). */
  problems: string[];
}

/**
 * Parses the campaign catalogue (corpus/campaigns/*.json except the
 * application-form files) and locates every quote it names in its document.
 * A file that does not fit the schema is refused with its file and field; a
 * campaign whose quote is no longer verbatim in its document, or whose rule
 * names a fact nobody reads, is left out and reported in `problems` (the
 * service then answers about it from the text alone, never from a rule that
 * no longer rests on its source).
 */
export function loadCatalogue(corpus: Corpus, files: Record<string, string>): CatalogueLoad {
  const campaigns: Campaign[] = [];
  const problems: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const parsed = campaignFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`corpus/campaigns/${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const file = parsed.data;
    const doc = corpus.document(file.docId);
    if (!doc) throw new Error(`corpus/campaigns/${name}: unknown document ${file.docId}`);
    const vocabulary = new Set<string>([...CASE_FACTS, ...CAMPAIGN_FACTS, ...Object.keys(file.computed)]);
    const unknown = [
      ...file.rules.flatMap((r) => unknownFacts(r.when, vocabulary).map((f) => `rule ${r.id} names unknown fact "${f}"`)),
      ...Object.entries(file.computed).flatMap(([key, spec]) => computationFacts(spec).filter((f) => !vocabulary.has(f)).map((f) => `computed ${key} names unknown fact "${f}"`)),
    ];
    if (unknown.length) {
      problems.push(`corpus/campaigns/${name}: ${unknown.join('; ')}`);
      continue;
    }
    const located = new Map<string, Quote>();
    const all = [
      file.campaignQuote,
      ...(file.window ? [file.window.quote] : []),
      ...file.timeline.map((t) => t.quote),
      ...(file.scoring ? [file.scoring.quote] : []),
      ...(file.results ? [file.results.quote] : []),
      ...file.materials.map((m) => m.quote),
      ...file.criteria.map((m) => m.quote),
      ...file.tracks.flatMap((t) => [t.titleQuote, t.focus]),
      ...file.rules.map((r) => r.quote),
    ];
    const missing: string[] = [];
    for (const q of all) {
      try {
        located.set(q, locateQuote(corpus, doc.id, q));
      } catch (error) {
        missing.push((error as Error).message);
      }
    }
    if (missing.length) {
      problems.push(`corpus/campaigns/${name}: ${missing.join('; ')}`);
      continue;
    }
    const dates: Record<string, string> = {
      ...(file.window?.opens ? { windowOpens: file.window.opens } : {}),
      ...(file.window ? { windowCloses: file.window.closes } : {}),
    };
    const values = { ...dates, ...computeAll(file.computed, (f) => dates[f]) };
    campaigns.push({
      ...file,
      values,
      quote: (q) => {
        const found = located.get(q);
        if (!found) throw new Error(`corpus/campaigns/${name}: quote not in the catalogue: "${q}"`);
        return found;
      },
    });
  }
  return { campaigns, problems };
}

/** One field of a campaign's catalogue entry with the verbatim quote it rests on: what staff can attach a question to. */
export interface CatalogueField extends Quote {
  /** Stable across restarts: the campaign's id and the field's place in its file (`jinrong-xingliao-2025:timeline:投票时间`). */
  id: string;
  /** 「金融兴辽 › 投票时间」 */
  label: string;
  campaign: string;
}

/** Every field of the catalogue that rests on a quote, in file order (a key a file repeats: its first). */
export function catalogueFields(campaigns: Campaign[]): CatalogueField[] {
  const seen = new Set<string>();
  const fields = campaigns.flatMap((c) => {
    const name = c.aliases[0] ?? c.campaign;
    const field = (key: string, label: string, quote: string): CatalogueField => ({ ...c.quote(quote), id: `${c.id}:${key}`, label: `${name} › ${label}`, campaign: c.campaign });
    return [
      field('campaign', '活动名称', c.campaignQuote),
      ...(c.window ? [field('window', '报名时间', c.window.quote)] : []),
      ...c.timeline.map((t) => field(`timeline:${t.label}`, t.label, t.quote)),
      ...(c.scoring ? [field('scoring', '评分方式', c.scoring.quote)] : []),
      ...(c.results ? [field('results', '结果发布', c.results.quote)] : []),
      ...c.materials.map((m, i) => field(`material:${i + 1}`, `材料要求（${i + 1}）`, m.quote)),
      ...c.criteria.map((m, i) => field(`criterion:${i + 1}`, `评审标准（${i + 1}）`, m.quote)),
      ...c.tracks.flatMap((t) => [field(`track:${t.id}`, `类别：${t.title}`, t.titleQuote), field(`track:${t.id}:focus`, `类别重点：${t.title}`, t.focus)]),
      ...c.rules.map((r) => field(`rule:${r.id}`, `申报条件：${r.quote.length > 16 ? `${r.quote.slice(0, 16)}…` : r.quote}`, r.quote)),
    ];
  });
  return fields.filter((f) => !seen.has(f.id) && seen.add(f.id));
}
