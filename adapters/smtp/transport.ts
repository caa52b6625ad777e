// SMTP transport for encrypted messages (nodemailer, pooled). STARTTLS is required and the server
// certificate verified (TLS 1.2+): a server that offers no TLS gets nothing. Messages are already
// complete and encrypted (adapters/smime, adapters/pgp); this only carries the bytes.
import nodemailer from 'nodemailer';

export interface SmtpOpties {
  host: string;
  port: number;
  /** Name to verify in the server certificate (defaults to host). */
  servername?: string;
  /** Extra CAs (PEM) that the server certificate may chain to, e.g. the dev CA. */
  ca?: string[];
  gebruiker?: string;
  wachtwoord?: string;
  maxVerbindingen?: number;
  timeoutMs?: number;
}

export interface Ontvangstbewijs {
  messageId: string;
  smtpAntwoord: string;
  geaccepteerd: string[];
}

/** SMTP errors that a later attempt may overcome (4xx, connection trouble) vs. permanent (5xx). */
export function isTijdelijk(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string };
  // ETLS (no STARTTLS, bad certificate) and connection trouble are faults of the route, not of the
  // message: an operator can fix them, so keep retrying within the backoff window.
  if (e.code === 'ETLS' || e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKET') return true;
  if (typeof e.responseCode === 'number') return e.responseCode < 500;
  return true;
}

export class SmtpTransport {
  private readonly transporter;

  constructor(o: SmtpOpties) {
    this.transporter = nodemailer.createTransport({
      pool: true,
      host: o.host,
      port: o.port,
      secure: false,
      requireTLS: true,
      ignoreTLS: false,
      maxConnections: o.maxVerbindingen ?? 3,
      connectionTimeout: o.timeoutMs ?? 15_000,
      greetingTimeout: o.timeoutMs ?? 15_000,
      socketTimeout: o.timeoutMs ?? 30_000,
      auth: o.gebruiker ? { user: o.gebruiker, pass: o.wachtwoord ?? '' } : undefined,
      tls: {
        minVersion: 'TLSv1.2',
        rejectUnauthorized: true,
        servername: o.servername ?? o.host,
        ...(o.ca?.length ? { ca: o.ca } : {}),
      },
    });
  }

  async verstuur(raw: Buffer, envelope: { from: string; to: string }, messageId: string): Promise<Ontvangstbewijs> {
    const info = await this.transporter.sendMail({ raw, envelope, messageId });
    return { messageId, smtpAntwoord: String(info.response ?? ''), geaccepteerd: (info.accepted ?? []).map(String) };
  }

  close(): void {
    this.transporter.close();
  }
}
