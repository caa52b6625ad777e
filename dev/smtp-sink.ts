// Development SMTP sink (scripts/start, tests): a real SMTP server with STARTTLS that stores every
// message it accepts as one .eml file. It is a stand-in for the municipality's mail server.
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SMTPServer } from 'smtp-server';

export interface SinkOpties {
  dir: string;
  host?: string;
  port?: number;
  key: string | Buffer;
  cert: string | Buffer;
  /** Offer no STARTTLS (to prove the service then sends nothing). */
  zonderStarttls?: boolean;
  /** Tests: wait this long after storing a message before answering 250 (a crash window). */
  vertragingMs?: number;
  /** Tests: called when a message is stored, before the answer. */
  opgeslagen?: (bestand: string) => void;
  /** Tests: the answer (250) waits for this promise, e.g. to act while a message is in flight. */
  voorAntwoord?: (bestand: string) => Promise<void>;
  /** Log one line per accepted message (ids only, never content). */
  log?: (regel: Record<string, unknown>) => void;
}

export interface Sink {
  port: number;
  dir: string;
  /** Messages received again with a Message-ID already stored (kept once, like a mailbox does). */
  duplicaten(): number;
  bestanden(): string[];
  stop(): Promise<void>;
}

/** The Message-ID header of a stored message (headers end at the first empty line). */
function messageIdVan(bestand: string): string | undefined {
  const koppen = readFileSync(bestand, 'latin1').split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  return /^message-id:\s*(<[^>]+>)/im.exec(koppen)?.[1];
}

export async function startSink(o: SinkOpties): Promise<Sink> {
  mkdirSync(o.dir, { recursive: true });
  const gezien = new Set<string>();
  let duplicaten = 0;
  const server = new SMTPServer({
    key: o.key,
    cert: o.cert,
    minVersion: 'TLSv1.2',
    authOptional: true,
    disabledCommands: o.zonderStarttls ? ['STARTTLS', 'AUTH'] : ['AUTH'],
    hideSTARTTLS: o.zonderStarttls ?? false,
    size: 25 * 1024 * 1024,
    // A stopping sink drops open client connections after this long (clients keep pooled ones open).
    closeTimeout: 1000,
    logger: false,
    onData(stream, session, callback) {
      const naam = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`;
      const tijdelijk = path.join(o.dir, `.${naam}.tmp`);
      // Write then rename, so a reader never sees half a message.
      pipeline(stream, createWriteStream(tijdelijk, { mode: 0o600 }))
        .then(async () => {
          // A retry after a lost 250 carries the same Message-ID: store the message once.
          const id = messageIdVan(tijdelijk);
          if (id && gezien.has(id)) {
            duplicaten++;
            rmSync(tijdelijk);
            o.log?.({ msg: 'duplicaat niet opnieuw opgeslagen', tls: session.secure });
            callback(null, 'Al ontvangen (zelfde Message-ID)');
            return;
          }
          if (id) gezien.add(id);
          renameSync(tijdelijk, path.join(o.dir, naam));
          o.log?.({ msg: 'bericht ontvangen', bestand: naam, tls: session.secure, ontvangers: session.envelope.rcptTo.length });
          o.opgeslagen?.(naam);
          if (o.vertragingMs) await new Promise((r) => setTimeout(r, o.vertragingMs));
          await o.voorAntwoord?.(naam);
          callback(null, `Opgeslagen als ${naam}`);
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  server.on('error', (err) => o.log?.({ msg: 'smtp-sink fout', err: err.message }));
  const { port } = (server as unknown as { server: { address(): { port: number } } }).server.address();
  return {
    port,
    dir: o.dir,
    duplicaten: () => duplicaten,
    bestanden: () => readdirSync(o.dir).filter((f) => f.endsWith('.eml')).sort().map((f) => path.join(o.dir, f)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
