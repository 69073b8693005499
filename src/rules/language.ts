import { z } from 'zod';
import { iso, lastDay } from '../text/dates.ts';

/**
 * The rule language: one way to write a condition and a computed value, for
 * every rule file the service reads — the situation topics and the measures
 * (corpus/rules), every campaign's eligibility (corpus/campaigns), and the
 * application form's eligibility (the same campaign rules). Policy staff edit
 * these as JSON; the engine only evaluates them.
 *
 * A condition is a test on one fact, or all / any / not of conditions:
 *
 *   { "fact": "size", "is": "medium" }
 *   { "fact": "dueDate", "onOrBefore": "2027-09-30" }
 *   { "fact": "guaranteeAmountYuan", "lte": 5000000 }
 *   { "fact": "orgType", "in": ["bank", "insurance"] }
 *   { "fact": "caseRegions", "includes": "广东" }
 *   { "fact": "smallLoanNplPercent", "lte": { "fact": "nplCapPercent" } }   (compared with another fact or a computed value)
 *   { "all": [ … ] }  { "any": [ … ] }  { "not": { … } }
 *
 * A test on a fact nobody has stated is undecided, never false: all of
 * conditions fails as soon as one fails and passes only when every one
 * passes; any passes as soon as one passes and fails only when every one
 * fails; otherwise the verdict waits for the facts still missing.
 */

export type Verdict = 'pass' | 'fail' | 'unknown';
export type FactValue = string | number | boolean | ReadonlyArray<string | number> | undefined;
/** Where the evaluator reads a fact (stated, defaulted or computed). */
export type FactReader = (fact: string) => FactValue;

/** A literal, or another fact (or computed value) to compare with. */
export type Operand = string | number | boolean | { fact: string };

export interface Test {
  fact: string;
  is?: string | number | boolean;
  isNot?: string | number | boolean;
  in?: Array<string | number | boolean>;
  includes?: string | number;
  gt?: Operand;
  gte?: Operand;
  lt?: Operand;
  lte?: Operand;
  /** ISO dates (or a date fact), compared with a date fact. */
  after?: Operand;
  onOrAfter?: Operand;
  before?: Operand;
  onOrBefore?: Operand;
  /** Whether the fact is stated at all. */
  known?: boolean;
}

export type Condition = Test | { all: Condition[] } | { any: Condition[] } | { not: Condition };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const factName = z.string().min(1);
const operandSchema = z.union([z.string(), z.number(), z.boolean(), z.object({ fact: factName }).strict()]);
const dateOperandSchema = z.union([z.string().regex(ISO_DATE), z.object({ fact: factName }).strict()]);
const scalarSchema = z.union([z.string(), z.number(), z.boolean()]);
const testSchema = z
  .object({
    fact: factName,
    is: scalarSchema.optional(),
    isNot: scalarSchema.optional(),
    in: z.array(scalarSchema).min(1).optional(),
    includes: z.union([z.string(), z.number()]).optional(),
    gt: operandSchema.optional(),
    gte: operandSchema.optional(),
    lt: operandSchema.optional(),
    lte: operandSchema.optional(),
    after: dateOperandSchema.optional(),
    onOrAfter: dateOperandSchema.optional(),
    before: dateOperandSchema.optional(),
    onOrBefore: dateOperandSchema.optional(),
    known: z.boolean().optional(),
  })
  .strict();

/** A condition as a rule file writes it. Which facts it may name is checked against the file's vocabulary (`unknownFacts`). */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    testSchema,
    // all of none holds: { "all": [] } is a condition that always holds, { "not": { "all": [] } } one that never does.
    z.object({ all: z.array(conditionSchema) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
  ]),
) as z.ZodType<Condition>;

/** The facts a condition names that are not in the vocabulary (the facts the readers fill in, and the file's computed values). */
export function unknownFacts(condition: Condition, vocabulary: ReadonlySet<string>): string[] {
  return factsOf(condition).filter((f) => !vocabulary.has(f));
}

const unstated = (value: FactValue) => value === undefined || (Array.isArray(value) && value.length === 0);

/** The verdict of a condition on the facts `read` gives. */
export function evaluate(condition: Condition, read: FactReader): Verdict {
  if ('all' in condition) {
    const verdicts = condition.all.map((c) => evaluate(c, read));
    return verdicts.includes('fail') ? 'fail' : verdicts.includes('unknown') ? 'unknown' : 'pass';
  }
  if ('any' in condition) {
    const verdicts = condition.any.map((c) => evaluate(c, read));
    return verdicts.includes('pass') ? 'pass' : verdicts.includes('unknown') ? 'unknown' : 'fail';
  }
  if ('not' in condition) {
    const inner = evaluate(condition.not, read);
    return inner === 'unknown' ? 'unknown' : inner === 'pass' ? 'fail' : 'pass';
  }
  return testFact(condition, read);
}

function testFact(t: Test, read: FactReader): Verdict {
  const value = read(t.fact);
  if (t.known !== undefined) return !unstated(value) === t.known ? 'pass' : 'fail';
  if (unstated(value)) return 'unknown';
  const operand = (o: Operand): FactValue => (typeof o === 'object' ? read(o.fact) : o);
  const checks: Array<boolean | 'unknown'> = [];
  if (t.is !== undefined) checks.push(value === t.is);
  if (t.isNot !== undefined) checks.push(value !== t.isNot);
  if (t.in !== undefined) checks.push(t.in.some((x) => String(x) === String(value)));
  if (t.includes !== undefined) checks.push(Array.isArray(value) ? value.includes(t.includes) : value === t.includes);
  const compare = (bound: Operand | undefined, holds: (a: number | string, b: number | string) => boolean) => {
    if (bound === undefined) return;
    const other = operand(bound);
    if (unstated(other)) return void checks.push('unknown');
    const a = typeof value === 'number' ? value : String(value);
    const b = typeof other === 'number' ? other : String(other);
    checks.push(typeof a === typeof b && holds(a, b));
  };
  compare(t.gt, (a, b) => a > b);
  compare(t.gte, (a, b) => a >= b);
  compare(t.lt, (a, b) => a < b);
  compare(t.lte, (a, b) => a <= b);
  compare(t.after, (a, b) => a > b);
  compare(t.onOrAfter, (a, b) => a >= b);
  compare(t.before, (a, b) => a < b);
  compare(t.onOrBefore, (a, b) => a <= b);
  if (checks.includes(false)) return 'fail';
  return checks.includes('unknown') ? 'unknown' : 'pass';
}

/** Every fact a condition reads, in the order it names them (operands included). */
export function factsOf(condition: Condition): string[] {
  const out: string[] = [];
  const walk = (c: Condition) => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
    else {
      out.push(c.fact);
      for (const key of ['gt', 'gte', 'lt', 'lte', 'after', 'onOrAfter', 'before', 'onOrBefore'] as const) {
        const o = c[key];
        if (o !== undefined && typeof o === 'object') out.push(o.fact);
      }
    }
  };
  walk(condition);
  return [...new Set(out)];
}

/** The facts whose absence leaves a condition undecided: those read by its undecided tests. */
export function missingFacts(condition: Condition, read: FactReader): string[] {
  if (evaluate(condition, read) !== 'unknown') return [];
  if ('all' in condition) return [...new Set(condition.all.flatMap((c) => missingFacts(c, read)))];
  if ('any' in condition) return [...new Set(condition.any.flatMap((c) => missingFacts(c, read)))];
  if ('not' in condition) return missingFacts(condition.not, read);
  return factsOf(condition).filter((f) => unstated(read(f)));
}

/** A condition written as a list means all of them. */
export function allOf(conditions: Condition | Condition[]): Condition {
  return Array.isArray(conditions) ? { all: conditions } : conditions;
}

/**
 * A computed value: dates (a number of months or years before a date fact, or a fixed date),
 * amounts (a fact times a rate), percentage points (a fact plus a number) and weighted totals.
 *
 *   { "monthsBefore": { "fact": "dueDate", "months": 1 } }
 *   { "yearsBefore": { "date": "2026-02-10", "years": 2 } }
 *   { "daysAfter": { "fact": "submittedOn", "days": 3 } }
 *   { "multiply": { "fact": "guaranteeAmountYuan", "by": 0.005 } }
 *   { "percentOf": { "fact": "guaranteeAmountYuan", "percent": "guaranteeRatePercent" } }
 *   { "plus": { "fact": "allLoansNplPercent", "add": 3 } }
 *   { "difference": { "fact": "privateNplPercent", "minus": "nplCapPercent" } }
 *   { "weighted": [ { "fact": "voteScore", "weight": 0.4 }, { "fact": "expertScore", "weight": 0.6 } ] }
 */
export type Computation =
  | { monthsBefore: { fact: string; months: number } }
  | { daysAfter: { fact: string; days: number } }
  | { yearsBefore: { fact?: string; date?: string; years: number } }
  | { multiply: { fact: string; by: number } }
  | { percentOf: { fact: string; percent: string } }
  | { plus: { fact: string; add: number } }
  | { difference: { fact: string; minus: string } }
  | { weighted: Array<{ fact: string; weight: number }> };

/** A computation as a rule file writes it. */
export const computationSchema: z.ZodType<Computation> = z.union([
  z.object({ monthsBefore: z.object({ fact: factName, months: z.number().int().positive() }).strict() }).strict(),
  z.object({ daysAfter: z.object({ fact: factName, days: z.number().int().nonnegative() }).strict() }).strict(),
  z
    .object({
      yearsBefore: z
        .object({ fact: factName.optional(), date: z.string().regex(ISO_DATE).optional(), years: z.number().int().positive() })
        .strict()
        .refine((y) => (y.fact === undefined) !== (y.date === undefined), { message: 'yearsBefore names a fact or a date' }),
    })
    .strict(),
  z.object({ multiply: z.object({ fact: factName, by: z.number() }).strict() }).strict(),
  z.object({ percentOf: z.object({ fact: factName, percent: factName }).strict() }).strict(),
  z.object({ plus: z.object({ fact: factName, add: z.number() }).strict() }).strict(),
  z.object({ difference: z.object({ fact: factName, minus: factName }).strict() }).strict(),
  z.object({ weighted: z.array(z.object({ fact: factName, weight: z.number() }).strict()).min(1) }).strict(),
]) as z.ZodType<Computation>;

/** The facts a computation reads. */
export function computationFacts(spec: Computation): string[] {
  if ('monthsBefore' in spec) return [spec.monthsBefore.fact];
  if ('daysAfter' in spec) return [spec.daysAfter.fact];
  if ('yearsBefore' in spec) return spec.yearsBefore.fact ? [spec.yearsBefore.fact] : [];
  if ('multiply' in spec) return [spec.multiply.fact];
  if ('percentOf' in spec) return [spec.percentOf.fact, spec.percentOf.percent];
  if ('plus' in spec) return [spec.plus.fact];
  if ('difference' in spec) return [spec.difference.fact, spec.difference.minus];
  return spec.weighted.map((w) => w.fact);
}

/** The value of one computation, or undefined while a fact it needs is unstated. */
export function compute(spec: Computation, read: FactReader): string | number | undefined {
  const num = (fact: string) => {
    const v = read(fact);
    return typeof v === 'number' ? v : undefined;
  };
  if ('monthsBefore' in spec) {
    const v = read(spec.monthsBefore.fact);
    return typeof v === 'string' && ISO_DATE.test(v) ? monthsBefore(v, spec.monthsBefore.months) : undefined;
  }
  if ('daysAfter' in spec) {
    const v = read(spec.daysAfter.fact);
    return typeof v === 'string' && ISO_DATE.test(v) ? daysAfter(v, spec.daysAfter.days) : undefined;
  }
  if ('yearsBefore' in spec) {
    const v = spec.yearsBefore.date ?? read(spec.yearsBefore.fact!);
    return typeof v === 'string' && ISO_DATE.test(v) ? monthsBefore(v, spec.yearsBefore.years * 12) : undefined;
  }
  if ('multiply' in spec) {
    const v = num(spec.multiply.fact);
    return v === undefined ? undefined : round2(v * spec.multiply.by);
  }
  if ('percentOf' in spec) {
    const v = num(spec.percentOf.fact);
    const p = num(spec.percentOf.percent);
    return v === undefined || p === undefined ? undefined : round2((v * p) / 100);
  }
  if ('plus' in spec) {
    const v = num(spec.plus.fact);
    return v === undefined ? undefined : round2(v + spec.plus.add);
  }
  if ('difference' in spec) {
    const a = num(spec.difference.fact);
    const b = num(spec.difference.minus);
    return a === undefined || b === undefined ? undefined : round2(a - b);
  }
  const parts = spec.weighted.map((w) => ({ v: num(w.fact), w: w.weight }));
  return parts.some((p) => p.v === undefined) ? undefined : round2(parts.reduce((sum, p) => sum + p.v! * p.w, 0));
}

/**
 * Computes every named value, in the order written; a later computation may use an earlier one's name as a fact.
 * Values that cannot be computed yet are left out.
 */
export function computeAll(specs: Record<string, Computation> | undefined, read: FactReader): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  const withComputed: FactReader = (fact) => (fact in out ? out[fact] : read(fact));
  for (const [name, spec] of Object.entries(specs ?? {})) {
    const value = compute(spec, withComputed);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The same day `months` calendar months earlier, clamped to the month's end (3月31日 → 2月28日). */
export function monthsBefore(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return iso(year, month, Math.min(d, lastDay(year, month)));
}

/** The calendar day `days` days after a day (「12月7日提交，最快3天」 → 12月10日). */
export function daysAfter(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
