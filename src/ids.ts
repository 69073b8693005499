/**
 * A UUID version 7: 48 bits of Unix milliseconds, then random bits. Ids made
 * later sort later, so new rows land at the end of SQLite's primary-key
 * B-tree instead of at random pages. The random part comes from
 * crypto.randomUUID(), which draws from a buffered pool and is several times
 * cheaper per call than crypto.getRandomValues().
 */
export function uuidv7(now = Date.now()): string {
  const random = crypto.randomUUID();
  const time = now.toString(16).padStart(12, '0').slice(-12);
  // randomUUID: xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx; keep its variant and random tail.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}
