// Open what we send with the recipients' real tools: openssl cms and gpg.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

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
