import { verifyQuote } from './verify.ts';
import type { Corpus } from '../corpus/corpus.ts';

/** A place the corpus names where a user can ask what the service cannot answer. */
export interface Channel {
  topics: string[];
  text: string;
  docId: string;
  quote: string;
}

export function parseChannels(json: string): Channel[] {
  const data = JSON.parse(json) as { channels?: unknown };
  if (!Array.isArray(data.channels) || data.channels.length === 0) throw new Error('channels file needs a "channels" array');
  return data.channels as Channel[];
}

/** Channels whose quote is not verbatim in the corpus, for the index build and tests to refuse. */
export function unverifiableChannels(corpus: Corpus, channels: Channel[]): Channel[] {
  return channels.filter((c) => {
    const doc = corpus.document(c.docId);
    const at = doc ? doc.text.indexOf(c.quote) : -1;
    return !doc || at < 0 || !verifyQuote(doc.text, c.quote, at, at + c.quote.length);
  });
}

/** The channel whose topics the question mentions most specifically; the default (no topics) otherwise. */
export function channelFor(question: string, channels: Channel[]): Channel {
  let best: { channel: Channel; length: number } | null = null;
  for (const channel of channels) {
    for (const topic of channel.topics) {
      if (question.includes(topic) && (!best || topic.length > best.length)) best = { channel, length: topic.length };
    }
  }
  return best?.channel ?? channels.find((c) => c.topics.length === 0) ?? channels[channels.length - 1];
}
