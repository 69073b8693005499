import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The eval set files under `dir` (name → text); reports and config are not sets. */
export function loadEvalFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.json') && name !== 'config.json')
      .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  );
}
