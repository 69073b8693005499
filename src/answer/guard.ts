/** Patterns of requests that try to extract instructions or change the assistant's role. */
export interface Guard {
  isManipulation(question: string): boolean;
}

export function createGuard(patterns: string[]): Guard {
  const compiled = patterns.map((p) => new RegExp(p, 'i'));
  return {
    isManipulation: (question) => compiled.some((re) => re.test(question)),
  };
}

export function parseGuardPatterns(json: string): string[] {
  const data = JSON.parse(json) as { patterns?: unknown };
  if (!Array.isArray(data.patterns) || !data.patterns.every((p) => typeof p === 'string')) {
    throw new Error('guard file needs a "patterns" array of regular expressions');
  }
  for (const p of data.patterns) new RegExp(p as string, 'i');
  return data.patterns as string[];
}
