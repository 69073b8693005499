import { z } from 'zod';
import type { AskClient } from './client.ts';

export const trackSetSchema = z.object({
  note: z.string().optional(),
  today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  cases: z.array(
    z
      .object({
        id: z.string(),
        description: z.string().min(1),
        campaign: z.string().optional(),
        expect: z
          .object({
            tracks: z.array(z.string()).optional(),
            /** A campaign the case may not apply to; with `rule`, the rule it must fail (a blind writer names the reason and its quote instead). */
            ineligible: z
              .array(
                z
                  .object({
                    campaign: z.string(),
                    rule: z.string().optional(),
                    why: z.string().optional(),
                    source: z.object({ file: z.string(), quote: z.string() }).strict().optional(),
                  })
                  .strict()
                  .refine((x) => x.rule !== undefined || x.why !== undefined, { message: 'an ineligible campaign names its rule or why' }),
              )
              .optional(),
            noFit: z.boolean().optional(),
          })
          .strict(),
        /** The expected tracks' names as the documents write them: the chat's answer to the description must name one of them among its first three. */
        trackNames: z.array(z.string()).optional(),
        note: z.string().optional(),
      })
      .strict(),
  ),
});

export type TrackSet = z.infer<typeof trackSetSchema>;

export interface TrackCaseResult {
  id: string;
  description: string;
  top: string[];
  expected: string[];
  top1: boolean | null;
  top3: boolean | null;
  /** Expected ineligibility found (campaign listed with eligible false and the rule failed). */
  eligibility: boolean | null;
  noFit: boolean | null;
  /** The description typed into the chat: the answer names an expected track among the first three it names (null when the case gives no names). */
  chatTop3: boolean | null;
  pass: boolean;
  problems: string[];
  /** Track id → 「活动·赛道」, for the tracks the service returned (the console names tracks by them). */
  names: Record<string, string>;
}

/**
 * Posts every case to /api/recommend and scores top-1/top-3, the expected ineligibility and nothing-fits; a case that
 * names its expected tracks is also typed into the chat (/api/ask), which must name one of them among its first three.
 */
export async function runTrackSet(set: TrackSet, client: AskClient, onCase?: (r: TrackCaseResult) => void): Promise<TrackCaseResult[]> {
  const results: TrackCaseResult[] = [];
  // Every track name a case of the set expects: what the chat's answer is scanned for.
  const allNames = [...new Set(set.cases.flatMap((c) => c.trackNames ?? []))];
  for (const c of set.cases) {
    const res = await client.post('/api/recommend', { case: { description: c.description, ...(c.campaign ? { campaign: c.campaign } : {}) } });
    const recs: Array<{ trackId: string; campaignId: string; campaign?: string; track?: string; eligible: boolean | null; failedRules: Array<{ id: string }>; fits: boolean }> = res.body?.recommendations ?? [];
    const names = Object.fromEntries(recs.filter((r) => r.campaign && r.track).map((r) => [r.trackId, `${r.campaign}·${r.track}`]));
    // What the service offers: recommendations that fit and that the case may apply to.
    const fitting = recs.filter((r) => r.fits && r.eligible !== false);
    const top = fitting.map((r) => r.trackId);
    const expected = c.expect.tracks ?? [];
    const problems: string[] = [];
    if (res.status !== 200) problems.push(`HTTP ${res.status}`);
    const top1 = expected.length ? expected.includes(top[0]) : null;
    const top3 = expected.length ? top.slice(0, 3).some((t) => expected.includes(t)) : null;
    if (top1 === false) problems.push(`top-1 ${top[0] ?? '(none)'} ∉ ${expected.join('|')}`);
    let eligibility: boolean | null = null;
    if (c.expect.ineligible?.length) {
      eligibility = c.expect.ineligible.every((x) =>
        recs.some((r) => r.campaignId === x.campaign && r.eligible === false && (x.rule === undefined || r.failedRules.some((f) => f.id === x.rule))),
      );
      if (!eligibility) problems.push(`expected ineligible ${c.expect.ineligible.map((x) => `${x.campaign}/${x.rule ?? x.why}`).join(', ')}`);
    }
    let noFit: boolean | null = null;
    if (c.expect.noFit) {
      noFit = typeof res.body?.message === 'string' && fitting.length === 0;
      if (!noFit) problems.push(`expected nothing to fit, got ${top.slice(0, 2).join(', ')}`);
    }
    let chatTop3: boolean | null = null;
    if (c.trackNames?.length && allNames?.length) {
      const chat = await client.post('/api/ask', { question: c.description });
      const named = namedInOrder(chat.body?.answerable === true ? String(chat.body.answer ?? '') : '', allNames);
      chatTop3 = named.slice(0, 3).some((n) => c.trackNames!.includes(n));
      if (!chatTop3) problems.push(`对话回答的前三个赛道（${named.slice(0, 3).join('、') || '无'}）不含${c.trackNames.join('或')}`);
    }
    const result: TrackCaseResult = {
      id: c.id,
      description: c.description,
      top: top.slice(0, 3),
      expected,
      top1,
      top3,
      eligibility,
      noFit,
      chatTop3,
      pass: problems.length === 0,
      problems,
      names,
    };
    results.push(result);
    onCase?.(result);
  }
  return results;
}

export function trackMetrics(results: TrackCaseResult[]) {
  const rate = (xs: Array<boolean | null>) => {
    const known = xs.filter((x): x is boolean => x !== null);
    return known.length ? known.filter(Boolean).length / known.length : null;
  };
  return {
    top1: rate(results.map((r) => r.top1)),
    top3: rate(results.map((r) => r.top3)),
    eligibility: rate(results.map((r) => r.eligibility)),
    noFit: rate(results.map((r) => r.noFit)),
    chatTop3: rate(results.map((r) => r.chatTop3)),
  };
}

/** The names that occur in a text, in the order of their first occurrence (a longer name wins over one inside it). */
export function namedInOrder(text: string, names: string[]): string[] {
  const found: Array<{ at: number; name: string }> = [];
  for (const name of [...names].sort((a, b) => b.length - a.length)) {
    const at = text.indexOf(name);
    if (at >= 0 && !found.some((f) => at >= f.at && at < f.at + f.name.length)) found.push({ at, name });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.name);
}
