import type { Corpus } from '../corpus/corpus.ts';
import { RuleEngine } from './engine.ts';
import { measuresFileSchema, topicFileSchema, type MeasuresFile, type TopicFile } from './schema.ts';

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
  }
  if (!measures) throw new Error('corpus/rules/measures.json is missing');
  for (const m of measures.measures) {
    if (m.topic && !topics.some((t) => t.topic === m.topic)) throw new Error(`corpus/rules/measures.json: measure ${m.number} names unknown topic ${m.topic}`);
  }
  return new RuleEngine(corpus, topics, measures);
}
