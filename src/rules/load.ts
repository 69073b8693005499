import type { Corpus } from '../corpus/corpus.ts';
import { RuleEngine } from './engine.ts';
import { allOf, computationFacts, unknownFacts } from './language.ts';
import { measuresFileSchema, TOPIC_FACTS, topicFileSchema, type MeasuresFile, type TopicFile } from './schema.ts';

/**
 * Parses the rule files (corpus/rules/*.json): measures.json lists the twelve
 * measures, every other file is one topic. Names the file in any error.
 */
export function loadRuleEngine(corpus: Corpus, files: Record<string, string>): RuleEngine {
  const topics: TopicFile[] = [];
  let measures: MeasuresFile | undefined;
  for (const [name, text] of Object.entries(files)) {
    const parse = name === 'measures.json' ? measuresFileSchema : topicFileSchema;
    const result = parse.safeParse(JSON.parse(text));
    if (!result.success) throw new Error(`corpus/rules/${name}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (name === 'measures.json') measures = result.data as MeasuresFile;
    else topics.push(result.data as TopicFile);
    const unknown = vocabularyProblems(result.data as TopicFile | MeasuresFile);
    if (unknown.length) throw new Error(`corpus/rules/${name}: ${unknown.join('; ')}`);
  }
  if (!measures) throw new Error('corpus/rules/measures.json is missing');
  for (const m of measures.measures) {
    if (m.topic && !topics.some((t) => t.topic === m.topic)) throw new Error(`corpus/rules/measures.json: measure ${m.number} names unknown topic ${m.topic}`);
  }
  return new RuleEngine(corpus, topics, measures);
}

/** Conditions and computations that name a fact the situation reader does not fill in (nor the rule computes). */
function vocabularyProblems(file: TopicFile | MeasuresFile): string[] {
  const problems: string[] = [];
  const check = (where: string, conditions: Parameters<typeof allOf>[0], computed: Record<string, unknown> = {}) => {
    const vocabulary = new Set<string>([...TOPIC_FACTS, ...Object.keys(computed)]);
    for (const fact of unknownFacts(allOf(conditions), vocabulary)) problems.push(`${where}: unknown fact "${fact}"`);
  };
  if ('measures' in file) {
    for (const m of file.measures) check(`measure ${m.number}`, m.appliesWhen);
    return problems;
  }
  for (const rule of [...file.rules, ...file.then.map((t, i) => ({ ...t, id: `then[${i}]` }))]) {
    check(rule.id, rule.when, rule.compute);
    for (const [name, spec] of Object.entries(rule.compute ?? {})) {
      for (const fact of computationFacts(spec)) if (!(TOPIC_FACTS as readonly string[]).includes(fact) && !(fact in (rule.compute ?? {}))) problems.push(`${rule.id}.compute.${name}: unknown fact "${fact}"`);
    }
  }
  return problems;
}
