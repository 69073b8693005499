import { z } from 'zod';

const factName = z.enum([
  'size',
  'loanKind',
  'dueDate',
  'hasLoan',
  'guaranteeAmountYuan',
  'guaranteeRatePercent',
  'hasGuarantee',
  'lacksCollateral',
  'creditIssue',
  'everBorrowed',
  'stateGridSupplier',
  'techEnterprise',
  'listingPlan',
  'equityFinancing',
  'covidAffected',
  'region',
  'never',
]);

/** One test on one fact. A test on a fact not yet known is undecided, never false. */
export const conditionSchema = z
  .object({
    fact: factName,
    is: z.union([z.string(), z.boolean(), z.number()]).optional(),
    isNot: z.union([z.string(), z.boolean(), z.number()]).optional(),
    known: z.boolean().optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    /** ISO dates, compared with a date fact. */
    after: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    onOrBefore: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  })
  .strict();

const quoteSchema = z.object({ docId: z.string(), text: z.string().min(4) }).strict();

const computeSchema = z.record(
  z.string(),
  z.union([
    z.object({ monthsBefore: z.object({ fact: factName, months: z.number().int().positive() }) }).strict(),
    z.object({ multiply: z.object({ fact: factName, by: z.number() }) }).strict(),
  ]),
);

const statementSchema = z
  .object({
    say: z.string().min(1),
    cite: z.array(z.string()).min(1),
  })
  .strict();

export const topicFileSchema = z
  .object({
    topic: z.string(),
    title: z.string(),
    measure: z.number().int(),
    note: z.string().optional(),
    /** Words that name the topic in a question (any one suffices). */
    triggers: z.array(z.string()).min(1),
    /** When given, a question without the topic's facts must also contain one of these to be taken as a situation. */
    requires: z.array(z.string()).optional(),
    quotes: z.record(z.string(), quoteSchema),
    /** The facts the rules turn on, in the order they are asked for. */
    facts: z.array(z.object({ name: factName, ask: z.string() }).strict()),
    summary: statementSchema.optional(),
    rules: z.array(
      statementSchema.extend({
        id: z.string(),
        when: z.array(conditionSchema),
        outcome: z.enum(['eligible', 'not_eligible', 'steps']),
        compute: computeSchema.optional(),
      }),
    ),
    /** Statements added after an eligible (or steps) outcome, each under its own conditions. */
    then: z.array(statementSchema.extend({ when: z.array(conditionSchema), compute: computeSchema.optional() })).default([]),
    steps: z.array(statementSchema).default([]),
  })
  .strict();

export const measuresFileSchema = z
  .object({
    note: z.string().optional(),
    measures: z.array(
      z
        .object({
          number: z.number().int(),
          title: z.string(),
          topic: z.string().optional(),
          forBanks: z.boolean().optional(),
          appliesWhen: z.union([z.object({ all: z.array(conditionSchema) }).strict(), z.object({ any: z.array(conditionSchema) }).strict()]),
          why: statementSchema.optional(),
          quotes: z.record(z.string(), quoteSchema).default({}),
          steps: z.array(statementSchema).default([]),
          targets: z.array(statementSchema).default([]),
        })
        .strict(),
    ),
  })
  .strict();

export type Condition = z.infer<typeof conditionSchema>;
export type TopicFile = z.infer<typeof topicFileSchema>;
export type MeasuresFile = z.infer<typeof measuresFileSchema>;
export type Statement = z.infer<typeof statementSchema>;
export type Compute = z.infer<typeof computeSchema>;
