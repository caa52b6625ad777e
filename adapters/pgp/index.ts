// PGP/MIME delivery (RFC 3156): the inner entity, with protected headers, is signed and encrypted
// in one OpenPGP message (RFC 3156 6.2, combined method) and sent as multipart/encrypted.
import * as openpgp from 'openpgp';
import { KanaalFout, type Bezorgkanaal, type Kanaalfoutcode } from '../kanaal.js';
import { binnenEntiteit, buitenBericht, contentKop, naarCrlf, nieuweGrens } from '../mime.js';

export interface PgpOpties {
  /** Armored public key of the recipient mailbox. */
  ontvangerSleutel: string;
  /** Armored private key of the service, unencrypted. */
  afzenderSleutel: string;
  nu?: Date;
}

// Parsing a key (and its self-signatures) is the costly part; keys change rarely, so keep a few.
const CACHE_MAX = 32;
const publiek = new Map<string, Promise<openpgp.Key>>();
const privé = new Map<string, Promise<openpgp.PrivateKey>>();

function uitCache<T>(cache: Map<string, Promise<T>>, armored: string, lees: () => Promise<T>): Promise<T> {
  const bekend = cache.get(armored);
  cache.delete(armored);
  const p = bekend ?? lees();
  cache.set(armored, p); // re-insert: Map order makes the first key the least recently used
  if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
  if (!bekend) p.catch(() => cache.get(armored) === p && cache.delete(armored)); // never cache a failure
  return p;
}

const fout = (code: Kanaalfoutcode, detail: string) => new KanaalFout(code, detail);
const melding = (err: unknown) => (err instanceof Error ? err.message : String(err));

const VERSLEUTEL_ALGORITMEN = new Set(['rsaEncryptSign', 'rsaEncrypt', 'elgamal', 'ecdh', 'x25519', 'x448']);

/** RFC 9580 5.2.3.26/5.2.3.13: revocation, expiry and key flags decide whether we may encrypt to it. */
async function ontvangerSleutel(armored: string, nu: Date): Promise<openpgp.Key> {
  let key: openpgp.Key;
  try {
    key = await uitCache(publiek, armored, () => openpgp.readKey({ armoredKey: armored }));
  } catch (err) {
    throw fout('SB_SLEUTEL_ONTBREEKT', `geen leesbare publieke sleutel (${melding(err)})`);
  }
  if (await key.isRevoked(undefined, undefined, nu)) throw fout('SB_SLEUTEL_INGETROKKEN', 'sleutel ingetrokken');
  if (key.getCreationTime() > nu) throw fout('SB_SLEUTEL_VERLOPEN', 'sleutel nog niet geldig');
  try {
    await key.verifyPrimaryKey(nu);
  } catch (err) {
    const m = melding(err);
    if (/revoked/i.test(m)) throw fout('SB_SLEUTEL_INGETROKKEN', m);
    if (/expired/i.test(m)) throw fout('SB_SLEUTEL_VERLOPEN', m);
    throw fout('SB_SLEUTEL_ONGESCHIKT', m);
  }
  try {
    await key.getEncryptionKey(undefined, nu);
  } catch (err) {
    // Say why no subkey qualifies: a revoked or expired encryption subkey is not a format problem.
    const kandidaten = key.getSubkeys().filter((s) => VERSLEUTEL_ALGORITMEN.has(s.getAlgorithmInfo().algorithm));
    const redenen = await Promise.all(kandidaten.map((s) => s.verify(nu).then(() => '', melding)));
    if (redenen.some((r) => /revoked/i.test(r))) throw fout('SB_SLEUTEL_INGETROKKEN', 'versleutelsubsleutel ingetrokken');
    if (redenen.some((r) => /expired/i.test(r))) throw fout('SB_SLEUTEL_VERLOPEN', 'versleutelsubsleutel verlopen');
    throw fout('SB_SLEUTEL_ONGESCHIKT', `geen bruikbare versleutelsleutel (${melding(err)})`);
  }
  return key;
}

async function afzenderSleutel(armored: string, nu: Date): Promise<openpgp.PrivateKey> {
  let key: openpgp.PrivateKey;
  try {
    key = await uitCache(privé, armored, () => openpgp.readPrivateKey({ armoredKey: armored }));
  } catch (err) {
    throw fout('SB_AFZENDER_SLEUTEL', `geen leesbare privésleutel (${melding(err)})`);
  }
  if (!key.isDecrypted()) throw fout('SB_AFZENDER_SLEUTEL', 'privésleutel is met een wachtwoord versleuteld');
  try {
    await key.getSigningKey(undefined, nu);
  } catch (err) {
    throw fout('SB_AFZENDER_SLEUTEL', `geen bruikbare ondertekensleutel (${melding(err)})`);
  }
  return key;
}

export const pgp: Bezorgkanaal<PgpOpties> = {
  naam: 'pgp',
  async bouw(inhoud, adressering, opties) {
    const nu = opties.nu ?? new Date();
    const ontvanger = await ontvangerSleutel(opties.ontvangerSleutel, nu);
    const afzender = await afzenderSleutel(opties.afzenderSleutel, nu);

    const entiteit = binnenEntiteit(inhoud, adressering).toString('utf8');
    const versleuteld = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: entiteit, date: nu }),
      encryptionKeys: ontvanger,
      signingKeys: afzender,
      date: nu,
      format: 'armored',
    });

    const grens = nieuweGrens();
    const body = [
      'This is an OpenPGP/MIME encrypted message (RFC 3156).',
      `--${grens}`,
      // RFC 3156 4: the first part is the version, the second the OpenPGP message.
      'Content-Type: application/pgp-encrypted',
      'Content-Description: PGP/MIME version identification',
      '',
      'Version: 1',
      '',
      `--${grens}`,
      contentKop('Content-Type', 'application/octet-stream', { name: 'encrypted.asc' }),
      'Content-Description: OpenPGP encrypted message',
      contentKop('Content-Disposition', 'inline', { filename: 'encrypted.asc' }),
      '',
      naarCrlf(versleuteld).trimEnd(),
      '',
      `--${grens}--`,
      '',
    ].join('\r\n');
    return buitenBericht(adressering, {
      contentType: contentKop('Content-Type', 'multipart/encrypted', {
        protocol: 'application/pgp-encrypted',
        boundary: grens,
      }),
      body,
    });
  },
};
