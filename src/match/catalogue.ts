import { z } from 'zod';
import type { Corpus } from '../corpus/corpus.ts';
import { locateQuote, type Quote } from '../corpus/quotes.ts';

const ruleSchema = z
  .object({
    id: z.string(),
    /** Limits the rule to some tracks of the campaign (上海示范案例's location rule ...). */
    tracks: z.array(z.string()).optional(),
    fact: z.enum([
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
      'shanghaiLeadOrPartner',
      'quantifiedEvidence',
    ]),
    test: z.union([
      z.object({ in: z.array(z.string()) }).strict(),
      z.object({ includes: z.union([z.string(), z.number()]) }).strict(),
      z.object({ onOrAfter: z.string() }).strict(),
      z.object({ onOrBefore: z.string() }).strict(),
      z.object({ is: z.boolean() }).strict(),
      z.object({ max: z.number() }).strict(),
    ]),
    quote: z.string(),
    fail: z.string(),
    pass: z.string(),
    ask: z.string().nullable(),
    /** The value taken when the case does not say (a declaration the application form requires anyway). */
    whenUnstated: z.union([z.boolean(), z.number()]).optional(),
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
    scoring: quoted.nullable(),
    results: quoted.nullable(),
    /** Material rules (report length, logo format, required attachments ...). */
    materials: z.array(quoted).default([]),
    /** Review criteria as the document states them. */
    criteria: z.array(quoted).default([]),
    tracks: z.array(trackSchema).min(1),
    rules: z.array(ruleSchema),
  })
  .strict();

export type CampaignFile = z.infer<typeof campaignFileSchema>;
export type CampaignRule = CampaignFile['rules'][number];
export type Track = CampaignFile['tracks'][number];

/** The names a track goes by: its title and the names applicants use for it. */
export function trackNames(track: Track): string[] {
  return [track.title, ...(track.aliases ?? [])];
}

export type { Quote } from '../corpus/quotes.ts';

export interface Campaign extends CampaignFile {
  quote(text: string): Quote;
}

/**
 * Parses the campaign catalogue (corpus/campaigns/*.json except the
 * application-form files) and locates every quote it names in its document;
 * a quote that is not verbatim there is refused with its file and text.
 */
export function loadCatalogue(corpus: Corpus, files: Record<string, string>): Campaign[] {
  const campaigns: Campaign[] = [];
  for (const [name, text] of Object.entries(files)) {
    const parsed = campaignFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`corpus/campaigns/${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const file = parsed.data;
    const doc = corpus.document(file.docId);
    if (!doc) throw new Error(`corpus/campaigns/${name}: unknown document ${file.docId}`);
    const located = new Map<string, Quote>();
    const locate = (quote: string): Quote => {
      try {
        return locateQuote(corpus, doc.id, quote);
      } catch (error) {
        throw new Error(`corpus/campaigns/${name}: ${(error as Error).message}`);
      }
    };
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
    for (const q of all) located.set(q, locate(q));
    campaigns.push({ ...file, quote: (q) => located.get(q) ?? locate(q) });
  }
  return campaigns;
}
