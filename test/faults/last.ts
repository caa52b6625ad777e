// Load for fault tests: bounded in count and time, loopback only, keep-alive mTLS clients.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import path from 'node:path';
import { kop } from '../helpers/mail.js';

export interface Uitslag {
  status: number; // 0 = connection error
  body: any;
}

export function mtlsAgent(pki: string, naam = 'elan-wonen', maxSockets = 20): Agent {
  return new Agent({
    keepAlive: true, maxSockets,
    ca: readFileSync(path.join(pki, 'ca.crt')), cert: readFileSync(path.join(pki, `clients/${naam}.crt`)), key: readFileSync(path.join(pki, `clients/${naam}.key`)),
  });
}

export function post(agent: Agent, port: number, pad: string, lichaam: string, timeoutMs = 10_000): Promise<Uitslag> {
  return vraag(agent, port, 'POST', pad, lichaam, timeoutMs);
}

export function get(agent: Agent, port: number, pad: string): Promise<Uitslag> {
  return vraag(agent, port, 'GET', pad);
}

function vraag(agent: Agent, port: number, method: string, pad: string, lichaam?: string, timeoutMs = 10_000): Promise<Uitslag> {
  return new Promise((resolve) => {
    const headers = lichaam === undefined ? {} : { 'content-type': 'application/json' };
    const req = request({ host: '127.0.0.1', port, method, path: pad, servername: 'localhost', agent, headers, timeout: timeoutMs }, (res) => {
      let tekst = '';
      res.on('data', (d: Buffer) => (tekst += d));
      res.on('end', () => {
        let body: unknown = tekst;
        try { body = JSON.parse(tekst); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', () => resolve({ status: 0, body: null }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: null }));
    req.end(lichaam);
  });
}

/** Send every body once, `gelijktijdig` at a time; `tussendoor` runs after `na` responses (the fault). */
export async function burst(n: number, gelijktijdig: number, stuur: (i: number) => Promise<Uitslag>, tussendoor?: { na: number; doe: () => Promise<void> }) {
  const uitslagen: Uitslag[] = new Array(n);
  let volgende = 0;
  let klaar = 0;
  let fout: Promise<void> | undefined;
  await Promise.all(Array.from({ length: gelijktijdig }, async () => {
    while (volgende < n) {
      const i = volgende++;
      uitslagen[i] = await stuur(i);
      if (tussendoor && ++klaar === tussendoor.na) fout = tussendoor.doe();
    }
  }));
  await fout;
  return uitslagen;
}

/** The distinct Message-IDs in a mailbox, with how often each was stored. */
export function messageIds(bestanden: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of bestanden) {
    const id = kop(readFileSync(f, 'utf8'), 'Message-ID') ?? '';
    m.set(id, (m.get(id) ?? 0) + 1);
  }
  return m;
}

/** How many stored mails match `past`, reading each file once (the waits poll often). */
export function teller(sink: { bestanden(): string[] }, past: (bestand: string) => boolean): () => number {
  const gezien = new Map<string, boolean>();
  return () => {
    let n = 0;
    for (const f of sink.bestanden()) {
      if (!gezien.has(f)) gezien.set(f, past(f));
      if (gezien.get(f)) n++;
    }
    return n;
  };
}
