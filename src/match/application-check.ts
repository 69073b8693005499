import { z } from 'zod';
import type { Corpus } from '../corpus/corpus.ts';
import { locateQuote, type Citation } from '../corpus/quotes.ts';
import { formatChineseDate, lastDay } from '../text/dates.ts';
import { boundOf, checkRule, ruleFacts, ruleText, type Campaign, type CampaignRule } from './catalogue.ts';
import { countChars } from '../text/chars.ts';

/*
 * Form check of a draft 申报书 for 2025年“点数成金” (POST /api/applications/check).
 *
 * The limits and requirements live in corpus/campaigns/dianshu-application.json,
 * each with the verbatim source quote it rests on; this module only applies
 * them. Every finding carries the citation of the rule it reports.
 *
 * Character counting (字数): every Unicode code point counts as one character,
 * except whitespace (spaces, tabs, line breaks, the ideographic space U+3000,
 * no-break spaces, BOM — everything JavaScript's \s matches — and the zero-width
 * space U+200B). So a CJK character, a letter, a digit, a punctuation mark
 * (，。“”) and an emoji outside the BMP (😀, one code point, two UTF-16 units)
 * each count as one. A field or section whose count is 0 (absent, empty or
 * whitespace only) is missing.
 */

// ---------------------------------------------------------------------------
// Character counting and normalisation
// ---------------------------------------------------------------------------

/** 字数 as the checker counts it: code points other than whitespace (see the note at the top of the file). */
export { countChars } from '../text/chars.ts';

/** For name and option matching: NFKC (full-width → half-width), lower case, no whitespace. */
function norm(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\u200b]+/gu, '');
}

function codePointLength(text: string): number {
  return [...text].length;
}

// ---------------------------------------------------------------------------
// Request body
// ---------------------------------------------------------------------------

/** The 案例信息摘要表 and 申报单位 fields the data file limits; other keys are accepted and ignored. */
export const APPLICATION_FIELD_NAMES = [
  '案例名称',
  '案例简介',
  '案例创新点',
  '业务方案',
  '技术方案',
  '合规与风险管控方案',
  '经济效益',
  '社会效益',
  '单位简介',
  '数字金融成果简介',
] as const;

/** The parts of 3.申报案例说明. */
export const APPLICATION_SECTION_NAMES = ['摘要', '引言', '案例内容', '案例创新点', '案例成效', '经验总结', '未来展望'] as const;

const FIELD_TEXT_MAX = 20_000;
const SECTION_TEXT_MAX = 100_000;
const LIST_MAX = 50;
const ITEM_MAX = 200;

const lastKey = (path: ReadonlyArray<PropertyKey> | undefined) => String(path?.[path.length - 1] ?? '该项');

function textValue(name: string, max: number) {
  return z.string({ error: `${name}须为文字。` }).max(max, `${name}过长，请控制在${max}字符以内。`);
}

function textRecord<K extends string>(names: readonly K[], max: number, what: string, example: string) {
  const shape = Object.fromEntries(names.map((n) => [n, textValue(n, max).optional()])) as Record<K, z.ZodOptional<z.ZodString>>;
  return z
    .object(shape, {
      error: (issue) => (issue.input === undefined ? `请提供${what}，例如 ${example}。` : `${what}须为对象，键为名称、值为文字，例如 ${example}。`),
    })
    .catchall(
      z
        .string({ error: (issue) => `${lastKey(issue.path)}须为文字。` })
        .max(max, `${what}中的内容过长，请控制在${max}字符以内。`),
    );
}

function textList(name: string) {
  return z
    .array(z.string({ error: `${name}的每一项须为文字。` }).max(ITEM_MAX, `${name}的每一项请控制在${ITEM_MAX}字符以内。`), {
      error: `${name}须为文字数组。`,
    })
    .max(LIST_MAX, `${name}最多${LIST_MAX}项。`);
}

function isoDate(name: string) {
  return z
    .string({ error: `${name}须为 YYYY-MM-DD 格式的日期。` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${name}须为 YYYY-MM-DD 格式的日期。`)
    .refine(isCalendarDate, `${name}不是有效日期，请检查。`);
}

function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number);
  return m >= 1 && m <= 12 && d >= 1 && d <= lastDay(y, m);
}

function flag(name: string) {
  return z.boolean({ error: `${name}须为 true 或 false。` });
}

const applicantSchema = z.strictObject(
  {
    name: textValue('申报单位名称（name）', ITEM_MAX).optional(),
    foundedOn: isoDate('成立日期（foundedOn）').optional(),
    jointApplicants: textList('联合申报单位（jointApplicants）').optional(),
    brands: textList('品牌名称（brands）').optional(),
    products: textList('产品名称（products）').optional(),
    landedIn: textList('落地地区（landedIn）').optional(),
    implementedOn: isoDate('实施应用日期（implementedOn）').optional(),
    seriousIntegrityRecord: flag('近两年内是否有重大不良诚信记录（seriousIntegrityRecord）').optional(),
    seriousViolation: flag('是否有重大违法违规行为（seriousViolation）').optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `申报主体（applicant）中有不支持的字段：${issue.keys.join('、')}。` : '申报主体（applicant）须为对象。',
  },
);

const draftSchema = z.strictObject(
  {
    fields: textRecord(APPLICATION_FIELD_NAMES, FIELD_TEXT_MAX, '案例信息摘要表字段（fields）', '{"案例名称": "……"}'),
    sections: textRecord(APPLICATION_SECTION_NAMES, SECTION_TEXT_MAX, '案例说明各部分（sections）', '{"摘要": "……"}'),
    direction: textValue('申报方向（direction）', ITEM_MAX).optional(),
    domains: textList('应用领域（domains）').optional(),
    technologies: textList('主要技术（technologies）').optional(),
    attachments: textList('附件（attachments）').optional(),
    applicant: applicantSchema.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `申报书（draft）中有不支持的字段：${issue.keys.join('、')}。`
        : issue.input === undefined
          ? '请提供申报书（draft）。'
          : '申报书（draft）须为对象。',
  },
);

/** The body of POST /api/applications/check: `{ draft: { fields, sections, direction?, domains?, technologies?, attachments?, applicant? } }`. */
export const applicationDraftSchema = z.object(
  { draft: draftSchema },
  { error: '请求体须为 JSON 对象，例如 {"draft": {"fields": {"案例名称": "……"}, "sections": {"摘要": "……"}}}。' },
);

export type ApplicationCheckRequest = z.infer<typeof applicationDraftSchema>;
export type ApplicationDraft = ApplicationCheckRequest['draft'];
export type ApplicantFacts = NonNullable<ApplicationDraft['applicant']>;

// ---------------------------------------------------------------------------
// The data file (corpus/campaigns/dianshu-application.json)
// ---------------------------------------------------------------------------

const sourceSchema = z.strictObject({
  docId: z.string().min(1),
  quote: z.string().min(1),
  /** A quote the document repeats is taken at its first occurrence after this anchor. */
  after: z.string().min(1).optional(),
});

const names = z.array(z.string().min(1));

const choiceSchema = z.strictObject({
  name: z.string().min(1),
  draftKey: z.enum(['direction', 'domains', 'technologies']),
  single: z.boolean(),
  required: z.boolean(),
  options: names.min(1),
  aliases: z.record(z.string(), z.string()),
  note: z.string().optional(),
  source: sourceSchema,
});

export const applicationRulesSchema = z
  .strictObject({
    campaign: z.string().min(1),
    title: z.string().min(1),
    note: z.string().optional(),
    fields: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          table: z.string().min(1),
          maxChars: z.number().int().positive(),
          source: sourceSchema,
          /** The quote that makes the field required, when it is not the limit's own quote. */
          requiredSource: sourceSchema.optional(),
        }),
      )
      .min(1),
    caseName: z.strictObject({
      field: z.string().min(1),
      note: z.string().optional(),
      source: sourceSchema,
      legalForms: names,
      weakMarkers: names,
      genericTerms: names,
      functionChars: z.string(),
      industryWords: names,
    }),
    choices: z.array(choiceSchema),
    sections: z.array(z.strictObject({ name: z.string().min(1), minChars: z.number().int().positive(), source: sourceSchema })).min(1),
    attachments: z.array(z.strictObject({ name: z.string().min(1), matches: names.min(1), source: sourceSchema })),
    /**
     * Who may apply: the campaign's own rules (corpus/campaigns, the rule language), named by id, each with the
     * applicant field it reads and how the form words a finding. `fail` may use {quote} (the rule's quote), the fact
     * ({foundedOn}, {jointApplicants}, {implementedOn}, {regions}), {limit} (the rule's bound) and the campaign's
     * dates ({windowOpens}).
     */
    eligibility: z.strictObject({
      note: z.string().optional(),
      rules: z.array(z.strictObject({ rule: z.string().min(1), field: z.string().min(1), ask: z.string().min(1), fail: z.string().min(1) })).min(1),
      /** How the form's region names are read: any place in the region passes; only places known to be elsewhere fail. */
      landedIn: z.strictObject({ region: z.string().min(1), inRegion: names.min(1), elsewhere: names, note: z.string().optional() }),
    }),
  })
  .superRefine((rules, ctx) => {
    // The numbers in the file must be the numbers the quotes state.
    const says = (path: Array<string | number>, quote: string, phrase: string) => {
      if (!quote.includes(phrase)) ctx.addIssue({ code: 'custom', path, message: `quote does not state "${phrase}": ${quote}` });
    };
    rules.fields.forEach((f, i) => says(['fields', i, 'source', 'quote'], f.source.quote, `${f.maxChars}字内`));
    rules.sections.forEach((s, i) => says(['sections', i, 'source', 'quote'], s.source.quote, `不少于${s.minChars}字`));
    rules.choices.forEach((c, i) => {
      for (const option of c.options) says(['choices', i, 'options'], c.source.quote, option);
      for (const [alias, target] of Object.entries(c.aliases)) {
        if (!c.options.includes(target)) ctx.addIssue({ code: 'custom', path: ['choices', i, 'aliases', alias], message: `alias names unknown option ${target}` });
      }
    });
    const unique = (path: string, list: string[]) => {
      const seen = new Set<string>();
      for (const name of list) {
        if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [path], message: `duplicate name ${name}` });
        seen.add(name);
      }
    };
    unique('fields', rules.fields.map((f) => f.name));
    unique('sections', rules.sections.map((s) => s.name));
    unique('attachments', rules.attachments.map((a) => a.name));
    unique('choices', rules.choices.map((c) => c.draftKey));
    if (!rules.fields.some((f) => f.name === rules.caseName.field)) {
      ctx.addIssue({ code: 'custom', path: ['caseName', 'field'], message: `no field named ${rules.caseName.field}` });
    }
  });

export type ApplicationRules = z.infer<typeof applicationRulesSchema>;
export type ApplicationRuleSource = z.infer<typeof sourceSchema>;

/** Parses and validates the data file's text; throws an Error naming every problem (path: message). */
export function parseApplicationRules(json: string): ApplicationRules {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    throw new Error(`application rules: invalid JSON: ${(err as Error).message}`);
  }
  const result = applicationRulesSchema.safeParse(data);
  if (!result.success) {
    throw new Error(`application rules: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}

// ---------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------

export type ApplicationFindingKind =
  | 'too_long'
  | 'too_short'
  | 'missing_field'
  | 'missing_section'
  | 'missing_attachment'
  | 'forbidden_name'
  | 'invalid_option'
  | 'ineligible'
  | 'unknown';

export interface ApplicationFinding {
  kind: ApplicationFindingKind;
  /** The field, section, attachment or applicant fact concerned, by its Chinese name (案例简介, 案例内容, 营业执照, 成立日期 …). */
  field: string;
  /** What is wrong, or for kind 'unknown' the question to ask, in Chinese. */
  message: string;
  /** The limit that applies (字数 for fields and sections, 家 for joint applicants). */
  limit?: number;
  /** The draft's value measured against `limit`. */
  count?: number;
  /** The rule's source quote, verified against the stored document text. */
  citation: Citation;
}

export interface ApplicationCheckResult {
  /** True only when there are no findings (no failures and nothing left to ask). */
  ok: boolean;
  findings: ApplicationFinding[];
}

// ---------------------------------------------------------------------------
// The checker
// ---------------------------------------------------------------------------

type ResolvedSource = Omit<Citation, 'n'>;

interface NameRule {
  legalForms: string[];
  weakMarkers: string[];
  genericTerms: string[];
  functionChars: Set<string>;
  stripSuffixes: string[];
  regions: string[];
  industryWords: string[];
}

/**
 * Applies the data file to drafts. Construction resolves every quote in the
 * data file against the corpus and throws, naming the quote, when one is not
 * verbatim in its document (or, without an `after` anchor, not unique there).
 * Build one per (corpus, rules) and call `check` per request.
 */
export class ApplicationChecker {
  private readonly resolved = new Map<ApplicationRuleSource, ResolvedSource>();
  private readonly names: NameRule;

  constructor(
    private readonly corpus: Corpus,
    readonly rules: ApplicationRules,
    /** The campaign of the catalogue whose rules decide who may apply. */
    private readonly campaign: Campaign,
  ) {
    if (campaign.id !== rules.campaign) throw new Error(`application rules: for campaign ${rules.campaign}, given ${campaign.id}`);
    for (const source of allSources(rules)) this.resolved.set(source, this.resolve(source));
    for (const e of rules.eligibility.rules) {
      const rule = campaign.rules.find((r) => r.id === e.rule);
      if (!rule) throw new Error(`application rules: eligibility names unknown rule ${e.rule} of ${campaign.id}`);
      const facts = ruleFacts(rule).filter((f) => !(f in campaign.values));
      if (facts.length !== 1 || !(facts[0] in DRAFT_FACTS)) throw new Error(`application rules: rule ${e.rule} reads ${facts.join(', ') || 'no fact'}, not one fact of the form`);
    }
    const c = rules.caseName;
    const byLength = (list: string[]) => [...new Set(list.map(norm))].filter(Boolean).sort((a, b) => b.length - a.length);
    this.names = {
      legalForms: byLength(c.legalForms),
      weakMarkers: byLength(c.weakMarkers),
      genericTerms: byLength(c.genericTerms),
      functionChars: new Set([...norm(c.functionChars)]),
      stripSuffixes: byLength([...c.legalForms, '公司', '集团']),
      regions: byLength([...rules.eligibility.landedIn.inRegion, ...rules.eligibility.landedIn.elsewhere, '中国']),
      industryWords: byLength(c.industryWords),
    };
  }

  check(draft: ApplicationDraft): ApplicationCheckResult {
    const findings: ApplicationFinding[] = [];
    this.checkFields(draft, findings);
    this.checkCaseName(draft, findings);
    this.checkChoices(draft, findings);
    this.checkSections(draft, findings);
    this.checkAttachments(draft, findings);
    this.checkEligibility(draft, findings);
    return { ok: findings.length === 0, findings };
  }

  private cite(source: ApplicationRuleSource): Citation {
    return { n: 1, ...this.resolved.get(source)! };
  }

  private resolve(source: ApplicationRuleSource): ResolvedSource {
    try {
      return locateQuote(this.corpus, source.docId, source.quote, { after: source.after, unique: true });
    } catch (error) {
      throw new Error(`application rules: ${(error as Error).message}`);
    }
  }

  private checkFields(draft: ApplicationDraft, out: ApplicationFinding[]): void {
    for (const rule of this.rules.fields) {
      const count = countChars(draft.fields[rule.name] ?? '');
      if (count === 0) {
        out.push({
          kind: 'missing_field',
          field: rule.name,
          // With a requiredSource the citation is the 必填 mark, so the message states that, not the limit.
          message: rule.requiredSource ? `未填写“${rule.name}”（${rule.table}为必填）。` : `未填写“${rule.name}”（${rule.table}，${rule.maxChars}字内）。`,
          limit: rule.maxChars,
          count,
          citation: this.cite(rule.requiredSource ?? rule.source),
        });
      } else if (count > rule.maxChars) {
        out.push({
          kind: 'too_long',
          field: rule.name,
          message: `${rule.name}共${count}字，超过${rule.maxChars}字的上限。`,
          limit: rule.maxChars,
          count,
          citation: this.cite(rule.source),
        });
      }
    }
  }

  private checkCaseName(draft: ApplicationDraft, out: ApplicationFinding[]): void {
    const rule = this.rules.caseName;
    const title = draft.fields[rule.field] ?? '';
    if (countChars(title) === 0) return; // reported as missing
    const citation = this.cite(rule.source);
    const why = '名称中不应包含企业、品牌、产品等名称信息。';
    for (const hit of this.nameHits(title, draft.applicant)) {
      out.push({ kind: 'forbidden_name', field: rule.field, message: `${rule.field}含${hit}；${why}`, citation });
    }
    if (!draft.applicant?.name?.trim()) {
      out.push({
        kind: 'unknown',
        field: '申报单位名称',
        message: `请提供申报单位名称，以核对${rule.field}中不含企业名称。`,
        citation,
      });
    }
  }

  /** Descriptions of the names the title contains, e.g. 申报单位名称“数金科技”, in the order given below. */
  private nameHits(title: string, applicant: ApplicantFacts | undefined): string[] {
    const text = norm(title);
    const taken: Array<[number, number]> = [];
    const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && a < e);
    const hits: string[] = [];
    const findName = (label: string, variants: string[]) => {
      for (const v of variants) {
        const at = text.indexOf(v);
        if (at < 0 || overlaps(at, at + v.length)) continue;
        taken.push([at, at + v.length]);
        hits.push(`${label}“${v}”`);
        return;
      }
    };
    if (applicant?.name) findName('申报单位名称', this.organisationVariants(applicant.name));
    for (const joint of applicant?.jointApplicants ?? []) findName('联合申报单位名称', this.organisationVariants(joint));
    for (const brand of applicant?.brands ?? []) findName('品牌名称', plainVariant(brand));
    for (const product of applicant?.products ?? []) findName('产品名称', plainVariant(product));

    const n = this.names;
    const markerHits = (markers: string[], strong: boolean) => {
      for (const marker of markers) {
        for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
          const end = at + marker.length;
          if (overlaps(at, end)) continue;
          if (!strong) {
            if (n.genericTerms.some((g) => covers(text, g, at, end))) continue;
            const before = text[at - 1];
            if (before === undefined || n.functionChars.has(before) || !/[\p{L}\p{N}]/u.test(before)) continue;
          }
          const from = this.nameStart(text, at);
          taken.push([from, end]);
          hits.push(strong ? `“${text.slice(from, end)}”，属于企业名称` : `“${text.slice(from, end)}”，疑似机构名称`);
        }
      }
    };
    markerHits(n.legalForms, true);
    markerHits(n.weakMarkers, false);
    return hits;
  }

  /** Where the name ending at a marker starts: up to 6 letters back, stopping at a function word or punctuation. */
  private nameStart(text: string, at: number): number {
    let from = at;
    while (from > 0 && at - from < 6) {
      const ch = text[from - 1];
      if (this.names.functionChars.has(ch) || !/[\p{L}\p{N}]/u.test(ch)) break;
      from--;
    }
    return from;
  }

  /**
   * The forms of an organisation's name a title might use, longest first: the
   * full name; without its legal form (股份有限公司 …); without a leading
   * region (广州市 …). A short form that is only generic words (金融科技) is not
   * used, nor a bare core under 3 characters (数金 from 数金科技), to keep
   * false positives down; brands and products are matched as given.
   */
  private organisationVariants(name: string): string[] {
    const n = this.names;
    const full = norm(name);
    if (codePointLength(full) < 2) return [];
    const noParens = full.replace(/\([^)]*\)/g, '');
    const withoutLegalForm = stripRepeatedly(noParens, (v) => {
      const suffix = n.stripSuffixes.find((s) => v.endsWith(s) && v.length > s.length);
      return suffix ? v.slice(0, -suffix.length) : v;
    });
    const withoutRegion = stripRepeatedly(withoutLegalForm, (v) => {
      const region = n.regions.find((r) => v.startsWith(r) && v.length > r.length);
      if (region) return v.slice(region.length);
      return /^[省市区县]/u.test(v) && v.length > 1 ? v.slice(1) : v;
    });
    const core = stripRepeatedly(withoutRegion, (v) => {
      const word = n.industryWords.find((w) => v.endsWith(w));
      return word ? v.slice(0, -word.length) : v;
    });
    const variants = [full, noParens, withoutLegalForm];
    if (codePointLength(core) >= 2) variants.push(withoutRegion);
    if (codePointLength(core) >= 3) variants.push(core);
    return [...new Set(variants)].filter((v) => codePointLength(v) >= 2).sort((a, b) => b.length - a.length);
  }

  private checkChoices(draft: ApplicationDraft, out: ApplicationFinding[]): void {
    for (const choice of this.rules.choices) {
      const citation = this.cite(choice.source);
      const listed = choice.options.join('、');
      const raw = draft[choice.draftKey];
      const given = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => v.trim()).filter(Boolean);
      if (given.length === 0) {
        if (choice.required) {
          out.push({
            kind: 'missing_field',
            field: choice.name,
            message: `未选择“${choice.name}”，请从以下选项中${choice.single ? '选择一项' : '选择'}：${listed}。`,
            citation,
          });
        }
        continue;
      }
      if (choice.single) {
        const value = given[0];
        if (matchOption(choice, value)) continue;
        const parts = splitList(value);
        const message =
          parts.length > 1 && parts.every((p) => matchOption(choice, p))
            ? `${choice.name}为单选，只能选择一项，现填写了${parts.length}项。`
            : `${choice.name}“${value}”不在可选项中，请从以下选项中选择一项：${listed}。`;
        out.push({ kind: 'invalid_option', field: choice.name, message, citation });
        continue;
      }
      for (const value of given.flatMap(splitList)) {
        if (matchOption(choice, value)) continue;
        out.push({
          kind: 'invalid_option',
          field: choice.name,
          message: `${choice.name}“${value}”不在可选项中，可选：${listed}。`,
          citation,
        });
      }
    }
  }

  private checkSections(draft: ApplicationDraft, out: ApplicationFinding[]): void {
    for (const rule of this.rules.sections) {
      const count = countChars(draft.sections[rule.name] ?? '');
      const citation = this.cite(rule.source);
      if (count === 0) {
        out.push({
          kind: 'missing_section',
          field: rule.name,
          message: `案例说明缺少“${rule.name}”部分（不少于${rule.minChars}字）。`,
          limit: rule.minChars,
          count,
          citation,
        });
      } else if (count < rule.minChars) {
        out.push({
          kind: 'too_short',
          field: rule.name,
          message: `案例说明“${rule.name}”部分共${count}字，少于${rule.minChars}字的下限。`,
          limit: rule.minChars,
          count,
          citation,
        });
      }
    }
  }

  private checkAttachments(draft: ApplicationDraft, out: ApplicationFinding[]): void {
    const given = (draft.attachments ?? []).map(norm).filter(Boolean);
    for (const rule of this.rules.attachments) {
      const present = given.some((g) => rule.matches.some((m) => g.includes(norm(m))));
      if (present) continue;
      out.push({
        kind: 'missing_attachment',
        field: rule.name,
        message: `缺少必要附件“${rule.name}”。`,
        citation: this.cite(rule.source),
      });
    }
  }

  /** Who may apply, by the campaign's rules on the facts the draft declares; an undeclared fact is asked for, never assumed. */
  private checkEligibility(draft: ApplicationDraft, out: ApplicationFinding[]): void {
    const { facts, notes } = this.draftFacts(draft.applicant ?? {});
    for (const e of this.rules.eligibility.rules) {
      const rule = this.campaign.rules.find((r) => r.id === e.rule)!;
      const fact = ruleFacts(rule).find((f) => !(f in this.campaign.values)) as DraftFact;
      const citation = { n: 1, ...this.campaign.quote(rule.quote) };
      const verdict = checkRule(this.campaign, rule, facts, true);
      if (verdict === 'unknown') out.push({ kind: 'unknown', field: e.field, message: notes[fact] ?? e.ask, citation });
      if (verdict !== 'fail') continue;
      const bound = boundOf(rule.when);
      const count = typeof facts[fact] === 'number' ? (facts[fact] as number) : undefined;
      out.push({
        kind: 'ineligible',
        field: e.field,
        message: this.render(e.fail, rule, facts, bound),
        ...(typeof bound === 'number' && count !== undefined ? { limit: bound, count } : {}),
        citation,
      });
    }
  }

  /** The applicant's facts as the campaign's rules read them; `notes` says why a fact the draft names stays undecided. */
  private draftFacts(a: ApplicantFacts): { facts: Partial<Record<DraftFact, unknown>>; notes: Partial<Record<DraftFact, string>> } {
    const notes: Partial<Record<DraftFact, string>> = {};
    const place = this.rules.eligibility.landedIn;
    const regions = (a.landedIn ?? []).map((r) => r.trim()).filter(Boolean);
    const isIn = (r: string) => place.inRegion.some((x) => norm(r).includes(norm(x)));
    const isOut = (r: string) => place.elsewhere.some((x) => norm(r).includes(norm(x)));
    const unclear = regions.filter((r) => !isIn(r) && !isOut(r));
    // Any place in the region passes; only places known to be elsewhere fail; a place it cannot place is asked about.
    const caseRegions = regions.some(isIn) ? [place.region] : unclear.length ? [] : regions;
    if (!regions.some(isIn) && unclear.length) notes.caseRegions = `无法判断“${unclear.join('、')}”是否属于${place.region}，请说明案例是否落地应用于${place.region}。`;
    return {
      facts: {
        foundedOn: a.foundedOn,
        // Joint applicants only (not the lead applicant); none given means none.
        jointApplicants: new Set((a.jointApplicants ?? []).map(norm).filter(Boolean)).size,
        caseRegions,
        implementedOn: a.implementedOn,
        integrityIssue: a.seriousIntegrityRecord,
        seriousViolation: a.seriousViolation,
      },
      notes,
    };
  }

  /** The form's wording of a failed rule: {quote}, {limit} (a date as 「2025年底」), the draft's facts, then the campaign's values as every rule message has them. */
  private render(template: string, rule: CampaignRule, facts: Partial<Record<DraftFact, unknown>>, bound: unknown): string {
    const own = (name: string): string | undefined => {
      if (name === 'quote') return rule.quote;
      if (name === 'limit') return typeof bound === 'string' ? describeDeadline(bound) : bound === undefined ? undefined : String(bound);
      const v = facts[name as DraftFact];
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return formatChineseDate(v);
      if (Array.isArray(v)) return v.join('、');
      return v === undefined ? undefined : String(v);
    };
    return ruleText(this.campaign, rule, template.replace(/\{(\w+)\}/g, (whole, name: string) => own(name) ?? whole));
  }

}

/** The facts of a draft's applicant the campaign's rules may read. */
const DRAFT_FACTS = { foundedOn: true, jointApplicants: true, caseRegions: true, implementedOn: true, integrityIssue: true, seriousViolation: true } as const;
type DraftFact = keyof typeof DRAFT_FACTS;


const checkers = new WeakMap<Corpus, WeakMap<ApplicationRules, ApplicationChecker>>();

/**
 * Checks a draft against the rules. The checker for a (corpus, rules) pair is
 * built once (resolving every quote; throws if one is not verbatim) and reused.
 */
export function checkApplication(corpus: Corpus, rules: ApplicationRules, campaign: Campaign, draft: ApplicationDraft): ApplicationCheckResult {
  let byRules = checkers.get(corpus);
  if (!byRules) checkers.set(corpus, (byRules = new WeakMap()));
  let checker = byRules.get(rules);
  if (!checker) byRules.set(rules, (checker = new ApplicationChecker(corpus, rules, campaign)));
  return checker.check(draft);
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function allSources(rules: ApplicationRules): ApplicationRuleSource[] {
  return [
    ...rules.fields.flatMap((f) => (f.requiredSource ? [f.source, f.requiredSource] : [f.source])),
    rules.caseName.source,
    ...rules.choices.map((c) => c.source),
    ...rules.sections.map((s) => s.source),
    ...rules.attachments.map((a) => a.source),
  ];
}

function plainVariant(name: string): string[] {
  const v = norm(name);
  return codePointLength(v) >= 2 ? [v] : [];
}

function stripRepeatedly(value: string, step: (v: string) => string): string {
  for (let v = value; ; ) {
    const next = step(v);
    if (next === v) return v;
    v = next;
  }
}

/** True when an occurrence of `term` in `text` covers [start, end). */
function covers(text: string, term: string, start: number, end: number): boolean {
  for (let at = text.indexOf(term, Math.max(0, end - term.length)); at >= 0 && at <= start; at = text.indexOf(term, at + 1)) {
    if (at + term.length >= end) return true;
  }
  return false;
}

const QUOTE_MARKS = /[□☐☑✓✔“”"'‘’「」『』]/gu;

function optionKey(value: string): string {
  return norm(value).replace(QUOTE_MARKS, '').replace(/x/g, '×').replace(/[:：(（].*$/u, '');
}

/** An option as listed, an alias of one, or 其他 with a description (其他：……). */
function matchOption(choice: ApplicationRules['choices'][number], value: string): boolean {
  const key = optionKey(value);
  if (!key) return false;
  const keys = [...choice.options, ...Object.keys(choice.aliases)].map(optionKey);
  return keys.includes(key);
}

function splitList(value: string): string[] {
  return value
    .split(/[、,，;；/|\n]+/u)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** 2025-12-31 → 2025年底; any other date → 2025年6月30日. */
function describeDeadline(date: string): string {
  return date.endsWith('-12-31') ? `${date.slice(0, 4)}年底` : formatChineseDate(date);
}
