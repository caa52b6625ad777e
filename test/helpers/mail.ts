// Open what we send with the recipients' real tools: openssl cms, gpgsm and gpg.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../../src/config.js';
import { berichtId } from '../../src/diensten/bezorging.js';
import type { BezorgOpdracht } from '../../src/domain/berichten.js';
import { Sleutelring } from '../../src/store/sleutelring.js';

export function kop(eml: string, naam: string): string | undefined {
  const koppen = eml.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${naam}:\\s*(.*)$`, 'mi').exec(koppen)?.[1]?.trim();
}

/** openssl cms -decrypt, then -verify against the CA; returns the signed inner entity. */
export function openSmime(emlPad: string, pki: string, ontvanger: string): { getekend: string; inhoud: string; verifyStderr: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-cms-'));
  try {
    const getekend = path.join(dir, 'signed.eml');
    execFileSync('openssl', ['cms', '-decrypt', '-in', emlPad, '-recip', path.join(pki, `recipients/${ontvanger}.crt`),
      '-inkey', path.join(pki, `recipients/${ontvanger}.key`), '-out', getekend], { stdio: ['ignore', 'pipe', 'pipe'] });
    const v = spawnSync('openssl', ['cms', '-verify', '-in', getekend, '-CAfile', path.join(pki, 'ca.crt'), '-out', path.join(dir, 'inhoud.eml')], { encoding: 'utf8' });
    if (v.status !== 0) throw new Error(`openssl cms -verify failed: ${v.stderr}`);
    return { getekend: readFileSync(getekend, 'utf8'), inhoud: readFileSync(path.join(dir, 'inhoud.eml'), 'utf8'), verifyStderr: v.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The base64 body of a MIME entity (after its header block) as bytes. */
function base64Body(entiteit: string): Buffer {
  const i = entiteit.search(/\r?\n\r?\n/);
  return Buffer.from(i < 0 ? '' : entiteit.slice(i).replace(/\s/g, ''), 'base64');
}

/**
 * GnuPG's S/MIME tool as a wijkteam on Debian would use it: a fresh GNUPGHOME with the dev CA imported
 * and trusted (trustlist.txt), the recipient's key and certificate imported as PKCS#12 (3DES, as
 * gpgsm 2.2 reads no PBES2), CRL checks off (no dirmngr here). Decrypts the mail, then verifies the
 * signed entity inside it. Throws with gpgsm's own words when it cannot.
 */
export function openGpgsm(emlPad: string, pki: string, ontvanger: string): { inhoud: string; status: string } {
  const home = mkdtempSync(path.join(tmpdir(), 'sb-gpgsm-'));
  chmodSync(home, 0o700);
  // A non-empty PKCS#12 passphrase: gpgsm 2.2 fails on about one in twelve files with an empty one
  // (measured: 2 of 25; 0 of 25 with a passphrase).
  const WACHTWOORD = 'signaalbrug-test';
  const gpgsm = (args: string[]) => spawnSync('gpgsm', ['--homedir', home, '--batch', '--no-tty', '--pinentry-mode', 'loopback',
    '--passphrase-fd', '0', '--status-fd', '2', ...args], { input: WACHTWOORD, encoding: 'latin1' });
  const moet = (r: ReturnType<typeof gpgsm>, wat: string) => {
    if (r.status !== 0) throw new Error(`gpgsm ${wat}: ${r.stderr}`);
    return r;
  };
  try {
    writeFileSync(path.join(home, 'gpgsm.conf'), 'disable-crl-checks\ndisable-dirmngr\n');
    moet(gpgsm(['--import', path.join(pki, 'ca.crt')]), '--import ca.crt');
    const vingerafdruk = execFileSync('openssl', ['x509', '-in', path.join(pki, 'ca.crt'), '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' })
      .trim().split('=')[1];
    writeFileSync(path.join(home, 'trustlist.txt'), `${vingerafdruk} S\n`);
    const p12 = path.join(home, `${ontvanger}.p12`);
    // gpgsm 2.2's PKCS#12 reader still refuses an occasional file that openssl and every other reader
    // take ("encryptedData error ... possibly bad passphrase"): it depends on the random salt, so a
    // fresh export (new salt) is tried, up to five times. This is about loading the test's key into
    // gpgsm, never about the mail under test, which is decrypted once below.
    for (let poging = 1; ; poging++) {
      execFileSync('openssl', ['pkcs12', '-export', '-in', path.join(pki, `recipients/${ontvanger}.crt`),
        '-inkey', path.join(pki, `recipients/${ontvanger}.key`), '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES',
        '-macalg', 'sha1', '-passout', `pass:${WACHTWOORD}`, '-out', p12], { stdio: 'pipe' });
      const r = gpgsm(['--import', p12]);
      // It says so either as `ERROR import.parsep12` or, for the key bag, as "error parsing or decrypting".
      if (r.status === 0 || poging === 5 || !/ERROR import\.parsep12|error parsing or decrypting the PKCS#12 file/.test(r.stderr)) {
        moet(r, `--import ${ontvanger}.p12`);
        break;
      }
    }
    const p7m = path.join(home, 'smime.p7m');
    writeFileSync(p7m, base64Body(readFileSync(emlPad, 'latin1')));
    const getekend = path.join(home, 'getekend.eml');
    const ontsleuteld = moet(gpgsm(['--output', getekend, '--decrypt', p7m]), '--decrypt');
    writeFileSync(path.join(home, 'getekend.p7m'), base64Body(readFileSync(getekend, 'latin1')));
    const inhoud = path.join(home, 'inhoud.eml');
    const geverifieerd = moet(gpgsm(['--output', inhoud, '--verify', path.join(home, 'getekend.p7m')]), '--verify');
    return { inhoud: readFileSync(inhoud, 'utf8'), status: `${ontsleuteld.stderr}${geverifieerd.stderr}` };
  } finally {
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
    rmSync(home, { recursive: true, force: true });
  }
}

const ringen = new Map<string, Sleutelring>();

/** The opaque Message-ID the service gives one message, computed with the test's own keyring. */
export function verwachteMessageId(config: Config, meldingId: string, bericht: BezorgOpdracht['bericht'], ontvanger: BezorgOpdracht['ontvanger']): string {
  const bestand = config.versleuteling.sleutelbestand ?? '';
  if (!ringen.has(bestand)) ringen.set(bestand, Sleutelring.laad(bestand, {}));
  return berichtId({ meldingId, bericht, ontvanger }, ringen.get(bestand)!, config.afzender.mailbox);
}

/** gpg --decrypt with the recipient's secret key and the signer's public key in a fresh keyring. */
export function openPgp(emlPad: string, pki: string, ontvanger: string): { inhoud: string; status: string } {
  const home = mkdtempSync(path.join(tmpdir(), 'sb-gpg-'));
  try {
    const gpg = (args: string[], input?: string) =>
      spawnSync('gpg', ['--homedir', home, '--batch', '--no-tty', ...args], { encoding: 'utf8', input });
    for (const f of [`recipients/${ontvanger}.sec.asc`, 'signer.pub.asc']) {
      const r = gpg(['--import', path.join(pki, f)]);
      if (r.status !== 0) throw new Error(`gpg --import ${f}: ${r.stderr}`);
    }
    const eml = readFileSync(emlPad, 'utf8');
    const m = /-----BEGIN PGP MESSAGE-----[\s\S]+?-----END PGP MESSAGE-----/.exec(eml);
    if (!m) throw new Error('no PGP MESSAGE in the mail');
    const bestand = path.join(home, 'bericht.asc');
    writeFileSync(bestand, m[0]);
    const r = gpg(['--status-fd', '2', '--decrypt', bestand]);
    if (r.status !== 0) throw new Error(`gpg --decrypt: ${r.stderr}`);
    return { inhoud: r.stdout, status: r.stderr };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Decode the quoted-printable/base64 parts of a MIME entity well enough to grep its text. */
export function platteTekst(entiteit: string): string {
  return entiteit
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .concat(
      '\n',
      [...entiteit.matchAll(/Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/gi)]
        .map((m) => Buffer.from(m[1]!.replace(/\s/g, ''), 'base64').toString('utf8')).join('\n'),
    );
}
