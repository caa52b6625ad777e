// The channel factory against the real dev PKI: one Kanaal per recipient's bezorging, key material
// from the cache (no file read per message), messages opened with the recipients' own tools
// (openssl cms, gpg), and a certificate replaced on disk taken up by the next message after herlaad.
import t, { type Test } from 'tap';
import { cpSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { KanaalFout, type Adressering, type Inhoud, type Ontvanger } from '../../adapters/kanaal.js';
import { parseConfig } from '../../src/config.js';
import { maakKanalen, Sleutelmateriaal, sleutelbestanden } from '../../src/kanalen/index.js';
import { testConfigDoc, testPki } from '../helpers/build.js';
import { lopendeKlok } from '../helpers/klok.js';
import { openPgp, openSmime, platteTekst } from '../helpers/mail.js';

const pki = await testPki();
const CANARY = 'Canarius Zwartjes';

/** The test config over a copy of the dev PKI (rotation writes in it), plus a corporation's feedback mailbox. */
function opzet(t: Test) {
  const dir = t.testdir();
  const kopie = path.join(dir, 'pki');
  cpSync(pki, kopie, { recursive: true });
  const doc = testConfigDoc(kopie, 'redis://127.0.0.1:6379', path.join(dir, 'sleutels.json'));
  (doc.organisaties as Record<string, unknown>[])[2]!.terugkoppeling = {
    mailbox: 'terugkoppeling@ymere.example', bezorging: 'pgp', pgpSleutel: path.join(kopie, 'recipients/troubleshooter.pub.asc'),
  };
  const config = parseConfig(JSON.stringify(doc), path.join(dir, 'config.json'));
  const materiaal = new Sleutelmateriaal(sleutelbestanden(config), { herlaadSeconden: 0, log: pino({ level: 'silent' }) });
  const links: string[] = [];
  const kanalen = maakKanalen({
    config, materiaal, klok: lopendeKlok,
    async nieuweLink(meldingId) {
      links.push(`https://portaal.example/b/${meldingId}-${links.length + 1}`);
      return links.at(-1)!;
    },
  });
  const wijkteam = (id: string) => config.wijkteams.find((w) => w.id === id)!;
  let n = 0;
  /** Writes a built message where the openers can read it. */
  const bewaar = (eml: Buffer) => {
    const pad = path.join(dir, `bericht-${++n}.eml`);
    writeFileSync(pad, eml);
    return pad;
  };
  return { dir, kopie, config, materiaal, kanalen, links, wijkteam, bewaar };
}

/** One outgoing message; counts how often its content is rendered. */
function uitgaand(bericht = 'melding-aan-wijkteam', meldingId = 'm-1') {
  const u = {
    meldingId, bericht, gerenderd: 0,
    async inhoud(): Promise<Inhoud> {
      u.gerenderd++;
      return { onderwerp: `Melding ${CANARY}`, tekst: `${CANARY}, Kleine Houtstraat 12A\n`, html: `<p>${CANARY}, Kleine Houtstraat 12A</p>` };
    },
    kennisgeving: (url: string | null): Inhoud => (url
      ? { onderwerp: 'Beveiligd bericht', tekst: `Er staat een beveiligd bericht klaar: ${url}\n`, html: `<p><a href="${url}">Bericht openen</a></p>` }
      : { onderwerp: 'Melding ingetrokken', tekst: 'De melding is ingetrokken; er is niets meer te openen.\n', html: '<p>De melding is ingetrokken.</p>' }),
  };
  return u;
}

const adressering = (o: Ontvanger, n = 1): Adressering => ({
  van: { naam: 'Signaalbrug Test', adres: 'signaalbrug@haarlem.example' },
  aan: { naam: o.naam, adres: o.mailbox },
  messageId: `<test${n}@haarlem.example>`,
  datum: new Date(),
  buitenOnderwerp: 'Beveiligd bericht via Signaalbrug',
});

/** Asserts that `p` rejects with a KanaalFout of this code and message. */
async function weigert(t: Test, p: Promise<unknown>, code: string, bericht: RegExp, wat: string) {
  const err = await p.then(() => undefined, (e: unknown) => e);
  t.type(err, KanaalFout, wat);
  t.match(err, { code, message: bericht }, wat);
}

t.test('sleutelbestanden: every key file the config names, once', async (t) => {
  const { kopie, config } = opzet(t);
  const p = (f: string) => path.join(kopie, f);
  t.same(sleutelbestanden(config).sort(), [
    'recipients/wijkteam-noord.crt', 'recipients/wijkteam-oost.pub.asc', 'recipients/troubleshooter.crt', 'recipients/troubleshooter.pub.asc',
    'signer.crt', 'signer.key', 'signer.sec.asc', 'ca.crt', 'crl.pem',
  ].map(p).sort());
});

t.test('voor: the channel of the recipient\'s bezorging, one per recipient', async (t) => {
  const { config, kanalen, wijkteam } = opzet(t);
  t.equal(kanalen.voor(wijkteam('noord')).naam, 'smime');
  t.equal(kanalen.voor(wijkteam('oost')).naam, 'pgp');
  t.equal(kanalen.voor(wijkteam('zuid')).naam, 'beveiligde-link');
  t.equal(kanalen.voor(config.troubleshooter).naam, 'smime');
  const org = config.organisaties[2]!;
  t.equal(kanalen.voor({ ...org.terugkoppeling!, naam: org.naam }).naam, 'pgp', 'a corporation\'s feedback mailbox');
  t.equal(kanalen.voor({ ...wijkteam('noord') }), kanalen.voor(wijkteam('noord')), 'built once, kept');
  for (const x of ['duif', 'toString', '__proto__']) {
    const err = (() => {
      try {
        return kanalen.voor({ ...wijkteam('noord'), bezorging: x });
      } catch (e) {
        return e;
      }
    })();
    t.type(err, KanaalFout);
    t.match(err, { code: 'SB_SLEUTEL_ONGESCHIKT', message: new RegExp(`onbekend kanaal ${x}`) }, `unknown bezorging ${x}`);
  }
});

t.test('smime: 20 messages without a file read, opened with openssl cms', async (t) => {
  const { materiaal, kanalen, wijkteam, bewaar } = opzet(t);
  const noord = wijkteam('noord');
  const kanaal = kanalen.voor(noord);
  t.equal(kanaal.slaatOver('intrekking'), undefined);
  const voor = materiaal.gelezen;
  const u = uitgaand();
  const berichten: Buffer[] = [];
  for (let i = 1; i <= 20; i++) berichten.push(await kanaal.bouw(u, adressering(noord, i)));
  t.equal(materiaal.gelezen, voor, 'no file read for 20 messages');
  t.equal(u.gerenderd, 20);
  t.notOk(berichten.some((b) => b.toString('latin1').includes(CANARY)), 'never plaintext');
  for (const b of [berichten[0]!, berichten[19]!]) {
    const { inhoud } = openSmime(bewaar(b), pki, 'wijkteam-noord');
    t.match(platteTekst(inhoud), CANARY, 'decrypted and verified by openssl');
  }
});

t.test('pgp: 20 messages without a file read, opened with gpg', async (t) => {
  const { materiaal, kanalen, wijkteam, bewaar } = opzet(t);
  const oost = wijkteam('oost');
  const kanaal = kanalen.voor(oost);
  t.equal(kanaal.slaatOver('intrekking'), undefined);
  const voor = materiaal.gelezen;
  const u = uitgaand('escalatie');
  const berichten: Buffer[] = [];
  for (let i = 1; i <= 20; i++) berichten.push(await kanaal.bouw(u, adressering(oost, i)));
  t.equal(materiaal.gelezen, voor, 'no file read for 20 messages');
  t.notOk(berichten.some((b) => b.toString('latin1').includes(CANARY)), 'never plaintext');
  for (const b of [berichten[0]!, berichten[19]!]) {
    const { inhoud, status } = openPgp(bewaar(b), pki, 'wijkteam-oost');
    t.match(platteTekst(inhoud), CANARY, 'decrypted by gpg');
    t.match(status, /GOODSIG/, 'signature good');
  }
});

t.test('beveiligde-link: a fresh link per notification, never the content', async (t) => {
  const { materiaal, kanalen, links, wijkteam } = opzet(t);
  const zuid = wijkteam('zuid');
  const kanaal = kanalen.voor(zuid);
  t.equal(kanaal.slaatOver('intrekking'), undefined, 'a withdrawal is announced too');
  t.equal(kanaal.slaatOver('melding-aan-wijkteam'), undefined);
  const voor = materiaal.gelezen;
  for (let i = 1; i <= 20; i++) {
    const u = uitgaand(i % 2 ? 'melding-aan-wijkteam' : 'herinnering', `m-${i}`);
    const eml = (await kanaal.bouw(u, adressering(zuid, i))).toString('utf8');
    t.equal(links.length, i, 'nieuweLink called once');
    t.match(platteTekst(eml), links[i - 1]!, 'the body carries the link');
    t.match(links[i - 1], `/b/m-${i}-`, 'for its melding');
    t.equal(u.gerenderd, 0, 'inhoud() never called');
    if (eml.includes(CANARY)) t.fail('content in a notification');
  }
  t.equal(materiaal.gelezen, voor, 'no file read');
  for (const bericht of ['escalatie', 'ontruimingsdatum', 'terugkoppeling']) {
    await weigert(t, kanaal.bouw(uitgaand(bericht), adressering(zuid)), 'SB_SLEUTEL_ONGESCHIKT', new RegExp(`${bericht} kan niet via beveiligde-link`), bericht);
  }
  t.equal(links.length, 20, 'no link made for a refused message');
  const intrekking = uitgaand('intrekking', 'm-21');
  const eml = (await kanaal.bouw(intrekking, adressering(zuid, 21))).toString('utf8');
  t.match(platteTekst(eml), 'De melding is ingetrokken', 'the withdrawal notice');
  t.equal(links.length, 20, 'without a new link: there is nothing left to open');
  t.equal(intrekking.gerenderd, 0, 'and without the content');
});

t.test('rotation: a new certificate on disk counts for the next message after herlaad', async (t) => {
  const { kopie, config, materiaal, kanalen, wijkteam, bewaar } = opzet(t);
  const noord = wijkteam('noord');
  const kanaal = kanalen.voor(noord);
  const u = uitgaand();
  openSmime(bewaar(await kanaal.bouw(u, adressering(noord))), pki, 'wijkteam-noord');
  copyFileSync(path.join(pki, 'recipients/troubleshooter.crt'), path.join(kopie, 'recipients/wijkteam-noord.crt'));
  openSmime(bewaar(await kanaal.bouw(u, adressering(noord))), pki, 'wijkteam-noord');
  t.pass('before herlaad: still the cached certificate');

  const paden = sleutelbestanden(config).length;
  const voor = materiaal.gelezen;
  materiaal.herlaad();
  t.equal(materiaal.gelezen, voor + paden, 'herlaad reads each file once');
  const pad = bewaar(await kanaal.bouw(u, adressering(noord)));
  t.equal(materiaal.gelezen, voor + paden, 'building reads nothing');
  t.match(platteTekst(openSmime(pad, pki, 'troubleshooter').inhoud), CANARY, 'opens with the new key');
  t.throws(() => openSmime(pad, pki, 'wijkteam-noord'), 'no longer with the old one');
  t.equal(kanalen.voor(noord), kanaal, 'the same Kanaal: material is read at build time');

  rmSync(path.join(kopie, 'recipients/wijkteam-noord.crt'));
  materiaal.herlaad();
  await weigert(t, kanaal.bouw(u, adressering(noord)), 'SB_SLEUTEL_ONTBREEKT', /wijkteam-noord\.crt: ENOENT/, 'removed: fails closed');
  const ts = config.troubleshooter;
  t.match(platteTekst(openSmime(bewaar(await kanalen.voor(ts).bouw(u, adressering(ts))), pki, 'troubleshooter').inhoud), CANARY,
    'other recipients unaffected');
});
