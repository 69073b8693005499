/**
 * Where the browser tests write their screenshots. `npm run screenshots` (UPDATE_SCREENSHOTS=1) writes them into
 * docs/images/, the pictures the README and the guides show; an ordinary run writes them into one folder under the
 * system's temporary directory, so running the tests leaves the working tree as it was.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const IMAGES =
  process.env.UPDATE_SCREENSHOTS === '1' ? join(import.meta.dirname, '../../../docs/images') : join(tmpdir(), 'liaoning-policy-e2e-images');
