import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError, readBodyText, type BodyReader } from '../../web/body.ts';

/**
 * Reads the body straight from Node's IncomingMessage, which @hono/node-server
 * passes as `c.env.incoming`. Going through the Fetch API Request instead
 * costs a web stream and a Request object per call, which is most of the
 * overhead of a small POST. Stops reading (and refuses) past the limit.
 */
export const readNodeBody: BodyReader = (c, limit) => {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return readBodyText(c, limit);
  const declared = Number(incoming.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError());
  // A small body usually arrives with the headers: parsed already, it sits in the
  // stream's buffer and can be taken at once, without stream events.
  if (incoming.complete && incoming.readableLength <= limit) {
    const parts: Buffer[] = [];
    for (let part = incoming.read() as Buffer | null; part !== null; part = incoming.read() as Buffer | null) parts.push(part);
    if (incoming.readableEnded || incoming.readableLength === 0) return Promise.resolve(Buffer.concat(parts).toString('utf8'));
    incoming.unshift(Buffer.concat(parts));
  }
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    incoming.on('data', (part: Buffer) => {
      size += part.length;
      if (size > limit) {
        incoming.removeAllListeners('data');
        incoming.resume();
        reject(new BodyTooLargeError());
        return;
      }
      parts.push(part);
    });
    incoming.once('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    incoming.once('error', reject);
  });
};
