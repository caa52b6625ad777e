// A regional hub's deadlines and escalations: each melding is escalated on its own
// gemeente's deadline (Haarlem 5 werkdagen, Hilversum 28) to its own gemeente's troubleshooter, never
// to the other's; Hilversum's mail goes out under its own sender identity, signed with its own key.
// Real SMTP sink; the mails are opened with openssl as the recipients would.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { build, voorbeeldMelding, wachtOp, type Gebouwd } from '../helpers/build.js';
import { alsRegionaleHub } from '../helpers/hub.js';
import { BASIS, termijnVan, testKlok } from '../helpers/klok.js';
import { kop, openSmime, platteTekst } from '../helpers/mail.js';

const YMERE = 'ymere';
const haal = async (app: Gebouwd, id: string) => (await app.vraag(YMERE, 'GET', `/v1/meldingen/${id}`)).body;
const mailsAan = (app: Gebouwd, adres: string) => app.sink!.bestanden().filter((f) => kop(readFileSync(f, 'utf8'), 'To')?.includes(adres));
const rust = (ms = 1200) => new Promise((r) => setTimeout(r, ms));
const na = (d: Date) => new Date(d.getTime() + 1000);

function melding(postcode: string) {
  const m = voorbeeldMelding();
  return { ...m, adres: { ...m.adres, postcode } };
}

/** Who signed the S/MIME entity inside the encryption (the signer certificate carried along). */
function ondertekenaar(getekend: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-signer-'));
  try {
    writeFileSync(path.join(dir, 'g.eml'), getekend);
    return execFileSync('openssl', ['cms', '-cmsout', '-print', '-in', 'g.eml'], { cwd: dir, encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

t.test('each melding escalates on its gemeente\'s deadline to its gemeente\'s troubleshooter only', async (t) => {
  const c = testKlok(BASIS);
  let pki = '';
  const app = await build(t, {
    rollen: ['api', 'worker'], klok: c.klok,
    configAanpassen: (d) => alsRegionaleHub(d, (pki = String(d.tls.ca[0]).replace(/\/ca\.crt$/, ''))),
  });
  t.ok(pki);
  const rHaarlem = await app.vraag(YMERE, 'POST', '/v1/meldingen', melding('2011DE'));
  const rHilversum = await app.vraag(YMERE, 'POST', '/v1/meldingen', melding('1215AB'));
  t.equal(rHaarlem.status, 201);
  t.equal(rHilversum.status, 201);
  const haarlem = rHaarlem.body.id as string;
  const hilversum = rHilversum.body.id as string;
  await wachtOp(async () => (await haal(app, haarlem)).status === 'verzonden' && (await haal(app, hilversum)).status === 'verzonden');

  // The melding itself: Hilversum's wijkteam gets it From Hilversum's own sender, signed with its key.
  const aanWijkteam = mailsAan(app, 'wijkteam@hilversum.example');
  t.equal(aanWijkteam.length, 1);
  const eml = readFileSync(aanWijkteam[0]!, 'utf8');
  t.match(kop(eml, 'From'), /signaalbrug@hilversum\.example/, 'From Hilversum\'s own address');
  const open = openSmime(aanWijkteam[0]!, pki, 'wijkteam-hilversum');
  t.match(ondertekenaar(open.getekend), /subject: O=Gemeente Hilversum, CN=Signaalbrug Hilversum/, 'signed with Hilversum\'s own key');
  t.match(kop(readFileSync(mailsAan(app, 'wijkteam-noord@haarlem.example')[0]!, 'utf8'), 'From'), /signaalbrug@haarlem\.example/,
    'Haarlem has no identity of its own: the deployment\'s');

  // Past Haarlem's deadline (5 werkdagen): only the Haarlem melding escalates, to Haarlem's troubleshooter.
  c.zet(na(termijnVan(BASIS, 5).verstreken));
  await wachtOp(async () => mailsAan(app, 'troubleshooter@haarlem.example').length === 1);
  await rust();
  t.equal((await haal(app, haarlem)).status, 'geescaleerd');
  t.equal((await haal(app, hilversum)).status, 'verzonden', 'Hilversum\'s melding still has 23 werkdagen');
  t.equal(mailsAan(app, 'troubleshooter@hilversum.example').length, 0);
  const escalatieHaarlem = platteTekst(openSmime(mailsAan(app, 'troubleshooter@haarlem.example')[0]!, pki, 'troubleshooter').inhoud);
  t.match(escalatieHaarlem, 'Sociaal Wijkteam Noord');

  // Past Hilversum's deadline (28 werkdagen): its escalation goes to Hilversum's troubleshooter, not Haarlem's.
  c.zet(na(termijnVan(BASIS, 28).verstreken));
  await wachtOp(async () => mailsAan(app, 'troubleshooter@hilversum.example').length === 1);
  await wachtOp(async () => mailsAan(app, 'coordinator@haarlem.example').length === 1);
  await rust();
  t.equal((await haal(app, hilversum)).status, 'geescaleerd');
  t.equal(mailsAan(app, 'troubleshooter@haarlem.example').length, 1, 'Haarlem\'s troubleshooter got nothing of Hilversum');
  const hv = mailsAan(app, 'troubleshooter@hilversum.example')[0]!;
  t.match(kop(readFileSync(hv, 'utf8'), 'From'), /signaalbrug@hilversum\.example/);
  const escalatieHilversum = platteTekst(openSmime(hv, pki, 'troubleshooter-hilversum').inhoud);
  t.match(escalatieHilversum, 'Sociaal Wijkteam Hilversum');
  t.match(escalatieHilversum, '(protocol fase A)', 'the article of Hilversum\'s own convenant');
  t.match(escalatieHaarlem, '(art. 3.4)', 'Haarlem keeps the articles of its convenant');
  t.throws(() => openSmime(hv, pki, 'troubleshooter'), 'Haarlem\'s troubleshooter key does not open it');

  // Every delivery of each melding went to its own gemeente's mailboxes.
  for (const [id, domein] of [[haarlem, 'haarlem.example'], [hilversum, 'hilversum.example']] as const) {
    const ontvangers = (await haal(app, id)).gebeurtenissen.filter((g: any) => g.ontvanger?.includes('@')).map((g: any) => g.ontvanger as string);
    t.ok(ontvangers.length >= 2, `${domein}: melding and escalation delivered`);
    t.ok(ontvangers.every((o: string) => o.endsWith(`@${domein}`)), `${domein}: ${ontvangers.join(', ')}`);
  }
  // Hilversum's further terms were recorded on its own case only.
  const soorten = async (id: string) => (await haal(app, id)).gebeurtenissen.map((g: any) => `${g.soort}:${g.termijn ?? g.naam ?? ''}`).join(' ');
  t.match(await soorten(hilversum), /huisbezoek/);
  t.notMatch(await soorten(haarlem), /huisbezoek/);
});
