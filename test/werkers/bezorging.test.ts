// Delivery end to end: API → Redis → outbox → BullMQ → template → S/MIME or PGP/MIME → SMTP (STARTTLS)
// → a real SMTP server; opened with openssl cms and gpg as a recipient would.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { BASIS, nlDatum, plusDagen } from '../helpers/klok.js';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { startSink } from '../../dev/smtp-sink.js';
import { cliProces } from '../helpers/cli.js';
import { vrijePoort } from '../helpers/redis.js';
import { build, wachtOp, voorbeeldMelding, type Gebouwd } from '../helpers/build.js';
import { kop, openGpgsm, openPgp, openSmime, platteTekst, verwachteMessageId } from '../helpers/mail.js';

const ELAN = 'elan-wonen';
const CANARY = { achternaam: 'Kanariepietersz', telefoonnummer: '0687654321', straatnaam: 'Zwanenburgerdijkje', relatienummer: 'CANARY-9931' };

/** An eviction date six weeks after the test clock's base (it may not lie in the past). */
const ONTRUIMING = plusDagen(amsterdamDatum(BASIS), 45);

function canaryMelding(postcode: string, over: Record<string, unknown> = {}) {
  const m = voorbeeldMelding(over);
  Object.assign(m.huurder, { achternaam: CANARY.achternaam, telefoonnummer: CANARY.telefoonnummer, relatienummer: CANARY.relatienummer });
  m.adres = { ...m.adres, straatnaam: CANARY.straatnaam, postcode };
  return m;
}

async function status(app: Gebouwd, id: string, verwacht: string) {
  return wachtOp(async () => {
    const r = await app.vraag(ELAN, 'GET', `/v1/meldingen/${id}`);
    return r.body.status === verwacht ? r.body : undefined;
  });
}

function geenPersoonsgegevens(t: { notOk(v: unknown, m: string): void }, raw: string, referentie: string) {
  for (const [veld, waarde] of Object.entries({ ...CANARY, referentie }))
    t.notOk(raw.includes(waarde), `${veld} not in the raw mail`);
}

t.test('S/MIME to wijkteam Noord: openssl cms decrypts and verifies it', async (t) => {
  const app = await build(t, { rollen: ['api', 'worker'] });
  const m = canaryMelding('2011DE');
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', m);
  t.equal(res.status, 201);
  const melding = await status(app, res.body.id, 'verzonden');
  const [bestand, ...meer] = app.sink!.bestanden();
  t.equal(meer.length, 0, 'exactly one mail');
  const raw = readFileSync(bestand!, 'utf8');
  t.match(kop(raw, 'Content-Type'), /application\/pkcs7-mime; *smime-type=enveloped-data/);
  t.equal(kop(raw, 'Subject'), 'Beveiligd bericht via Signaalbrug', 'neutral outer subject');
  t.equal(kop(raw, 'Message-ID'), verwachteMessageId(app.config, res.body.id, 'melding-aan-wijkteam', 'wijkteam'));
  t.match(kop(raw, 'To'), /wijkteam-noord@haarlem\.example/);
  geenPersoonsgegevens(t, raw, m.referentie);

  const { inhoud, verifyStderr } = openSmime(bestand!, app.pki, 'wijkteam-noord');
  t.match(verifyStderr, /Verification successful/);
  const tekst = platteTekst(inhoud);
  t.match(tekst, `Melding vroegsignalering ${m.referentie}`);
  t.match(tekst, CANARY.achternaam);
  t.match(tekst, CANARY.telefoonnummer);
  t.match(tekst, 'Terugkoppeling uiterlijk');
  t.match(tekst, 'art. 3.4');
  t.throws(() => openSmime(bestand!, app.pki, 'troubleshooter'), 'another key cannot open it');
  // The service's default is what every client opens: GnuPG's gpgsm too.
  const gpgsm = openGpgsm(bestand!, app.pki, 'wijkteam-noord');
  t.match(gpgsm.status, /DECRYPTION_OKAY[\s\S]*GOODSIG[\s\S]*TRUST_FULLY/, 'gpgsm decrypts and verifies it');
  t.match(platteTekst(gpgsm.inhoud), CANARY.achternaam);

  const verzonden = melding.gebeurtenissen.find((g: any) => g.soort === 'verzonden');
  t.match(verzonden, { kanaal: 'smime', ontvanger: 'wijkteam-noord@haarlem.example', poging: 1, smtpAntwoord: /^250/, tls: /STARTTLS/ });
});

t.test('PGP/MIME to wijkteam Oost: gpg decrypts it and reports a good signature', async (t) => {
  const app = await build(t, { rollen: ['api', 'worker'] });
  const m = canaryMelding('2020AB');
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', m);
  await status(app, res.body.id, 'verzonden');
  const [bestand] = app.sink!.bestanden();
  const raw = readFileSync(bestand!, 'utf8');
  t.match(kop(raw, 'Content-Type'), /multipart\/encrypted;.*protocol="application\/pgp-encrypted"/);
  t.equal(kop(raw, 'Subject'), 'Beveiligd bericht via Signaalbrug');
  geenPersoonsgegevens(t, raw, m.referentie);
  const { inhoud, status: gpgStatus } = openPgp(bestand!, app.pki, 'wijkteam-oost');
  t.match(gpgStatus, /GOODSIG/);
  t.match(gpgStatus, /DECRYPTION_OKAY/);
  t.match(inhoud, /protected-headers="v1"/);
  t.match(inhoud, new RegExp(`^Subject: Melding vroegsignalering ${m.referentie}`, 'm'), 'real subject travels inside (protected headers)');
  t.match(platteTekst(inhoud), CANARY.achternaam);
});

t.test('ontruimingsdatum-bekend: the troubleshooter hears at once, the wijkteam too', async (t) => {
  const app = await build(t, { rollen: ['api', 'worker'] });
  const m = canaryMelding('2011DE', { soort: 'ontruimingsdatum-bekend', ontruimingsdatum: ONTRUIMING });
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', m);
  await wachtOp(async () => app.sink!.bestanden().length === 2);
  const naar = app.sink!.bestanden().map((f) => kop(readFileSync(f, 'utf8'), 'To') ?? '');
  t.ok(naar.some((a) => a.includes('troubleshooter@haarlem.example')));
  t.ok(naar.some((a) => a.includes('wijkteam-noord@haarlem.example')));
  const voorTs = app.sink!.bestanden().find((f) => kop(readFileSync(f, 'utf8'), 'To')!.includes('troubleshooter'))!;
  t.match(platteTekst(openSmime(voorTs, app.pki, 'troubleshooter').inhoud), nlDatum(ONTRUIMING));
  const body = await wachtOp(async () => {
    const b = (await app.vraag(ELAN, 'GET', `/v1/meldingen/${res.body.id}`)).body;
    return b.gebeurtenissen.some((g: any) => g.soort === 'bericht-verzonden') && b.status === 'verzonden' ? b : undefined;
  });
  t.match(body.gebeurtenissen.filter((g: any) => /verzonden/.test(g.soort)).map((g: any) => [g.soort, g.bericht]).sort(),
    [['bericht-verzonden', 'ontruimingsdatum'], ['verzonden', 'melding-aan-wijkteam']], 'only the melding to the wijkteam moves the status');
});

t.test('outer headers name neither the melding nor the kind of message; Message-IDs are keyed, stable, Auto-Submitted', async (t) => {
  const app = await build(t, { rollen: ['api', 'worker'] });
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', canaryMelding('2011DE', { soort: 'ontruimingsdatum-bekend', ontruimingsdatum: ONTRUIMING }));
  const id: string = res.body.id;
  await wachtOp(async () => app.sink!.bestanden().length === 2);
  const verwacht = new Map([
    [verwachteMessageId(app.config, id, 'melding-aan-wijkteam', 'wijkteam'), 'wijkteam-noord'],
    [verwachteMessageId(app.config, id, 'ontruimingsdatum', 'troubleshooter'), 'troubleshooter'],
  ]);
  t.equal(verwacht.size, 2, 'one id per (melding, kind, recipient)');
  for (const bestand of app.sink!.bestanden()) {
    const raw = readFileSync(bestand, 'utf8');
    const koppen = raw.split('\r\n\r\n')[0]!;
    const messageId = kop(raw, 'Message-ID')!;
    t.match(messageId, /^<[a-z2-7]{32}@haarlem\.example>$/, 'a keyed hash in base32, the sender domain');
    for (const woord of [id, id.slice(0, 8), 'melding', 'ontruiming', 'wijkteam', 'troubleshooter'])
      t.notOk(messageId.toLowerCase().includes(woord), `Message-ID does not name "${woord}"`);
    for (const woord of [id, id.slice(0, 8), 'ontruiming', 'melding-aan'])
      t.notOk(koppen.toLowerCase().includes(woord), `no outer header names "${woord}"`);
    t.equal(kop(raw, 'Auto-Submitted'), 'auto-generated', 'RFC 3834');
    const ontvanger = verwacht.get(messageId);
    t.ok(ontvanger, `${messageId} is the id computed for this message with the keyring`);
    // Inside, under the signature, the same id travels as a protected header.
    t.match(openSmime(bestand, app.pki, ontvanger!).inhoud, `Message-ID: ${messageId}`);
  }
});

t.test('unusable recipient key material: no mail at all, bezorging-mislukt, operator alarm', async (t) => {
  const gevallen: [string, (doc: any, pki: string) => void, string][] = [
    ['missing certificate file', (doc) => (doc.wijkteams[0].certificaat = '/bestaat/niet.crt'), 'SB_SLEUTEL_ONTBREEKT'],
    ['expired certificate', (doc, pki) => (doc.wijkteams[0].certificaat = path.join(pki, 'clients/expired.crt')), 'SB_SLEUTEL_VERLOPEN'],
    ['revoked certificate', (doc, pki) => (doc.wijkteams[0].certificaat = path.join(pki, 'clients/revoked.crt')), 'SB_SLEUTEL_INGETROKKEN'],
    ['untrusted certificate', (doc, pki) => (doc.wijkteams[0].certificaat = path.join(pki, 'clients/untrusted.crt')), 'SB_SLEUTEL_ONBETROUWD'],
    ['a server certificate (no e-mail protection)', (doc, pki) => (doc.wijkteams[0].certificaat = path.join(pki, 'server.crt')), 'SB_SLEUTEL_ONGESCHIKT'],
    ['missing PGP key', (doc) => (doc.wijkteams[0] = { ...doc.wijkteams[0], bezorging: 'pgp', certificaat: undefined, pgpSleutel: '/bestaat/niet.asc' }), 'SB_SLEUTEL_ONTBREEKT'],
  ];
  for (const [naam, zet, code] of gevallen) {
    await t.test(naam, async (t) => {
      let pkiDir = '';
      const app = await build(t, { rollen: ['api', 'worker'], configAanpassen: (doc) => zet(doc, (pkiDir = path.dirname(doc.tls.ca[0]))) });
      t.ok(pkiDir);
      const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', canaryMelding('2011DE'));
      t.equal(res.status, 201, 'the melding itself is accepted and kept');
      const body = await status(app, res.body.id, 'bezorging-mislukt');
      t.match(body.gebeurtenissen.find((g: any) => g.soort === 'bezorging-mislukt'), { reden: code });
      t.equal(app.sink!.bestanden().length, 0, 'nothing sent, certainly no plaintext');
      t.match(app.logs(), new RegExp(`"alarm":"bezorging-mislukt".*"reden":"${code}"`));
      const metrics = await (await fetch(`http://127.0.0.1:${app.opsPort}/metrics`)).text();
      t.match(metrics, new RegExp(`signaalbrug_bezorging_mislukt_total\\{reden="${code}"\\} 1`));
    });
  }
});

t.test('beveiligde-link: a notification without personal data, the melding stays in the portal', async (t) => {
  const app = await build(t, { rollen: ['api', 'worker'] });
  const m = canaryMelding('2035AB');
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', m);
  const body = await status(app, res.body.id, 'verzonden');
  t.match(body.gebeurtenissen.find((g: any) => g.soort === 'verzonden'), { kanaal: 'beveiligde-link', ontvanger: 'wijkteam-zuid@haarlem.example' });
  const [bestand, ...meer] = app.sink!.bestanden();
  t.equal(meer.length, 0);
  const raw = readFileSync(bestand!, 'utf8');
  t.match(kop(raw, 'Content-Type'), /multipart\/alternative/, 'a plain notification: nothing in it needs encryption');
  geenPersoonsgegevens(t, raw, m.referentie);
  const tekst = platteTekst(raw);
  t.match(tekst, 'beveiligd bericht voor u klaar van Elan Wonen');
  const link = /https:\/\/localhost:\d+\/b\/[A-Za-z0-9_-]{43}/.exec(tekst)?.[0];
  t.ok(link, 'an unguessable link (256 bits)');
  t.notOk(link?.includes(res.body.id), 'the link does not carry the melding id');
});

t.test('SMTP server without STARTTLS: nothing is sent; after the last attempt bezorging-mislukt', async (t) => {
  const app = await build(t, { rollen: ['api', 'worker'], sink: { zonderStarttls: true } });
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', canaryMelding('2011DE'));
  const body = await status(app, res.body.id, 'bezorging-mislukt');
  t.equal(app.sink!.bestanden().length, 0, 'not one byte of the message went out');
  const pogingen = body.gebeurtenissen.filter((g: any) => g.soort === 'bezorgpoging-mislukt');
  t.equal(pogingen.length, 3, 'every configured attempt was made');
  t.match(body.gebeurtenissen.at(-1), { soort: 'bezorging-mislukt', reden: 'POGINGEN_OP' });
});

t.test('SMTP down for a while, then up: delivered exactly once', async (t) => {
  const poort = await vrijePoort();
  const app = await build(t, {
    rollen: ['api', 'worker'], sink: false,
    configAanpassen: (doc) => Object.assign(doc, { smtp: { ...doc.smtp, port: poort }, bezorging: { ...doc.bezorging, pogingen: 30, eersteWachttijdSeconden: 0.1 } }),
  });
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', canaryMelding('2011DE'));
  await wachtOp(async () => (await app.vraag(ELAN, 'GET', `/v1/meldingen/${res.body.id}`)).body.gebeurtenissen.some((g: any) => g.soort === 'bezorgpoging-mislukt'));
  const sink = await startSink({ dir: t.testdir(), port: poort, key: readFileSync(path.join(app.pki, 'server.key')), cert: readFileSync(path.join(app.pki, 'server.crt')) });
  t.teardown(() => sink.stop());
  const body = await status(app, res.body.id, 'verzonden');
  await new Promise((r) => setTimeout(r, 500));
  t.equal(sink.bestanden().length, 1, 'exactly one message');
  t.equal(body.gebeurtenissen.filter((g: any) => g.soort === 'verzonden').length, 1);
  t.ok(body.gebeurtenissen.find((g: any) => g.soort === 'verzonden').poging > 1, 'delivered on a later attempt');
});

t.test('a worker killed mid-delivery: no loss; a second copy is recognisable by its Message-ID', async (t) => {
  const app = await build(t, { rollen: ['api'], sink: false });
  const dir = t.testdir();
  let opgeslagen = 0;
  let gestuurd: (() => void) | undefined;
  const eerste = new Promise<void>((r) => (gestuurd = r));
  const sink = await startSink({
    dir, key: readFileSync(path.join(app.pki, 'server.key')), cert: readFileSync(path.join(app.pki, 'server.crt')),
    // Hold the 250 back: the worker dies after the server stored the mail but before it heard so.
    vertragingMs: 3000, opgeslagen: () => { opgeslagen++; gestuurd?.(); },
  });
  t.teardown(() => sink.stop());
  const doc = parse(readFileSync(app.configBestand, 'utf8'));
  doc.smtp.port = sink.port;
  writeFileSync(app.configBestand, stringify(doc));

  const start = () => {
    const p = cliProces(['serve', '--roles', 'worker'], { env: { SIGNAALBRUG_CONFIG: app.configBestand } });
    t.teardown(() => p.kill('SIGKILL'));
    return p;
  };
  const w1 = start();
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', canaryMelding('2011DE'));
  await eerste;
  const dood = new Promise((r) => w1.once('exit', r));
  w1.kill('SIGKILL');
  await dood;
  t.equal((await app.vraag(ELAN, 'GET', `/v1/meldingen/${res.body.id}`)).body.status, 'ontvangen', 'not yet recorded as sent');

  start();
  const body = await status(app, res.body.id, 'verzonden');
  await wachtOp(async () => sink.duplicaten() + opgeslagen >= 1);
  t.equal(sink.bestanden().length, 1, 'no duplicate in the mailbox');
  t.equal(kop(readFileSync(sink.bestanden()[0]!, 'utf8'), 'Message-ID'), verwachteMessageId(app.config, res.body.id, 'melding-aan-wijkteam', 'wijkteam'));
  t.ok(sink.duplicaten() <= 1, `re-sent after the crash ${sink.duplicaten()} time(s), recognised by its Message-ID and stored once`);
  t.equal(body.gebeurtenissen.filter((g: any) => g.soort === 'verzonden').length, 1, 'recorded as sent once');
});

t.test('a delivery reads no key file; a changed certificate is still taken up without a restart', async (t) => {
  // Wijkteam Noord's certificate as a file of this test's own, so it can be replaced.
  const dir = t.testdir();
  const noord = path.join(dir, 'wijkteam-noord.crt');
  let pki = '';
  const app = await build(t, {
    rollen: ['api', 'worker'],
    configAanpassen: (doc) => {
      pki = path.dirname(doc.afzender.certificaat);
      writeFileSync(noord, readFileSync(path.join(pki, 'recipients/wijkteam-noord.crt')));
      doc.wijkteams[0].certificaat = noord;
    },
  });
  const materiaal = app.draaiend.werkers!.materiaal;
  const bijStart = materiaal.gelezen;
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', canaryMelding(i % 2 ? '2020AB' : '2011DE', { referentie: `SLEUTEL-${i}` }));
    t.equal(res.status, 201);
    ids.push(res.body.id);
  }
  for (const id of ids) await status(app, id, 'verzonden');
  t.equal(materiaal.gelezen, bijStart, `5 deliveries (S/MIME and PGP) read no key file (${bijStart} reads at start)`);

  // Rotation at the recipient: its new certificate replaces the file (atomically, as an operator would).
  writeFileSync(`${noord}.nieuw`, readFileSync(path.join(pki, 'recipients/troubleshooter.crt')));
  renameSync(`${noord}.nieuw`, noord);
  await wachtOp(async () => materiaal.gelezen > bijStart);
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', canaryMelding('2011DE', { referentie: 'SLEUTEL-NIEUW' }));
  await status(app, res.body.id, 'verzonden');
  const bestand = await wachtOp(async () => app.sink!.bestanden().find((f) => kop(readFileSync(f, 'utf8'), 'Message-ID') === verwachteMessageId(app.config, res.body.id, 'melding-aan-wijkteam', 'wijkteam')));
  t.match(platteTekst(openSmime(bestand, app.pki, 'troubleshooter').inhoud), 'SLEUTEL-NIEUW', 'encrypted for the new certificate');
  t.throws(() => openSmime(bestand, app.pki, 'wijkteam-noord'), 'not for the old one');
});
