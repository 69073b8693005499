/** Domain vocabulary loaded from data files under corpus/. */
export interface Lexicon {
  /** Synonym groups; the first term of a group is the source text's own wording. */
  synonyms: string[][];
  /** Question words and courtesies that carry no topic (请问, 怎么, 吗 ...). */
  stopPhrases: string[];
  /** Details that, when a question asks for them, the evidence must state (利率, 手续费 ...), in its own word or one of `accept`. */
  requiredDetails?: RequiredDetail[];
}

export function parseSynonyms(json: string): string[][] {
  const data = JSON.parse(json) as { groups?: unknown };
  if (!Array.isArray(data.groups)) throw new Error('synonyms file needs a "groups" array');
  return data.groups.map((group, i) => {
    if (!Array.isArray(group) || group.length < 2 || !group.every((t) => typeof t === 'string' && t.trim())) {
      throw new Error(`synonym group ${i} must list at least two non-empty terms`);
    }
    return group.map((t: string) => t.trim().toLowerCase());
  });
}

export interface RequiredDetail {
  word: string;
  /** The word itself and the words a source sentence may state it by (交钱 → 收费、费用、免费). */
  accept: string[];
}

/** 「交钱：收费、费用、免费」 or a bare word per line; # starts a comment. */
export function parseRequiredDetails(text: string): RequiredDetail[] {
  return parseStopPhrases(text).map((line) => {
    const [word, rest] = line.split(/[：:]/, 2).map((x) => x.trim());
    const accept = [word, ...(rest ? rest.split(/[、,，\s]+/).filter(Boolean) : [])];
    return { word, accept };
  });
}

export function parseStopPhrases(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .sort((a, b) => b.length - a.length);
}
