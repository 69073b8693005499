import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/ids.ts';

describe('uuidv7', () => {
  it('is a version 7, RFC 4122 variant UUID', () => {
    expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts by creation time and is unique', () => {
    const ids = [uuidv7(1_700_000_000_000), uuidv7(1_700_000_000_001), uuidv7(1_800_000_000_000)];
    expect([...ids].sort()).toEqual(ids);
    const many = new Set(Array.from({ length: 10_000 }, () => uuidv7()));
    expect(many.size).toBe(10_000);
  });

  it('encodes the millisecond timestamp in its first 48 bits', () => {
    const id = uuidv7(0x0123456789ab);
    expect(id.startsWith('01234567-89ab-7')).toBe(true);
  });
});
