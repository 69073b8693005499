import type { Context } from 'hono';

export class BodyTooLargeError extends Error {}

/** Reads a request body as UTF-8 text, refusing bodies over `limit` bytes. */
export type BodyReader = (c: Context, limit: number) => Promise<string>;

/**
 * The portable reader, through the Fetch API request. A declared
 * Content-Length over the limit is refused before reading; the length read is
 * checked as well, since the header can be absent or wrong.
 */
export const readBodyText: BodyReader = async (c, limit) => {
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError();
  const buffer = await c.req.arrayBuffer();
  if (buffer.byteLength > limit) throw new BodyTooLargeError();
  return new TextDecoder().decode(buffer);
};
