// Privacy end to end: a canary melding goes through the whole flow (API, S/MIME delivery, portal,
// feedback, the corporation's feed, a refused request) and its personal data shows up nowhere it should
// not: not in logs, URLs, metrics, error messages, job payloads, raw mails, Redis or its AOF.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { Redis } from 'ioredis';
import t from 'tap';
import { build, wachtOp } from '../helpers/build.js';
import { openSmime, platteTekst, verwachteMessageId } from '../helpers/mail.js';
import { aofNaHerschrijven, leesInPortaal, redisDump } from '../helpers/privacy.js';
import { KANARIE, kanarieMelding } from '../helpers/portaal.js';
import { Sleutelring } from '../../src/store/sleutelring.js';

const PERSOONSGEGEVENS = [KANARIE.achternaam, KANARIE.telefoonnummer, KANARIE.straatnaam, KANARIE.relatienummer, KANARIE.woonplaats,
  KANARIE.postcode, KANARIE.postcodeWeergave, KANARIE.geboortedatumIso, KANARIE.geboortedatum, KANARIE.referentie];

const metrics = (port: number) => new Promise<string>((resolve, reject) => {
  request({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
    let s = '';
    res.on('data', (d: Buffer) => (s += d));
    res.on('end', () => resolve(s));
  }).on('error', reject).end();
});

t.test('the canary is nowhere but in the encrypted mail, the portal page and (encrypted) in Redis', async (t) => {
  const app = await build(t, { rollen: ['api', 'portal', 'worker'], redisArgs: ['--aof-use-rdb-preamble', 'no'] });
  const naarZuid = { ...kanarieMelding(), referentie: `${KANARIE.referentie}-Z` };
  const zuid = (await app.vraag('elan-wonen', 'POST', '/v1/meldingen', naarZuid)).body.id as string;
  const { bericht } = await leesInPortaal(app, 0);
  t.match(bericht.tekst, KANARIE.achternaam, 'the portal shows it to the wijkteam after the code');
  const naarNoord = { ...kanarieMelding(), referentie: `${KANARIE.referentie}-N`, adres: { ...kanarieMelding().adres, postcode: '2011DE' } };
  const post = await app.vraag('elan-wonen', 'POST', '/v1/meldingen', naarNoord);
  t.equal(post.status, 201);
  const noord = post.body.id as string;
  const id = verwachteMessageId(app.config, noord, 'melding-aan-wijkteam', 'wijkteam');
  const smime = () => app.sink!.bestanden().find((f) => readFileSync(f, 'utf8').includes(id));
  await wachtOp(async () => smime());
  t.match(platteTekst(openSmime(smime()!, app.pki, 'wijkteam-noord').inhoud), KANARIE.achternaam, 'the encrypted mail carries it');

  const fout = await app.vraag('elan-wonen', 'POST', '/v1/meldingen', {
    ...naarNoord, referentie: `${KANARIE.referentie}-F`, bsn: KANARIE.telefoonnummer,
    huurder: { ...naarNoord.huurder, telefoonnummer: `${KANARIE.achternaam}!`, geboortedatum: KANARIE.geboortedatum },
  });
  t.equal(fout.status, 400);
  for (const p of PERSOONSGEGEVENS) t.notOk(fout.tekst.includes(p), `error message: no ${p}`);
  const tk = { contactGelegd: true, inBehandeling: true, incassoHervatten: false, wilHulp: false, nietOpgepakt: null };
  t.equal((await app.vraag('wijkteam-haarlem', 'POST', `/v1/meldingen/${noord}/terugkoppeling`, tk, { headers: { traceparent: KANARIE.achternaam } })).status, 201);
  t.equal((await app.vraag('elan-wonen', 'GET', '/v1/terugkoppelingen')).status, 200);
  t.equal((await app.vraag('elan-wonen', 'GET', `/v1/meldingen/${zuid}`)).status, 200);
  t.equal((await app.vraag('elan-wonen', 'POST', `/v1/meldingen/${zuid}/intrekking`, { reden: 'achterstand-betaald' })).status, 201);

  const logs = app.logs();
  t.ok(logs.includes(noord) && logs.includes('/v1/meldingen'), 'the logs were captured (ids and routes are in them)');
  const r = new Redis(app.redis.url);
  t.teardown(() => r.disconnect());
  const hashes = [];
  for (const k of await r.keys(`${app.draaiend.sb.namen.bull()}:*`)) if ((await r.type(k)) === 'hash') hashes.push(k);
  const payloads = (await Promise.all(hashes.map((k) => r.hget(k, 'data')))).filter((d): d is string => !!d).map((d) => JSON.parse(d));
  t.ok(payloads.length >= 2, 'jobs to look at');
  for (const p of payloads) t.ok(Object.keys(p).every((k) => ['meldingId', 'bericht', 'ontvanger', 'werkdagenTeLaat', 'actie'].includes(k)), `job payload holds ids only: ${Object.keys(p)}`);
  const waar: [string, string][] = [
    ['logs', logs],
    ['metrics', await metrics(app.opsPort)],
    ['raw mails', app.sink!.bestanden().map((f) => readFileSync(f, 'latin1')).join('\n')],
    ['Redis', await redisDump(app.redis.url)],
    ['AOF', await aofNaHerschrijven(app.redis.url, app.redis.dir)],
  ];
  for (const [naam, tekst] of waar) for (const p of PERSOONSGEGEVENS) t.notOk(tekst.includes(p), `${naam}: no ${p}`);
  // Not in Redis because it is encrypted there (compressing alone would hide it from a text search too,
  // but the dump shows what inflates): the stored melding opens with the service's key only.
  const opgeslagen = (await r.hgetBuffer(app.draaiend.sb.namen.melding(noord), 'gegevens'))!;
  t.equal(Sleutelring.formaatVan(opgeslagen), 'v2', 'the melding is stored in the compact format');
  t.match(app.draaiend.sb.sleutels.ontsleutel(opgeslagen, noord), KANARIE.achternaam, 'and opens with the service key to the canary');
});
