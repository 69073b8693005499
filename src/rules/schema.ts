import { z } from 'zod';
import { computationSchema, conditionSchema, type Computation, type Condition } from './language.ts';

/** The facts the situation reader fills in (src/rules/facts.ts): what a topic's or a measure's conditions may test. */
export const TOPIC_FACTS = [
  'size',
  'loanKind',
  'dueDate',
  'hasLoan',
  'guaranteeAmountYuan',
  'guaranteeRatePercent',
  'hasGuarantee',
  'inReguaranteeScope',
  'reguaranteeInDoubt',
  'lacksCollateral',
  'creditIssue',
  'everBorrowed',
  'stateGridSupplier',
  'techEnterprise',
  'listingPlan',
  'equityFinancing',
  'covidAffected',
  'region',
  'allLoansNplPercent',
  'privateNplPercent',
  'stateOwned',
  'repaymentRearranged',
  'askerIsBank',
] as const;

const factName = z.enum(TOPIC_FACTS);

const quoteSchema = z.object({ docId: z.string(), text: z.string().min(4) }).strict();

const computeSchema = z.record(z.string(), computationSchema);

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
          /** When the measure applies to an enterprise (`{ "all": [] }`: to every one). */
          appliesWhen: conditionSchema,
          why: statementSchema.optional(),
          /**
           * The measure's text names whom it is for (「把信贷资金引向未获得过银行贷款的民营企业」): a question whether the asker
           * may use it, stating facts that meet `appliesWhen`, is a yes with `why`. (Left off where meeting `appliesWhen`
           * is not enough — 小微企业 still need the 5项标准 for the 推荐清单.)
           */
          answersWhoMay: z.boolean().optional(),
          /** What to ask for a fact of `appliesWhen` a question leaves unsaid while the others it says are met (a conditional yes). */
          asks: z.partialRecord(factName, z.string()).optional(),
          quotes: z.record(z.string(), quoteSchema).default({}),
          steps: z.array(statementSchema).default([]),
          targets: z.array(statementSchema).default([]),
        })
        .strict(),
    ),
  })
  .strict();

export type { Condition };
export type TopicFile = z.infer<typeof topicFileSchema>;
export type MeasuresFile = z.infer<typeof measuresFileSchema>;
export type Statement = z.infer<typeof statementSchema>;
export type Compute = Record<string, Computation>;
