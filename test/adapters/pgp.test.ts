// PGP/MIME channel against the real gpg: decrypt, check the signature and protected headers, and
// every refusal forced with keys made for the purpose.
import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { KanaalFout, type Adressering, type Inhoud, type Kanaalfoutcode } from '../../adapters/kanaal.js';
import { pgp, type PgpOpties } from '../../adapters/pgp/index.js';
import { createDevPki } from '../../dev/dev-pki.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sb-pgp-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
await createDevPki(dir);
const read = (rel: string) => readFileSync(path.join(dir, rel), 'utf8');

const DAY = 86_400_000;
const CANARY = 'Canarius Zwartjes';
const inhoud: Inhoud = {
  onderwerp: `Melding PRE-2026-000777 huurachterstand ${CANARY}`,
  tekst: `Beste wijkteam,\n\n${CANARY}, Zijlweg 3, 2021AB Haarlem.\n`,
  html: `<p>${CANARY}, Zijlweg 3</p>`,
};
const GEHEIM = [CANARY, 'Zwartjes', 'PRE-2026', 'huurachterstand', 'Zijlweg', '2021AB'];
const adressering: Adressering = {
  van: { naam: 'Signaalbrug', adres: 'signaalbrug@haarlem.example' },
  aan: { naam: 'Sociaal Wijkteam Oost', adres: 'wijkteam-oost@haarlem.example' },
  messageId: '<q7tz0mv3kd8wn2hx5bf9ce6ry4js1lap@signaalbrug>',
  datum: new Date('2026-11-23T09:30:00Z'),
  buitenOnderwerp: 'Nieuw bericht van Signaalbrug',
};

function opties(over: Partial<PgpOpties> = {}): PgpOpties {
  return { ontvangerSleutel: read('recipients/wijkteam-oost.pub.asc'), afzenderSleutel: read('signer.sec.asc'), ...over };
}

/** A gpg home holding the given key files; the agent it starts is stopped at teardown. */
function gpgHome(t: { teardown(fn: () => void): void }, ...bestanden: string[]): string {
  const home = mkdtempSync(path.join(tmpdir(), 'sb-gnupg-'));
  t.teardown(() => {
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
    rmSync(home, { recursive: true, force: true });
  });
  execFileSync('gpg', ['--homedir', home, '--batch', '--import', ...bestanden.map((b) => path.join(dir, b))], { stdio: 'pipe' });
  return home;
}

function ontsleutel(home: string, eml: Buffer): { ok: boolean; status: string; tekst: string } {
  const armored = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/.exec(eml.toString('latin1'))?.[0] ?? '';
  const uit = path.join(home, 'uit.eml');
  rmSync(uit, { force: true });
  const r = spawnSync('gpg', ['--homedir', home, '--batch', '--status-fd', '1', '--output', uit, '--decrypt'], {
    input: armored,
    encoding: 'utf8',
  });
  let tekst = '';
  try {
    tekst = readFileSync(uit, 'utf8');
  } catch {
    /* nothing decrypted */
  }
  return { ok: r.status === 0, status: r.stdout, tekst };
}

const signer = await openpgp.readKey({ armoredKey: read('signer.pub.asc') });

t.test('gpg decrypts, the signature is good, protected headers carry the real subject', async (t) => {
  const eml = await pgp.bouw(inhoud, adressering, opties());
  const home = gpgHome(t, 'recipients/wijkteam-oost.sec.asc', 'signer.pub.asc');
  const r = ontsleutel(home, eml);
  t.ok(r.ok, 'gpg --decrypt exits 0');
  t.match(r.status, '[GNUPG:] DECRYPTION_OKAY');
  t.match(r.status, '[GNUPG:] GOODSIG');
  t.match(r.status, `[GNUPG:] VALIDSIG ${signer.getFingerprint().toUpperCase()}`, 'signed by the service key');
  t.match(r.status, '[GNUPG:] GOODMDC', 'integrity protected');
  t.match(r.tekst, /^Content-Type: multipart\/alternative;[\s\S]*protected-headers="v1"/);
  // A text-mode literal (RFC 9580 5.9): gpg writes it with local line endings.
  const koppen = r.tekst.split(/\r?\n\r?\n/)[0]!.split(/\r?\n/);
  t.ok(koppen.includes(`Subject: ${inhoud.onderwerp}`), 'real Subject as protected header');
  t.ok(koppen.includes('From: Signaalbrug <signaalbrug@haarlem.example>'));
  t.ok(koppen.includes('To: Sociaal Wijkteam Oost <wijkteam-oost@haarlem.example>'));
  t.ok(koppen.includes('Message-ID: <q7tz0mv3kd8wn2hx5bf9ce6ry4js1lap@signaalbrug>'));
  t.match(r.tekst, `${CANARY}, Zijlweg 3, 2021AB Haarlem.`);
  t.match(r.tekst, `<p>${CANARY}, Zijlweg 3</p>`);
});

t.test('another recipient cannot decrypt', async (t) => {
  const eml = await pgp.bouw(inhoud, adressering, opties());
  const home = gpgHome(t, 'recipients/wijkteam-zuid.sec.asc', 'signer.pub.asc');
  const r = ontsleutel(home, eml);
  t.notOk(r.ok);
  t.notMatch(r.status, 'DECRYPTION_OKAY');
  t.equal(r.tekst, '');
});

t.test('outer message: RFC 3156 structure, neutral headers, nothing of the content', async (t) => {
  const eml = await pgp.bouw(inhoud, adressering, opties());
  const tekst = eml.toString('latin1');
  for (const woord of GEHEIM) t.notOk(tekst.toLowerCase().includes(woord.toLowerCase()), `raw .eml has no "${woord}"`);
  t.notMatch(tekst, /[^\r]\n/, 'every line ends in CRLF');
  const [koppen = ''] = tekst.split('\r\n\r\n');
  t.match(koppen, /\r\nSubject: Nieuw bericht van Signaalbrug\r\n/);
  t.equal(koppen.match(/^Subject:/gm)?.length, 1, 'one Subject header');
  t.match(koppen, /\r\nMessage-ID: <q7tz0mv3kd8wn2hx5bf9ce6ry4js1lap@signaalbrug>\r\n/);
  t.match(koppen, /\r\nAuto-Submitted: auto-generated\r\n/, 'RFC 3834: robots do not answer it');
  t.match(koppen, /\r\nMIME-Version: 1\.0\r\n/);
  const ct = /\r\nContent-Type: multipart\/encrypted;((?:[^\r]|\r\n )*)/.exec(koppen);
  t.ok(ct, 'multipart/encrypted');
  t.match(ct?.[1], /protocol="application\/pgp-encrypted"/);
  const grens = /boundary="([^"]+)"/.exec(ct?.[1] ?? '')?.[1] ?? 'ontbreekt';
  const delen = tekst.split(`\r\n--${grens}`);
  t.equal(delen.length, 4, 'preamble, two parts, closing delimiter');
  t.match(delen[1], /^\r\nContent-Type: application\/pgp-encrypted\r\n[\s\S]*\r\n\r\nVersion: 1\r\n$/);
  t.match(delen[2], /^\r\nContent-Type: application\/octet-stream; name="encrypted\.asc"\r\n/);
  t.match(delen[2], /\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n[\s\S]+-----END PGP MESSAGE-----\r\n$/);
  t.equal(delen[3], '--\r\n');
});

t.test('parsed keys are reused across messages', async (t) => {
  const a = await pgp.bouw(inhoud, adressering, opties());
  const b = await pgp.bouw(inhoud, adressering, opties());
  t.not(a.toString(), b.toString(), 'fresh session key and boundary each time');
  const home = gpgHome(t, 'recipients/wijkteam-oost.sec.asc', 'signer.pub.asc');
  t.ok(ontsleutel(home, b).ok, 'second (cached-key) message decrypts too');
});

// ---- refusals, each forced ----

/** Keys made for each way a key can be unusable. */
async function weigergevallen() {
  const userIDs = [{ name: 'Testsleutel', email: 'wijkteam-oost@haarlem.example' }];
  const ecc = { type: 'ecc', curve: 'curve25519Legacy' } as const;
  const verlopen = await openpgp.generateKey({ ...ecc, userIDs, keyExpirationTime: 1, format: 'object' });
  const teIntrekken = await openpgp.generateKey({ ...ecc, userIDs, format: 'object' });
  const ingetrokken = await openpgp.revokeKey({ key: teIntrekken.privateKey, format: 'armored' });
  const zonderSubsleutel = await openpgp.generateKey({ ...ecc, userIDs, subkeys: [], format: 'armored' });
  const subsleutelVerlopen = await openpgp.generateKey({ ...ecc, userIDs, subkeys: [{ keyExpirationTime: 1 }], format: 'armored' });
  const toekomst = await openpgp.generateKey({ ...ecc, userIDs, date: new Date(Date.now() + DAY), format: 'armored' });
  const metWachtwoord = await openpgp.generateKey({ ...ecc, userIDs, passphrase: 'geheim', format: 'armored' });

  // Revoke only the encryption subkey: the primary key stays valid.
  const basis = await openpgp.generateKey({ ...ecc, userIDs, format: 'object' });
  const subkey = basis.privateKey.subkeys[0]!;
  basis.privateKey.subkeys[0] = await subkey.revoke(basis.privateKey.keyPacket as openpgp.SecretKeyPacket);
  const subsleutelIngetrokken = basis.privateKey.toPublic().armor();

  const straks = new Date(Date.now() + DAY);
  const gevallen: { naam: string; over: Partial<PgpOpties>; code: Kanaalfoutcode }[] = [
    { naam: 'missing key', over: { ontvangerSleutel: '' }, code: 'SB_SLEUTEL_ONTBREEKT' },
    { naam: 'garbage', over: { ontvangerSleutel: 'geen sleutel' }, code: 'SB_SLEUTEL_ONTBREEKT' },
    { naam: 'garbage in armour',
      over: { ontvangerSleutel: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n' },
      code: 'SB_SLEUTEL_ONTBREEKT' },
    { naam: 'expired key', over: { ontvangerSleutel: verlopen.publicKey.armor(), nu: straks }, code: 'SB_SLEUTEL_VERLOPEN' },
    { naam: 'expired encryption subkey', over: { ontvangerSleutel: subsleutelVerlopen.publicKey, nu: straks }, code: 'SB_SLEUTEL_VERLOPEN' },
    { naam: 'key from the future', over: { ontvangerSleutel: toekomst.publicKey }, code: 'SB_SLEUTEL_VERLOPEN' },
    { naam: 'revoked key', over: { ontvangerSleutel: ingetrokken.publicKey }, code: 'SB_SLEUTEL_INGETROKKEN' },
    { naam: 'revoked encryption subkey', over: { ontvangerSleutel: subsleutelIngetrokken }, code: 'SB_SLEUTEL_INGETROKKEN' },
    { naam: 'no encryption subkey', over: { ontvangerSleutel: zonderSubsleutel.publicKey }, code: 'SB_SLEUTEL_ONGESCHIKT' },
    { naam: 'signer key garbage', over: { afzenderSleutel: 'kapot' }, code: 'SB_AFZENDER_SLEUTEL' },
    { naam: 'signer given a public key', over: { afzenderSleutel: read('signer.pub.asc') }, code: 'SB_AFZENDER_SLEUTEL' },
    { naam: 'signer key locked with a passphrase', over: { afzenderSleutel: metWachtwoord.privateKey }, code: 'SB_AFZENDER_SLEUTEL' },
    { naam: 'signer key expired at nu',
      over: { afzenderSleutel: verlopen.privateKey.armor(), ontvangerSleutel: read('recipients/wijkteam-oost.pub.asc'), nu: straks },
      code: 'SB_AFZENDER_SLEUTEL' },
  ];
  return gevallen;
}

t.test('refusals: KanaalFout with the right code, no message', async (t) => {
  const gevallen = await weigergevallen();
  for (const g of gevallen) {
    let uit: Buffer | undefined;
    try {
      uit = await pgp.bouw(inhoud, adressering, opties(g.over));
      t.fail(`${g.naam}: built a message`);
    } catch (err) {
      t.ok(err instanceof KanaalFout, `${g.naam}: KanaalFout`);
      t.equal((err as KanaalFout).code, g.code, `${g.naam}: ${g.code} (${(err as Error).message})`);
    }
    t.equal(uit, undefined, `${g.naam}: no output`);
  }
  // The same bad text twice: a failed parse is not cached as if it were a key.
  await t.rejects(pgp.bouw(inhoud, adressering, opties({ ontvangerSleutel: 'geen sleutel' })), { code: 'SB_SLEUTEL_ONTBREEKT' });
});
