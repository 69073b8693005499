import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { httpClient, type AskClient } from '../src/evals/client.ts';
import { createServices, evalAppClient } from '../src/runtime/node/services.ts';

/** The eval set files under `dir` (name → text); reports and config are not sets. */
export function loadEvalFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.json') && name !== 'config.json')
      .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  );
}

/**
 * A client for the eval scripts: a running service at `base`, or the service
 * built in this process on a temporary data directory with `today` fixed.
 */
export async function evalClient(base: string | undefined, today: string): Promise<{ client: AskClient; close(): void }> {
  if (base) return { client: httpClient(base), close: () => {} };
  const dataDir = mkdtempSync(join(tmpdir(), 'policy-eval-'));
  const services = await createServices(loadConfig({ DATA_DIR: dataDir, TODAY: today, RATE_LIMIT: '0', LOG_LEVEL: 'silent' }));
  return {
    client: evalAppClient(services),
    close: () => {
      services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
