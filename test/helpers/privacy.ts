// What the privacy tests look at: every key and value in Redis as text, the AOF after a rewrite, the
// logboek of a melding, and reading a melding through the portal as a wijkteam would.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { httpsVraag, wachtOp, type Antwoord, type Gebouwd } from './build.js';
import { platteTekst } from './mail.js';
import type { Verwerking } from '../../src/domain/verwerking.js';
import { leesBlok } from '../../src/store/logboek-blok.js';
import { LogboekStore } from '../../src/store/logboek.js';
import { RedisNamen } from '../../src/store/redis-namen.js';

/** A logboek archive block (compressed, so read as the records it holds). */
const LOGBOEKBLOK = /:logboek:archief:\d+-\d+$/;
import { WOORDENBOEK_V2 } from '../../src/store/woordenboek.js';

/**
 * What bytes inflate to with the compact format's dictionary, which is no secret (it is in the
 * source): compressed is not encrypted, and a value stored deflated but not encrypted would hide its
 * plaintext from a plain text search. Tried where a deflate stream would start: at the first byte, and
 * where the compact format's plaintext starts (after version byte, key id, IV, tag and the repeated
 * version byte, or without that byte). What fails to inflate gives nothing.
 */
export function ontpakt(b: Buffer): string[] {
  if (b.length < 16) return [];
  const kid = b[1] ?? 0;
  const plekken = [0, ...(b[0] === 0x02 && kid >= 1 && kid <= 32 ? [2 + kid + 28, 2 + kid + 28 + 1] : [])];
  return plekken.flatMap((i) => {
    try {
      return [inflateRawSync(b.subarray(i), { dictionary: WOORDENBOEK_V2, maxOutputLength: 1 << 20 }).toString('utf8')];
    } catch {
      return [];
    }
  });
}

/** A string value as text (UTF-8), plus base64 for bytes that are no text, plus what it inflates to. */
function stringwaarde(b: Buffer): string {
  const tekst = b.toString('utf8');
  return [tekst, ...(Buffer.from(tekst, 'utf8').equals(b) ? [] : [`base64:${b.toString('base64')}`]), ...ontpakt(b).map((o) => `ontpakt:${o}`)].join('\n');
}

/**
 * Every key with its whole value, whatever its type: what a copy of Redis would give away. A string
 * or hash field holding bytes (the compact ciphertexts) shows as base64 besides its text, so a test can find a
 * ciphertext by its base64; and anything that inflates is shown inflated. The logboek's archive
 * blocks are shown unpacked, as anyone with the copy could unpack them.
 */
export async function redisDump(url: string): Promise<string> {
  const r = new Redis(url);
  try {
    const delen: string[] = [];
    let cursor = '0';
    do {
      const [volgende, keys] = await r.scan(cursor, 'COUNT', 500);
      cursor = volgende;
      for (const k of keys) {
        const type = await r.type(k);
        const waarde = type === 'string' && LOGBOEKBLOK.test(k) ? await leesBlok((await r.getBuffer(k))!)
          : type === 'string' ? stringwaarde((await r.getBuffer(k))!)
          : type === 'hash' ? Object.fromEntries(Object.entries(await r.hgetallBuffer(k)).map(([v, b]) => [v, stringwaarde(b)]))
          : type === 'list' ? await r.lrange(k, 0, -1)
          : type === 'set' ? await r.smembers(k)
          : type === 'zset' ? await r.zrange(k, '0', '-1', 'WITHSCORES')
          : type === 'stream' ? await r.xrange(k, '-', '+') : `(${type})`;
        delen.push(`${k} ${JSON.stringify(waarde)}`);
      }
    } while (cursor !== '0');
    return delen.join('\n');
  } finally {
    r.disconnect();
  }
}

/**
 * BGREWRITEAOF, wait until done, then the text of every AOF file (history files are gone by then),
 * read as latin1 (a binary value's bytes are found by `buffer.toString('latin1')`), followed by what
 * any of its bulk strings inflates to (see ontpakt).
 */
export async function aofNaHerschrijven(url: string, dir: string): Promise<string> {
  const r = new Redis(url);
  try {
    await r.bgrewriteaof();
    await wachtOp(async () => {
      const info = await r.info('persistence');
      return /aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info) && /aof_last_bgrewrite_status:ok/.test(info);
    });
    const map = path.join(dir, 'appendonlydir');
    const bestanden = readdirSync(map).map((f) => readFileSync(path.join(map, f)));
    const ontpakkingen: string[] = [];
    // RESP bulk strings: $<length>\r\n<bytes>\r\n.
    for (const b of bestanden) {
      for (const m of b.toString('latin1').matchAll(/\$(\d+)\r\n/g)) {
        const begin = m.index + m[0].length;
        ontpakkingen.push(...ontpakt(b.subarray(begin, begin + Number(m[1]))));
      }
    }
    return [...bestanden.map((b) => b.toString('latin1')), ...ontpakkingen.map((o) => `ontpakt:${o}`)].join('\n');
  } finally {
    r.disconnect();
  }
}

/**
 * The logboek records (of one melding, or all), read through the store (archive blocks, then the
 * stream). Pass the app, so the keys come from its own RedisNamen; a bare Redis URL reads the
 * default prefix's logboek.
 */
export async function logboekVan(app: Gebouwd | string, meldingId?: string): Promise<Verwerking[]> {
  const [url, namen] = typeof app === 'string' ? [app, new RedisNamen('sb')] : [app.redis.url, app.draaiend.sb.namen];
  const r = new Redis(url);
  try {
    const uit: Verwerking[] = [];
    for await (const s of new LogboekStore(r, namen).lees(meldingId ? { melding: meldingId } : {})) uit.push(s);
    return uit;
  } finally {
    r.disconnect();
  }
}

/** Through the portal as the wijkteam: link from the notification, code from the second mail, then the melding. */
export async function leesInPortaal(app: Gebouwd, aantalMailsVoor: number): Promise<{ token: string; cookie: string; bericht: Antwoord }> {
  const mails = () => app.sink!.bestanden().map((f) => readFileSync(f, 'utf8'));
  await wachtOp(async () => mails().length > aantalMailsVoor);
  const token = /\/b\/([A-Za-z0-9_-]{43})/.exec(platteTekst(mails()[aantalMailsVoor]!))![1]!;
  const ca = readFileSync(path.join(app.pki, 'ca.crt'));
  const vraag = (method: string, pad: string, o: { form?: Record<string, string>; cookie?: string } = {}) => {
    const body = o.form ? new URLSearchParams(o.form).toString() : undefined;
    return httpsVraag({ host: '127.0.0.1', port: app.portalPort, method, path: pad, ca, servername: 'localhost',
      headers: { ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...(o.cookie ? { cookie: o.cookie } : {}) } }, body);
  };
  const n = mails().length;
  if ((await vraag('POST', `/b/${token}/code`, { form: {} })).status !== 303) throw new Error('code not sent');
  await wachtOp(async () => mails().length > n);
  const code = /toegangscode is: (\d{6})/.exec(platteTekst(mails().at(-1)!))![1]!;
  const toegang = await vraag('POST', `/b/${token}/toegang`, { form: { code } });
  const sc = toegang.headers['set-cookie'];
  const cookie = (Array.isArray(sc) ? sc : [sc ?? '']).map((c) => c.split(';')[0]!).find((c) => c.startsWith('__Secure-sb-sessie='))!;
  return { token, cookie, bericht: await vraag('GET', `/b/${token}/bericht`, { cookie }) };
}
