import { z } from 'zod';
import { foldText } from './fold.ts';

/** What a question asks for; the same vocabulary as the eval sets' askedType. */
export const ASKED = ['email', 'phone', 'url', 'website', 'address', 'place', 'hours', 'date', 'period', 'organiser', 'target', 'materials', 'format', 'button', 'amount', 'list', 'steps', 'yesno', 'purpose', 'reason', 'overview', 'next'] as const;
export type Asked = (typeof ASKED)[number];

const askedTypesSchema = z.object({
  note: z.string().optional(),
  types: z.array(
    z
      .object({
        type: z.enum(ASKED),
        specific: z.boolean().optional(),
        cues: z.array(z.string().min(1)).min(1),
        values: z.array(z.string().min(1)).nullable(),
        yieldsTo: z.array(z.enum(ASKED)).optional(),
        alternatives: z.array(z.enum(ASKED)).optional(),
        fields: z.array(z.string().min(1)).optional(),
        valueUnderLabel: z.boolean().optional(),
      })
      .strict(),
  ),
  notCues: z.array(z.string().min(1)).default([]),
  polarity: z
    .object({
      permit: z.array(z.string().min(1)),
      require: z.array(z.string().min(1)),
      no: z.array(z.string().min(1)),
      turn: z.array(z.string().min(1)),
      optional: z.array(z.string().min(1)).default([]),
      ignore: z.array(z.string().min(1)).default([]),
      opposites: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
    })
    .strict(),
});

const markersSchema = z
  .object({ markers: z.array(z.string().min(1)), unless: z.array(z.string()).default([]), always: z.array(z.string().min(1)).default([]) })
  .strict();

const scopeSchema = z
  .object({
    note: z.string().optional(),
    regions: z
      .object({
        provinces: z.record(z.string(), z.array(z.string().min(1)).min(1)),
        inCorpus: z.array(z.string()),
        measuresRegion: z.string(),
        localities: z.array(z.string().min(1)),
      })
      .strict(),
    personal: markersSchema,
    legal: markersSchema,
    unrelated: markersSchema,
    years: z.array(z.number().int()),
  })
  .strict();

export interface AskedTypeDef {
  type: Asked;
  specific: boolean;
  /** Folded cue words; `atEnd` cues only count at the end of the question. */
  cues: Array<{ text: string; atEnd: boolean }>;
  /** Patterns of a value of this type in the source text; null for list, steps, yes/no and reason. */
  values: RegExp[] | null;
  /** Types in whose presence this one is only the object of the question (材料 in 「材料发到哪个邮箱」). */
  yieldsTo: Asked[];
  /** Types that answer the same ask when cued in the same clause (a website or a place for 「在网上哪儿弄」). */
  alternatives: Asked[];
  /** Folded names of the fields that hold a value of this type (主办单位, 咨询电话). */
  fields: string[];
  /** Whether the line under a bare field name is that field's value even without the type's shape (an organiser's name under 「主办单位」). */
  valueUnderLabel: boolean;
}

export interface AskedTypes {
  defs: AskedTypeDef[];
  /** Folded phrases that look like cues but are not (在哪个 in 「在哪个论坛上发布」). */
  notCues: string[];
  /**
   * Words by which a quoted rule says no (不得、只能), permits (可以、鼓励) or
   * requires (须、应当); `turn` words in a question reverse what it asks.
   */
  polarity: { permit: string[]; require: string[]; no: string[]; turn: string[]; optional: string[]; ignore: string[]; opposites: Array<[string, string]> };
}

export interface ScopeLexicon {
  /** Folded place name → its province. */
  places: Array<{ name: string; province: string }>;
  inCorpus: Set<string>;
  measuresRegion: string;
  /** Folded names of the cities within the measures' region (沈阳, 大连 …). */
  localities: string[];
  /** `always`: markers that put a question outside whatever `unless` word it also has (「我个人信用卡…像企业信用修复那样」). */
  personal: { markers: string[]; unless: string[]; always: string[] };
  legal: { markers: string[]; unless: string[]; always: string[] };
  /** Other business the documents do not cover: tax, company registration, social insurance. */
  unrelated: { markers: string[]; unless: string[]; always: string[] };
  years: number[];
}

/** Parses corpus/asked-types.json; a pattern that does not compile is refused with its type. */
export function parseAskedTypes(json: string): AskedTypes {
  const data = askedTypesSchema.parse(JSON.parse(json));
  const defs = data.types.map((t) => ({
    type: t.type,
    specific: t.specific ?? false,
    alternatives: t.alternatives ?? [],
    cues: t.cues.map((c) => ({ text: foldText(c.replace(/\$$/, '')), atEnd: c.endsWith('$') })),
    values:
      t.values?.map((p) => {
        try {
          return new RegExp(p);
        } catch (error) {
          throw new Error(`asked-types.json: ${t.type}: bad pattern ${p}: ${(error as Error).message}`);
        }
      }) ?? null,
    yieldsTo: t.yieldsTo ?? [],
    fields: (t.fields ?? []).map(foldText),
    valueUnderLabel: t.valueUnderLabel ?? false,
  }));
  const sorted = (words: string[]) => words.map(foldText).sort((a, b) => b.length - a.length);
  const { permit, require, no, turn, optional, ignore, opposites } = data.polarity;
  return {
    defs,
    notCues: data.notCues.map(foldText),
    polarity: { permit: sorted(permit), require: sorted(require), no: sorted(no), turn: sorted(turn), optional: sorted(optional), ignore: sorted(ignore), opposites: opposites.map(([a, b]) => [foldText(a), foldText(b)] as [string, string]) },
  };
}

/** Parses corpus/scope.json. */
export function parseScope(json: string): ScopeLexicon {
  const data = scopeSchema.parse(JSON.parse(json));
  const places = Object.entries(data.regions.provinces)
    .flatMap(([province, names]) => names.map((name) => ({ name: foldText(name), province })))
    .sort((a, b) => b.name.length - a.name.length);
  const fold = (m: z.infer<typeof markersSchema>) => ({ markers: m.markers.map(foldText), unless: m.unless.map(foldText), always: m.always.map(foldText) });
  return {
    places,
    inCorpus: new Set(data.regions.inCorpus),
    measuresRegion: data.regions.measuresRegion,
    localities: data.regions.localities.map(foldText),
    personal: fold(data.personal),
    legal: fold(data.legal),
    unrelated: fold(data.unrelated),
    years: data.years,
  };
}
