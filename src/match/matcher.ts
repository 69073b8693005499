import type { Citation } from '../corpus/quotes.ts';
import { daysBetween, formatChineseDate } from '../text/dates.ts';
import { HashedNgramEmbedder } from '../search/hashed-embedder.ts';
import { dot } from '../search/embedder.ts';
import { readCase, withoutNames, type CaseFacts, type OrgType } from './case-facts.ts';
import { catalogueNames, checkRule, ruleText, trackNames, type Campaign, type Quote, type Track } from './catalogue.ts';
import { inSimplified } from '../text/script.ts';

export interface Recommendation {
  campaign: string;
  campaignId: string;
  track: string;
  trackId: string;
  direction?: string;
  quota: number | null;
  score: number;
  /** false when a rule fails, true when every rule passes, null while a deciding fact is unknown. */
  eligible: boolean | null;
  eligibility: 'eligible' | 'ineligible' | 'undetermined';
  reasons: string[];
  citations: Citation[];
  failedRules: Array<{ id: string; message: string }>;
  questions: string[];
  window: { opens: string | null; closes: string | null; status: 'open' | 'closed' | 'upcoming' | 'unknown'; note?: string };
  named: boolean;
  /** Whether the case fits the track's focus well enough to recommend it (before eligibility). */
  fits: boolean;
}

export interface MatchResult {
  recommendations: Recommendation[];
  /** Said when nothing fits well, instead of forcing a match. */
  message?: string;
  facts: CaseFacts;
}

export interface MatchOptions {
  /** Recommendations returned at most (named campaigns are always included). */
  limit?: number;
  /** Below this score a track does not fit. */
  minScore?: number;
}

/**
 * Scores every track of every campaign against a case and checks each
 * campaign's eligibility rules. The score mixes how many of the track's focus
 * words the case uses with the n-gram similarity of the case to the track's
 * focus text, and a campaign-level prior: the region the campaign is for, AI
 * for the 新质生产力 call, a campaign the applicant names.
 */
export class TrackMatcher {
  private readonly embedder: HashedNgramEmbedder;
  private readonly trackVectors = new Map<string, Float32Array>();
  /** The campaigns' and tracks' names, which the case reader reads no place from. */
  private readonly names: string[];

  /** How much one focus word says about a track: 1 for a word the source documents rarely use, less for a common one. */
  private readonly specificity = new Map<string, number>();

  /**
   * `sourceTexts` are the documents the campaigns come from: a focus word they use in many sentences (银行, 平台, 系统,
   * 联合 …) says less about which track a case fits than a rare one (研发中断险, 联邦学习), so it counts for less.
   */
  constructor(
    readonly campaigns: Campaign[],
    private readonly today: () => string,
    sourceTexts: string[] = [],
  ) {
    const texts = campaigns.flatMap((c) => c.tracks.map((t) => trackText(c, t)));
    this.embedder = HashedNgramEmbedder.fit(texts, 512);
    this.names = catalogueNames(campaigns);
    for (const c of campaigns) for (const t of c.tracks) this.trackVectors.set(t.id, this.embedder.embed(trackText(c, t)));
    const sentences = sourceTexts.flatMap((text) => text.split(/[。；！？\n]/)).filter((x) => x.trim().length > 0);
    for (const c of campaigns) {
      for (const t of c.tracks) {
        for (const k of t.keywords) {
          const used = sentences.filter((x) => x.includes(k)).length;
          this.specificity.set(k, sentences.length ? Math.log((sentences.length + 1) / (used + 1)) / Math.log(sentences.length + 1) : 1);
        }
      }
    }
  }

  match(typed: string, stated: Partial<CaseFacts> = {}, options: MatchOptions = {}): MatchResult {
    // (A case told in traditional characters is read as the documents write it.)
    const description = inSimplified(typed);
    const limit = options.limit ?? 5;
    const minScore = options.minScore ?? MIN_FIT;
    const aliases = this.campaigns.flatMap((c) => c.aliases);
    const facts = { ...readCase(description, aliases, this.today(), this.names), ...definedOnly(stated) };
    const namedTracks = new Set(
      this.campaigns.flatMap((c) => c.tracks.filter((t) => trackNames(t).some((a) => description.includes(a))).map((t) => t.id)),
    );
    // A campaign is named by a name of its own (「金融兴辽」「十大事件」); a track's name (「技术创新突破」「上海示范案例」) names that
    // track only, so its sibling tracks are not raised above better-fitting tracks of other campaigns.
    // (「十大事件有个上海示范案例」: the campaign's name beside one of its tracks' locates that track.)
    const named = new Set(
      this.campaigns
        .filter((c) => stated.namedCampaigns?.includes(c.id) || (c.aliases.some((a) => facts.namedCampaigns.includes(a)) && !c.tracks.some((t) => namedTracks.has(t.id))))
        .map((c) => c.id),
    );
    facts.namedTracks = [...namedTracks];
    const caseVector = this.embedder.embed(description);
    const technologies = new Set(facts.technologies.flatMap((t) => [t, ...(TECHNOLOGY_FAMILY[t] ?? [])]));
    // Focus words count where the case says them of itself: not inside a campaign's or track's name it quotes
    // (「想报“数据要素×金融服务”上海示范案例」 is no data-element case), nor where it says it does not (「也没涉及数据产品」).
    const ownWords = withoutNames(description.toLowerCase(), this.names.map((n) => n.toLowerCase()));

    // Fit is topical: how well the case matches the track's focus. Eligibility is decided by
    // the rules, and an ineligible track is ranked down (score halved), never hidden when it fits.
    // (Finance said of the case itself: not inside a campaign's name it quotes, nor denied — 「跟银行贷款啥的没关系」「不是金融机构」.)
    const inFinance = saysFinance(ownWords) || (facts.orgType !== undefined && FINANCIAL_KINDS.has(facts.orgType));
    const finance = inFinance ? 1 : 0.35;
    const scored: Array<{ campaign: Campaign; track: Track; fit: number; score: number; hits: string[] }> = [];
    for (const campaign of this.campaigns) {
      for (const track of campaign.tracks) {
        // (A technology the case reader names — 「AI图像定损」 is 人工智能, a 大模型 is 人工智能 too — is a focus word said.)
        const hits = track.keywords.filter((k) => saysOfItself(ownWords, k.toLowerCase()) || technologies.has(k));
        const keywordScore = 1 - Math.exp(-hits.reduce((sum, k) => sum + (this.specificity.get(k) ?? 1), 0) / 2);
        const similarity = Math.max(0, dot(caseVector, this.trackVectors.get(track.id)!));
        const isNamed = named.has(campaign.id) || namedTracks.has(track.id);
        // A case outside finance (a hospital's records system) fits no track, whatever its region.
        // (Naming a campaign raises its tracks for a case in finance; it does not make a case outside finance fit.)
        const raw = (0.5 * keywordScore + 0.8 * similarity + prior(campaign, track, facts)) * finance + (inFinance ? (isNamed ? 0.3 : 0) + (namedTracks.has(track.id) ? 0.15 : 0) : 0);
        const fit = round3(Math.min(1, Math.max(0, raw)));
        scored.push({ campaign, track, fit, score: fit, hits });
      }
    }
    const candidates = scored.sort((a, b) => b.fit - a.fit).filter((s) => s.fit >= minScore);
    // A campaign or track the applicant names is always answered, fit or not, eligible or not.
    for (const id of namedTracks) if (!candidates.some((s) => s.track.id === id)) candidates.push(scored.find((s) => s.track.id === id)!);
    for (const id of named) if (!candidates.some((s) => s.campaign.id === id)) candidates.push(scored.find((s) => s.campaign.id === id)!);
    const all = candidates.map((s) => {
      const r = this.recommend(s.campaign, s.track, s.fit, s.hits, facts, named.has(s.campaign.id) || namedTracks.has(s.track.id));
      r.fits = s.fit >= minScore;
      if (r.eligible === false) r.score = round3(r.score * 0.5);
      return { r, fit: s.fit };
    });
    all.sort((a, b) => b.r.score - a.r.score);
    // Named campaigns and tracks are always answered, and beside them the best `limit` others: a named campaign the case may
    // not apply to never hides the alternatives that fit.
    const others = all.filter((x) => !x.r.named).slice(0, limit);
    const shown = all.filter((x) => x.r.named || others.includes(x));
    const kept = shown.map((x) => x.r);
    const fits = shown.some((x) => x.fit >= minScore && x.r.eligible !== false);
    // A campaign the case may not apply to at all (a rule of the whole campaign fails on a stated fact: registered outside
    // Liaoning for 金融兴辽, no AI for 新质生产力, not in use in 广东 for 点数成金, a restaurant for campaigns of financial
    // institutions) is said, even when no track of it fits: it tells the applicant why.
    for (const campaign of this.campaigns) {
      if (kept.some((r) => r.campaignId === campaign.id)) continue;
      const best = scored.filter((x) => x.campaign.id === campaign.id).sort((a, b) => b.fit - a.fit)[0];
      if (!best) continue;
      const r = this.recommend(campaign, best.track, best.fit, best.hits, facts, false);
      const whole = new Set(campaign.rules.filter((rule) => !rule.tracks).map((rule) => rule.id));
      if (!r.failedRules.some((f) => whole.has(f.id))) continue;
      r.fits = best.fit >= minScore;
      r.score = round3(r.score * 0.5);
      kept.push(r);
    }
    // A track that fits but that a stated fact rules out (a case outside Shanghai for the 上海示范案例) is said too, below
    // the `limit` best, once for each reason a campaign's kept recommendations do not already give.
    for (const x of all) {
      if (x.fit < minScore || x.r.eligible !== false || kept.includes(x.r)) continue;
      const said = new Set(kept.filter((r) => r.campaignId === x.r.campaignId).flatMap((r) => r.failedRules.map((f) => f.id)));
      if (x.r.failedRules.every((f) => said.has(f.id))) continue;
      kept.push(x.r);
    }
    return {
      recommendations: kept,
      facts,
      ...(fits ? {} : { message: '没有找到与这个案例明显相符的赛道：现有四项征集活动的聚焦方向与案例描述差别较大。可补充案例的业务领域、所用技术、申报单位类型和落地地区后再试。' }),
    };
  }

  private recommend(campaign: Campaign, track: Track, score: number, hits: string[], facts: CaseFacts, named: boolean): Recommendation {
    const citations: Citation[] = [];
    const cite = (q: Quote) => {
      let c = citations.find((x) => x.start === q.start && x.docId === q.docId);
      if (!c) citations.push((c = { n: citations.length + 1, ...q }));
      return `[${c.n}]`;
    };
    const reasons: string[] = [];
    const focus = campaign.quote(track.focus);
    reasons.push(
      hits.length
        ? `案例涉及${hits.slice(0, 4).map((h) => `“${h}”`).join('、')}，与该赛道的聚焦方向相符。${cite(focus)}`
        : `该赛道的聚焦方向如下，与案例的相近程度一般，请对照判断。${cite(focus)}`,
    );
    const failedRules: Recommendation['failedRules'] = [];
    const questions: string[] = [];
    let unknown = false;
    for (const rule of campaign.rules.filter((r) => !r.tracks || r.tracks.includes(track.id))) {
      const verdict = checkRule(campaign, rule, facts);
      const quote = campaign.quote(rule.quote);
      if (verdict === 'fail') {
        const fail = ruleText(campaign, rule, rule.fail);
        failedRules.push({ id: rule.id, message: fail });
        reasons.push(`不符合：${fail}${cite(quote)}`);
      } else if (verdict === 'pass') {
        reasons.push(`${ruleText(campaign, rule, rule.pass)}${cite(quote)}`);
      } else if (!rule.grants) {
        unknown = true;
        if (rule.ask) questions.push(ruleText(campaign, rule, rule.ask));
      }
    }
    const window = this.window(campaign);
    if (campaign.window) {
      const q = campaign.quote(campaign.window.quote);
      const state = { closed: `按今天（${formatChineseDate(this.today())}）计，申报已截止。`, open: '目前在申报期内。', upcoming: '申报尚未开始。', unknown: '' }[window.status];
      reasons.push(`申报时间：${q.quote}。${state}${cite(q)}`);
    } else if (campaign.windowNote) {
      reasons.push(campaign.windowNote);
    }
    const eligible = failedRules.length ? false : unknown ? null : true;
    return {
      campaign: campaign.campaign,
      campaignId: campaign.id,
      track: track.title,
      trackId: track.id,
      ...(track.direction ? { direction: track.direction } : {}),
      quota: track.quota,
      score,
      eligible,
      eligibility: eligible === false ? 'ineligible' : eligible === null ? 'undetermined' : 'eligible',
      reasons,
      citations,
      failedRules,
      questions: [...new Set(questions)],
      window,
      named,
      fits: true,
    };
  }

  private window(campaign: Campaign): Recommendation['window'] {
    if (!campaign.window) return { opens: null, closes: null, status: 'unknown', ...(campaign.windowNote ? { note: campaign.windowNote } : {}) };
    const today = this.today();
    const { opens, closes } = campaign.window;
    const status = daysBetween(today, closes) < 0 ? 'closed' : opens && daysBetween(today, opens) > 0 ? 'upcoming' : 'open';
    return { opens, closes, status };
  }
}

/** Below this fit a track is not recommended (tuned on evals/tracks.json; the nothing-fits cases there score under 0.06). */
const MIN_FIT = 0.15;

/** Words that put a case in finance at all; without them a case (a hospital's records system) fits no track well. */
/** Technologies that are kinds of a broader one the focus lists name (a large model is artificial intelligence). */
const TECHNOLOGY_FAMILY: Record<string, string[]> = { 大模型: ['人工智能'] };

/** Applicants whose cases are in finance whatever words they use (「宁波的一家城商行…核心系统迁到分布式数据库」). */
const FINANCIAL_KINDS = new Set<OrgType>(['bank', 'insurance', 'securities', 'fund', 'futures', 'trust', 'guarantee', 'leasing', 'consumer_finance', 'microcredit', 'factoring', 'asset_management', 'investment', 'fintech', 'exchange']);

const FINANCE = /贷|融资|授信|信贷|保险|理赔|承保|证券|券商|基金|银行|金融|支付|债|投资|风控|征信|担保|租赁|理财|资产|资本|交易所|期货|信托|保理|数据要素|上市/;

/** Whether the text says a finance word of the case itself: not denied before it, nor said to have nothing to do with it after. */
function saysFinance(text: string): boolean {
  for (const m of text.matchAll(new RegExp(FINANCE.source, 'g'))) {
    const before = text.slice(Math.max(0, m.index! - 8), m.index!);
    const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 10);
    if (DENIED_BEFORE.test(before) || /(?:不是|并非|没有|没|无|不涉及|没涉及)[^，。；]{0,4}$/.test(before)) continue;
    if (/^[^，。；]{0,8}(?:没关系|无关|不沾边|没参与|不涉及|没沾)/.test(after)) continue;
    // (注册资本、总资产 measure the applicant; they are no financial business.)
    if ((m[0] === '资本' || m[0] === '资产') && /(?:注册|实缴|总|固定|净)$/.test(before)) continue;
    // (「听说在评那个数字金融啥的案例」 names a kind of campaign, not the case's own business.)
    if (m[0] === '金融' && /^[^，。；]{0,6}(?:案例|评选|评比|征集|活动|榜单|奖)/.test(after)) continue;
    return true;
  }
  return false;
}

/** Words just before a focus word that say the case does not have it (「没用到什么外部数据，也没涉及数据产品」). */
const DENIED_BEFORE = /(?:没|没有|未|无|不|并非|不是|不涉及|没涉及|没用到?|未使用|没有用到?)(?:用到?|涉及|使用|采用|做|搞)?(?:什么|啥|任何)?$/;

/** Whether the text uses a word at least once other than to deny it. */
function saysOfItself(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (!DENIED_BEFORE.test(text.slice(Math.max(0, at - 8), at))) return true;
  }
  return false;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function trackText(campaign: Campaign, track: Track): string {
  return [campaign.campaign, track.direction ?? '', track.title, track.focus, track.keywords.join(' ')].join(' ');
}

function prior(campaign: Campaign, track: Track, facts: CaseFacts): number {
  let p = 0;
  // The campaign made for the case's own region is the natural place for it; a case elsewhere is
  // not penalised here, the region rule decides whether it may apply.
  const regions = new Set([facts.applicantRegion, ...facts.caseRegions].filter(Boolean));
  if (campaign.region && regions.has(campaign.region)) p += 0.15;
  if (campaign.id === 'xinzhi-shengchanli-2025' && facts.usesAi) p += 0.1;
  if (track.id === 't10-tech-breakthrough' && facts.frontierTech === false) p -= 0.15;
  return p;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
