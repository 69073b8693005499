import type { Context } from 'hono';
import type { TrustProxy } from '../config.ts';

/** What the runtime knows of the connection a request came on. */
export interface Connection {
  /** The peer's address (the client, or the proxy in front of us); absent when the runtime has no socket. */
  address?: string;
  /** Whether the connection itself is TLS. */
  tls: boolean;
}

/** How the app tells who is asking and whether they asked over TLS. */
export interface ClientReader {
  /** The client's address (canonical form), for rate limiting and logs. */
  clientKey: (c: Context) => string;
  /** Whether the request reached the first trusted hop over TLS (HSTS is sent only then). */
  overTls: (c: Context) => boolean;
}

/**
 * Reads the client's address and transport through the proxies TRUST_PROXY names: with it off, the socket's address
 * and TLS; with a number of hops, the X-Forwarded-For entry that many from the right (the address our outermost proxy
 * saw); with a list of proxy addresses, X-Forwarded-For walked from the right past every trusted proxy, starting at the
 * socket, which must itself be one. Headers a client sends straight to us, or through a proxy we do not trust, are
 * ignored.
 *
 * @example
 * const { clientKey, overTls } = clientReader({ kind: 'list', addresses: ['10.0.0.0/8'] }, (c) => ({ address: peerOf(c), tls: false }))
 */
export function clientReader(trust: TrustProxy, connection: (c: Context) => Connection): ClientReader {
  const trusted = trustedProxies(trust);
  const behindProxy = (peer: string | undefined) => trust.kind === 'hops' || (trust.kind === 'list' && peer !== undefined && trusted(peer));
  return {
    clientKey: (c) => clientAddress(trust, connection(c).address, c.req.header('x-forwarded-for'), trusted),
    overTls: (c) => {
      const { address, tls } = connection(c);
      if (tls) return true;
      // The proxy that terminated TLS says so; with several values, the first is that outermost proxy's.
      return behindProxy(address) && c.req.header('x-forwarded-proto')?.split(',')[0].trim().toLowerCase() === 'https';
    },
  };
}

/**
 * The client's address for a socket peer and an X-Forwarded-For header under a TRUST_PROXY setting; the socket's
 * address when the header cannot be believed or does not reach far enough. Addresses come back in canonical form
 * (IPv4-mapped IPv6 as IPv4, IPv6 compressed and lower-case), so one client is one key however it is written.
 */
export function clientAddress(trust: TrustProxy, socket: string | undefined, forwardedFor: string | undefined, trusted = trustedProxies(trust)): string {
  const peer = socket === undefined ? 'unknown' : canonicalAddress(socket) ?? socket;
  if (trust.kind === 'off' || !forwardedFor) return peer;
  const hops = forwardedFor.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (trust.kind === 'hops') {
    const entry = hops[hops.length - trust.hops];
    return (entry !== undefined && canonicalAddress(entry)) || peer;
  }
  if (!trusted(peer)) return peer;
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const entry = canonicalAddress(hops[i]);
    // A proxy we trust wrote something that is no address: the last address we can vouch for is that proxy.
    if (!entry) return client;
    client = entry;
    if (!trusted(entry)) return client;
  }
  return client;
}

/** Whether an address is one of the trusted proxies of a `list` setting (never, for the other kinds). */
function trustedProxies(trust: TrustProxy): (address: string) => boolean {
  if (trust.kind !== 'list') return () => false;
  const ranges = trust.addresses.map((a) => {
    const range = parseRange(a);
    if (!range) throw new Error(`TRUST_PROXY: ${a} is not an address or CIDR range`);
    return range;
  });
  return (address) => {
    const bytes = parseAddress(address);
    return bytes !== undefined && ranges.some((r) => inRange(bytes, r));
  };
}

interface Range {
  bytes: Uint8Array;
  prefix: number;
}

function parseRange(text: string): Range | undefined {
  const [address, bits, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const raw = parseRawAddress(address);
  if (!raw) return undefined;
  let prefix = bits === undefined ? raw.length * 8 : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix >= 0 && prefix <= raw.length * 8)) return undefined;
  // ::ffff:10.0.0.0/104 is 10.0.0.0/8: mapped addresses are compared as IPv4.
  if (isMapped(raw) && prefix >= 96) return { bytes: raw.subarray(12), prefix: prefix - 96 };
  return { bytes: raw, prefix };
}

function inRange(bytes: Uint8Array, range: Range): boolean {
  if (bytes.length !== range.bytes.length) return false;
  const whole = range.prefix >> 3;
  for (let i = 0; i < whole; i++) if (bytes[i] !== range.bytes[i]) return false;
  const rest = range.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (bytes[whole] & mask) === (range.bytes[whole] & mask);
}

/**
 * An address in canonical form, or undefined when the text is none. Accepts what proxies write: IPv4, IPv6, either
 * with a port (`1.2.3.4:5678`, `[2001:db8::1]:443`), IPv6 in brackets or with a zone (`fe80::1%eth0`).
 */
export function canonicalAddress(text: string): string | undefined {
  const bytes = parseAddress(text);
  return bytes && formatAddress(bytes);
}

/** 4 bytes for IPv4 (IPv4-mapped IPv6 included), 16 for IPv6. */
function parseAddress(text: string): Uint8Array | undefined {
  let value = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) value = bracketed[1];
  else if (/^[\d.]+:\d{1,5}$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  const raw = parseRawAddress(value.replace(/%[\w.-]+$/, ''));
  return raw && isMapped(raw) ? raw.subarray(12) : raw;
}

function parseRawAddress(text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  // (No leading zeros: some parsers read 010 as octal.)
  if (parts.length !== 4 || !parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return Uint8Array.from(parts.map(Number));
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.toLowerCase().split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-f]{1,4}$/.test(part)) out.push(parseInt(part, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => ((bytes[2 * i] = g >> 8), (bytes[2 * i + 1] = g & 0xff)));
  return bytes;
}

const isMapped = (bytes: Uint8Array) => bytes.length === 16 && bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;

/** IPv4 dotted; IPv6 as RFC 5952 writes it (lower case, the longest run of zero groups as ::). */
function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i] << 8) | bytes[2 * i + 1]);
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}
