import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { loadConfig, type TrustProxy } from '../../src/config.ts';
import { canonicalAddress, clientAddress, clientReader, type Connection } from '../../src/web/client-address.ts';

const OFF: TrustProxy = { kind: 'off' };
const hops = (n: number): TrustProxy => ({ kind: 'hops', hops: n });
const list = (...addresses: string[]): TrustProxy => ({ kind: 'list', addresses });

describe('canonicalAddress', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    [' 203.0.113.9 ', '203.0.113.9'],
    ['203.0.113.9:54321', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['::FFFF:cb00:7109', '203.0.113.9'],
    ['[::ffff:203.0.113.9]:443', '203.0.113.9'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0::1', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['[2001:db8::1]:8443', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::1', '::1'],
    ['::', '::'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ])('reads %j as %j', (text, canonical) => {
    expect(canonicalAddress(text)).toBe(canonical);
  });

  it.each(['', 'unknown', 'evil.example', '999.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', "1.2.3.4' OR 1=1 --", '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::1', '::1:', 'g::1', '_hidden', '[::1'])(
    'refuses %j',
    (text) => expect(canonicalAddress(text)).toBeUndefined(),
  );
});

describe('clientAddress', () => {
  it('with TRUST_PROXY off: the socket, whatever the headers say', () => {
    expect(clientAddress(OFF, '198.51.100.7', '203.0.113.9')).toBe('198.51.100.7');
    expect(clientAddress(OFF, '::ffff:198.51.100.7', undefined)).toBe('198.51.100.7');
    expect(clientAddress(OFF, undefined, '203.0.113.9')).toBe('unknown');
  });

  describe('with a number of hops', () => {
    it('takes the entry that many from the right: the address our outermost proxy saw', () => {
      expect(clientAddress(hops(1), '10.0.0.2', '203.0.113.9')).toBe('203.0.113.9');
      expect(clientAddress(hops(1), '10.0.0.2', '203.0.113.9, 198.51.100.1')).toBe('198.51.100.1');
      expect(clientAddress(hops(2), '10.0.0.2', '203.0.113.9, 10.0.0.1')).toBe('203.0.113.9');
    });

    it('ignores what a client wrote to the left of it', () => {
      expect(clientAddress(hops(1), '10.0.0.2', '1.1.1.1, 2.2.2.2, 203.0.113.9')).toBe('203.0.113.9');
      expect(clientAddress(hops(2), '10.0.0.2', 'spoofed, 203.0.113.9, 10.0.0.1')).toBe('203.0.113.9');
    });

    it('reads several X-Forwarded-For headers as one list, with ports, brackets and spaces as proxies write them', () => {
      expect(clientAddress(hops(2), '10.0.0.2', '203.0.113.9:5555 ,  10.0.0.1')).toBe('203.0.113.9');
      expect(clientAddress(hops(1), '10.0.0.2', '[2001:DB8::9]:443')).toBe('2001:db8::9');
      expect(clientAddress(hops(1), '10.0.0.2', ',, 203.0.113.9 ,')).toBe('203.0.113.9');
    });

    it('falls back to the socket when the header is missing, too short or not an address', () => {
      expect(clientAddress(hops(1), '10.0.0.2', undefined)).toBe('10.0.0.2');
      expect(clientAddress(hops(1), '10.0.0.2', '')).toBe('10.0.0.2');
      expect(clientAddress(hops(2), '10.0.0.2', '203.0.113.9')).toBe('10.0.0.2');
      expect(clientAddress(hops(1), '10.0.0.2', "1.2.3.4, ' OR 1=1 --")).toBe('10.0.0.2');
      expect(clientAddress(hops(1), '10.0.0.2', '999.999.999.999')).toBe('10.0.0.2');
    });
  });

  describe('with a list of trusted proxies', () => {
    const trust = list('10.0.0.0/8', '127.0.0.1', 'fd00::/8');

    it('walks X-Forwarded-For from the right past every trusted proxy', () => {
      expect(clientAddress(trust, '127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
      expect(clientAddress(trust, '127.0.0.1', '203.0.113.9, 10.1.2.3, 10.200.0.1')).toBe('203.0.113.9');
      expect(clientAddress(trust, 'fd00::5', '2001:db8::9, fd12::1')).toBe('2001:db8::9');
    });

    it('stops at the first untrusted address, whatever a client wrote before it', () => {
      expect(clientAddress(trust, '127.0.0.1', '10.9.9.9, 198.51.100.1, 203.0.113.9, 10.0.0.1')).toBe('203.0.113.9');
      expect(clientAddress(trust, '127.0.0.1', 'garbage, 203.0.113.9')).toBe('203.0.113.9');
    });

    it('ignores X-Forwarded-For from a socket that is not a trusted proxy', () => {
      expect(clientAddress(trust, '198.51.100.7', '203.0.113.9')).toBe('198.51.100.7');
      expect(clientAddress(trust, '11.0.0.1', '203.0.113.9')).toBe('11.0.0.1');
      expect(clientAddress(trust, 'fe00::1', '203.0.113.9')).toBe('fe00::1');
      expect(clientAddress(trust, undefined, '203.0.113.9')).toBe('unknown');
    });

    it('matches IPv4-mapped IPv6 sockets and entries against IPv4 ranges, and mapped ranges against IPv4', () => {
      expect(clientAddress(trust, '::ffff:127.0.0.1', '::ffff:203.0.113.9, ::ffff:10.0.0.7')).toBe('203.0.113.9');
      expect(clientAddress(list('::ffff:10.0.0.0/104'), '10.3.2.1', '203.0.113.9')).toBe('203.0.113.9');
      expect(clientAddress(list('::ffff:10.0.0.0/104'), '11.3.2.1', '203.0.113.9')).toBe('11.3.2.1');
    });

    it('compares CIDR prefixes bit by bit, IPv4 and IPv6 apart', () => {
      const narrow = list('192.168.1.128/25', '2001:db8:abcd:12::/63');
      expect(clientAddress(narrow, '192.168.1.200', '203.0.113.9')).toBe('203.0.113.9');
      expect(clientAddress(narrow, '192.168.1.127', '203.0.113.9')).toBe('192.168.1.127');
      expect(clientAddress(narrow, '2001:db8:abcd:13::1', '203.0.113.9')).toBe('203.0.113.9');
      expect(clientAddress(narrow, '2001:db8:abcd:14::1', '203.0.113.9')).toBe('2001:db8:abcd:14::1');
      expect(clientAddress(list('0.0.0.0/0'), '8.8.8.8', '203.0.113.9')).toBe('203.0.113.9');
      expect(clientAddress(list('0.0.0.0/0'), '2001:db8::1', '203.0.113.9')).toBe('2001:db8::1');
      expect(clientAddress(list('::/0'), '2001:db8::1', '203.0.113.9')).toBe('203.0.113.9');
    });

    it('answers with the furthest proxy when every entry is a trusted one', () => {
      expect(clientAddress(trust, '127.0.0.1', '10.0.0.9, 10.0.0.1')).toBe('10.0.0.9');
    });

    it('takes the settings as config.ts parses them', () => {
      const { TRUST_PROXY } = loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8, ::1' });
      expect(clientAddress(TRUST_PROXY, '::1', '203.0.113.9')).toBe('203.0.113.9');
      expect(clientAddress(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY, '10.0.0.2', '203.0.113.9, 10.0.0.1')).toBe('203.0.113.9');
      expect(clientAddress(loadConfig({}).TRUST_PROXY, '10.0.0.2', '203.0.113.9')).toBe('10.0.0.2');
    });
  });
});

describe('clientReader', () => {
  function appWith(trust: TrustProxy, connection: Connection) {
    const reader = clientReader(trust, () => connection);
    const app = new Hono();
    app.get('/', (c) => c.json({ client: reader.clientKey(c), tls: reader.overTls(c) }));
    return async (headers: Record<string, string>) => (await app.request('/', { headers })).json();
  }

  it("reads the request's X-Forwarded-For through the setting", async () => {
    expect(await appWith(list('127.0.0.1'), { address: '::ffff:127.0.0.1', tls: false })({ 'x-forwarded-for': '203.0.113.9' })).toEqual({ client: '203.0.113.9', tls: false });
    expect(await appWith(OFF, { address: '::ffff:127.0.0.1', tls: false })({ 'x-forwarded-for': '203.0.113.9' })).toEqual({ client: '127.0.0.1', tls: false });
  });

  it('counts as TLS a TLS socket, or X-Forwarded-Proto: https from a trusted proxy only', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    expect((await appWith(OFF, { address: '127.0.0.1', tls: true })({})).tls).toBe(true);
    expect((await appWith(OFF, { address: '127.0.0.1', tls: false })(https)).tls).toBe(false);
    expect((await appWith(hops(1), { address: '10.0.0.2', tls: false })(https)).tls).toBe(true);
    expect((await appWith(list('10.0.0.0/8'), { address: '10.0.0.2', tls: false })({ 'x-forwarded-proto': 'HTTPS, http' })).tls).toBe(true);
    expect((await appWith(list('10.0.0.0/8'), { address: '10.0.0.2', tls: false })({ 'x-forwarded-proto': 'http, https' })).tls).toBe(false);
    expect((await appWith(list('10.0.0.0/8'), { address: '198.51.100.7', tls: false })(https)).tls).toBe(false);
    expect((await appWith(list('10.0.0.0/8'), { address: undefined, tls: false })(https)).tls).toBe(false);
  });
});
