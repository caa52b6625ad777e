// TLS material of the API listener (Digikoppeling REST profile): TLS 1.2/1.3, forward-secret AEAD
// suites only, client certificate required and checked against the CA bundle and the CRLs.
// CRLs are re-read on a timer and swapped in with setSecureContext, without a restart.
import { readFileSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { crlVers, leesCrl, type CrlInfo } from './crl.js';

/** TLS 1.3 suites are all AEAD with (EC)DHE; for 1.2 only ECDHE with GCM or ChaCha20-Poly1305. */
export const CIPHERS = [
  'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256',
].join(':');

export const BASIS_TLS: TlsOptions = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ciphers: CIPHERS, honorCipherOrder: true };

export class TlsMateriaal {
  private context!: SecureContextOptions;
  private crls: CrlInfo[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tls: Config['tls'],
    private readonly log: Logger,
    private readonly klok: () => Date = () => new Date(),
  ) {
    this.laad();
  }

  /** Read every file; throws (naming the file) when one is missing or unreadable. */
  private laad(): void {
    const lees = (f: string) => {
      try {
        return readFileSync(f, 'utf8');
      } catch (err) {
        throw new Error(`${f}: kan niet gelezen worden (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
    };
    const crlPems = this.tls.crl.map(lees);
    const crls = crlPems.map((pem, i) => {
      try {
        return leesCrl(pem);
      } catch (err) {
        throw new Error(`${this.tls.crl[i]}: geen geldige CRL (${(err as Error).message})`);
      }
    });
    this.context = { key: lees(this.tls.key), cert: lees(this.tls.cert), ca: this.tls.ca.map(lees), crl: crlPems };
    this.crls = crls;
    crls.forEach((c, i) => {
      if (!crlVers(c, this.klok()))
        this.log.error({ crl: this.tls.crl[i], nextUpdate: c.nextUpdate }, 'CRL is verlopen: elke verbinding wordt geweigerd tot een verse CRL er staat');
    });
  }

  /** Options for https.createServer / Fastify's `https`. */
  serverOpties(): TlsOptions {
    return { ...BASIS_TLS, ...this.context, requestCert: true, rejectUnauthorized: true };
  }

  /** Every CRL is within its validity window (readiness). */
  get crlsVers(): boolean {
    const nu = this.klok();
    return this.crls.every((c) => crlVers(c, nu));
  }

  get crlInfo(): readonly CrlInfo[] {
    return this.crls;
  }

  /** Re-read the files and swap the context in; on failure keep the old one (it fails closed by itself once expired). */
  herlaad(server?: HttpsServer): boolean {
    try {
      this.laad();
      server?.setSecureContext(this.serverOpties());
      // New handshakes use the new CRL; idle keep-alive connections are closed so that a client
      // whose certificate was just revoked must handshake again (busy ones end at maxRequestsPerSocket).
      server?.closeIdleConnections();
      this.log.info({ crls: this.crls.map((c) => c.nextUpdate) }, 'TLS-materiaal en CRL opnieuw geladen');
      return true;
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'herladen van TLS-materiaal mislukt; het oude blijft in gebruik');
      return false;
    }
  }

  start(server: HttpsServer): void {
    this.timer = setInterval(() => this.herlaad(server), this.tls.crlVerversenMinuten * 60_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
