import { z } from 'zod';
import type { AskClient } from './client.ts';

const expectSchema = z
  .object({
    outcome: z.enum(['eligible', 'not_eligible', 'need_info', 'steps', 'measures']),
    asks: z.enum(['size', 'loan_kind', 'due_date', 'amount', 'rate']).optional(),
    applyBy: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    subsidyYuan: z.number().optional(),
    contains: z.array(z.string()).optional(),
    measures: z.array(z.number().int()).optional(),
  })
  .strict();

export const situationSetSchema = z.object({
  note: z.string().optional(),
  today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  cases: z.array(
    z
      .object({
        id: z.string(),
        topic: z.enum(['renewal', 'guarantee_subsidy', 'credit_repair', 'checkup']),
        turns: z.array(z.string().min(1)).min(1),
        expect: z.array(expectSchema).min(1),
      })
      .strict()
      .refine((c) => c.turns.length === c.expect.length, { message: 'one expectation per turn' }),
  ),
});

export type SituationSet = z.infer<typeof situationSetSchema>;
export type SituationCase = SituationSet['cases'][number];
type Expectation = z.infer<typeof expectSchema>;

export interface TurnResult {
  question: string;
  answer: string;
  pass: boolean;
  problems: string[];
}

export interface CaseResult {
  id: string;
  topic: string;
  pass: boolean;
  turns: TurnResult[];
}

const ASKS: Record<string, Expectation['asks']> = {
  size: 'size',
  loanKind: 'loan_kind',
  dueDate: 'due_date',
  guaranteeAmountYuan: 'amount',
  guaranteeRatePercent: 'rate',
};

/** Checks one answer against one expectation; every problem is named. */
export function checkTurn(body: any, expected: Expectation): string[] {
  const problems: string[] = [];
  const situation = body?.situation ?? {};
  const answer: string = body?.answer ?? '';
  const outcome = expected.outcome === 'measures' ? 'checkup' : expected.outcome;
  if (situation.outcome !== outcome) problems.push(`outcome ${situation.outcome ?? '(none)'} ≠ ${outcome}`);
  if (expected.asks && ASKS[situation.missing?.[0]] !== expected.asks) problems.push(`asks ${situation.missing?.[0] ?? '(nothing)'} ≠ ${expected.asks}`);
  if (expected.applyBy && situation.computed?.applyBy !== expected.applyBy) problems.push(`applyBy ${situation.computed?.applyBy ?? '(none)'} ≠ ${expected.applyBy}`);
  if (expected.subsidyYuan !== undefined && situation.computed?.subsidyYuan !== expected.subsidyYuan) {
    problems.push(`subsidyYuan ${situation.computed?.subsidyYuan ?? '(none)'} ≠ ${expected.subsidyYuan}`);
  }
  for (const text of expected.contains ?? []) if (!answer.includes(text)) problems.push(`answer lacks 「${text}」`);
  for (const n of expected.measures ?? []) if (!(situation.measures ?? []).includes(n)) problems.push(`measure ${n} not listed`);
  if (body?.answerable !== true) problems.push('not answerable');
  if (!Array.isArray(body?.citations) || body.citations.length === 0) problems.push('no citations');
  return problems;
}

/** Runs every case as a conversation (one conversationId per case) and checks each turn. */
export async function runSituationSet(set: SituationSet, client: AskClient, onCase?: (result: CaseResult) => void): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of set.cases) {
    let conversationId: string | undefined;
    const turns: TurnResult[] = [];
    for (let i = 0; i < c.turns.length; i++) {
      const res = await client.post('/api/ask', { question: c.turns[i], ...(conversationId ? { conversationId } : {}) });
      conversationId = res.body?.conversationId ?? conversationId;
      const problems = res.status === 200 ? checkTurn(res.body, c.expect[i]) : [`HTTP ${res.status}`];
      turns.push({ question: c.turns[i], answer: res.body?.answer ?? '', pass: problems.length === 0, problems });
    }
    const result = { id: c.id, topic: c.topic, pass: turns.every((t) => t.pass), turns };
    results.push(result);
    onCase?.(result);
  }
  return results;
}
