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
            ineligible: z.array(z.object({ campaign: z.string(), rule: z.string() }).strict()).optional(),
            noFit: z.boolean().optional(),
          })
          .strict(),
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
  pass: boolean;
  problems: string[];
}

/** Posts every case to /api/recommend and scores top-1/top-3, the expected ineligibility and nothing-fits. */
export async function runTrackSet(set: TrackSet, client: AskClient, onCase?: (r: TrackCaseResult) => void): Promise<TrackCaseResult[]> {
  const results: TrackCaseResult[] = [];
  for (const c of set.cases) {
    const res = await client.post('/api/recommend', { case: { description: c.description, ...(c.campaign ? { campaign: c.campaign } : {}) } });
    const recs: Array<{ trackId: string; campaignId: string; eligible: boolean | null; failedRules: Array<{ id: string }>; fits: boolean }> = res.body?.recommendations ?? [];
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
      eligibility = c.expect.ineligible.every((x) => recs.some((r) => r.campaignId === x.campaign && r.eligible === false && r.failedRules.some((f) => f.id === x.rule)));
      if (!eligibility) problems.push(`expected ineligible ${c.expect.ineligible.map((x) => `${x.campaign}/${x.rule}`).join(', ')}`);
    }
    let noFit: boolean | null = null;
    if (c.expect.noFit) {
      noFit = typeof res.body?.message === 'string' && fitting.length === 0;
      if (!noFit) problems.push(`expected nothing to fit, got ${top.slice(0, 2).join(', ')}`);
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
      pass: problems.length === 0,
      problems,
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
  };
}
