// POST/GET /v1/meldingen over real mutual TLS against a real Redis.
import { Redis } from 'ioredis';
import t from 'tap';
import { build, voorbeeldMelding } from '../helpers/build.js';
import { termijnVan, testKlok } from '../helpers/klok.js';

const ELAN = 'elan-wonen';

t.test('a valid melding is stored and routed: 201, Location, deadline', async (t) => {
  // The deadline is the 5th werkdag after the Amsterdam date of receipt (the calendar itself is
  // tested in domain/werkdagen and by `signaalbrug termijn`).
  const c = testKlok();
  const { uiterlijk } = termijnVan(c.nu());
  const app = await build(t, { klok: c.klok });
  const m = voorbeeldMelding();
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', m);
  t.equal(res.status, 201, res.tekst);
  t.match(res.headers['content-type'], /^application\/json/);
  t.match(res.body, { status: 'ontvangen', wijkteam: 'Sociaal Wijkteam Noord', terugkoppelingUiterlijk: uiterlijk });
  t.equal(res.headers.location, `/v1/meldingen/${res.body.id}`);
  t.equal(res.headers['api-version'], '1.0.0');

  const get = await app.vraag(ELAN, 'GET', res.headers.location as string);
  t.equal(get.status, 200);
  t.match(get.body, {
    id: res.body.id, referentie: m.referentie, soort: 'huurachterstand', status: 'ontvangen', wijkteam: 'Sociaal Wijkteam Noord',
    ontvangenOp: c.nu().toISOString(), terugkoppelingUiterlijk: uiterlijk, gebeurtenissen: [{ soort: 'ontvangen', op: c.nu().toISOString() }],
  });
  t.notOk('huurder' in get.body, 'GET does not echo personal data');

  const wijkteam = await app.vraag('wijkteam-haarlem', 'GET', res.headers.location as string);
  t.equal(wijkteam.status, 200, 'the gemeente the melding was routed to may read it');
});

t.test('routing by postcode to each wijkteam; outside every range is a 400 that says so', async (t) => {
  const app = await build(t);
  for (const [postcode, wijkteam] of [['2011DE', 'Noord'], ['2019 AB', 'Noord'], ['2020AA', 'Oost'], ['2039ZZ', 'Zuid']] as const) {
    const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ adres: { ...voorbeeldMelding().adres, postcode } }));
    t.equal(res.status, 201, postcode);
    t.equal(res.body.wijkteam, `Sociaal Wijkteam ${wijkteam}`, postcode);
  }
  const buiten = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ adres: { ...voorbeeldMelding().adres, postcode: '1012AB' } }));
  t.equal(buiten.status, 400);
  t.match(buiten.headers['content-type'], /^application\/problem\+json/);
  t.match(buiten.body, { status: 400, title: 'Postcode buiten werkgebied', invalidParams: [{ name: 'adres.postcode', reason: /werkgebied/ }] });
});

t.test('idempotent on (OIN, referentie): replay is 200 with the same id, a different body is 409', async (t) => {
  const app = await build(t);
  const m = voorbeeldMelding();
  const eerste = await app.vraag(ELAN, 'POST', '/v1/meldingen', m);
  t.equal(eerste.status, 201);
  // Same content, keys in another order: still the same melding.
  const herschikt = { stappen: m.stappen, ...m, huurder: { ...m.huurder } };
  const tweede = await app.vraag(ELAN, 'POST', '/v1/meldingen', herschikt);
  t.equal(tweede.status, 200);
  t.equal(tweede.body.id, eerste.body.id);
  t.equal(tweede.headers.location, eerste.headers.location);

  const anders = await app.vraag(ELAN, 'POST', '/v1/meldingen', { ...m, huishouden: { aantalBewoners: 4 } });
  t.equal(anders.status, 409);
  t.match(anders.body, { status: 409, title: 'Conflict', detail: /referentie/ });

  // The same referentie from another corporation is another melding.
  const ander = await app.vraag('pre-wonen', 'POST', '/v1/meldingen', m);
  t.equal(ander.status, 201);
  t.not(ander.body.id, eerste.body.id);

  const aantal = await countKeys(app.redis.url, app.draaiend.sb.namen.melding('*'));
  t.equal(aantal, 2, 'two cases stored, not three');
});

t.test('a melding exists only for its sender and its wijkteam organisation', async (t) => {
  const app = await build(t);
  const res = await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding());
  for (const ander of ['pre-wonen', 'ymere']) {
    const get = await app.vraag(ander, 'GET', `/v1/meldingen/${res.body.id}`);
    t.equal(get.status, 404, ander);
    t.match(get.body, { status: 404, title: 'Niet gevonden' });
  }
  const onbekendId = await app.vraag(ELAN, 'GET', '/v1/meldingen/5f0c2b1e-0000-4000-8000-000000000000');
  const anderNotFound = await app.vraag('ymere', 'GET', `/v1/meldingen/${res.body.id}`);
  t.same(anderNotFound.body, onbekendId.body, 'no difference between "not yours" and "does not exist"');
  t.equal((await app.vraag(ELAN, 'GET', '/v1/meldingen/niet-een-id')).status, 404);
});

t.test('roles: the gemeente cannot post meldingen', async (t) => {
  const app = await build(t);
  const res = await app.vraag('wijkteam-haarlem', 'POST', '/v1/meldingen', voorbeeldMelding());
  t.equal(res.status, 403);
  t.match(res.body, { title: 'Niet toegestaan voor deze organisatie' });
});

t.test('NL API Design Rules: headers, openapi, no trailing slash, problem+json everywhere', async (t) => {
  const app = await build(t);
  const doc = await app.vraag(ELAN, 'GET', '/v1/openapi.json');
  t.equal(doc.status, 200);
  t.equal(doc.body.openapi, '3.1.0');
  t.ok(doc.body.components.schemas.Melding.properties.huurder, 'schema generated from zod');
  t.equal(doc.body.components.schemas.Melding.additionalProperties, false);
  const onbekend = await app.vraag('onbekend', 'GET', '/v1/openapi.json');
  t.equal(onbekend.status, 200, 'the OpenAPI document is public to any valid certificate');
  for (const [k, v] of Object.entries({
    'api-version': '1.0.0', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff',
    'strict-transport-security': /max-age=\d+/, 'content-security-policy': /frame-ancestors 'none'/,
  })) t.match(doc.headers[k], v, k);

  const slash = await app.vraag(ELAN, 'GET', '/v1/meldingen/');
  t.equal(slash.status, 404);
  t.match(slash.headers['content-type'], /problem\+json/);
  t.equal(slash.headers['api-version'], '1.0.0');
  const methode = await app.vraag(ELAN, 'DELETE', '/v1/meldingen');
  t.ok(methode.status === 404 || methode.status === 405);
  t.match(methode.headers['content-type'], /problem\+json/);
});

async function countKeys(url: string, pattern: string): Promise<number> {
  const { Redis } = await import('ioredis');
  const r = new Redis(url);
  const keys = await r.keys(pattern);
  r.disconnect();
  return keys.length;
}

t.test('intake writes take turns on redis.intakeVerbindingen connections', async (t) => {
  const app = await build(t, { configAanpassen: (doc) => ((doc.redis as Record<string, unknown>).intakeVerbindingen = 3) });
  const r = new Redis(app.redis.url);
  t.teardown(() => r.disconnect());
  await r.config('RESETSTAT');
  for (let i = 0; i < 6; i++)
    t.equal((await app.vraag(ELAN, 'POST', '/v1/meldingen', voorbeeldMelding({ referentie: `VERB-${i}`, huurder: { ...voorbeeldMelding().huurder, relatienummer: `VERB-${i}` } }))).status, 201);
  const clients = (await r.client('LIST')) as string;
  const namen = [...clients.matchAll(/name=(signaalbrug:\S+)/g)].map((m) => m[1]).sort();
  t.same(namen, ['signaalbrug:api', 'signaalbrug:api-intake-1', 'signaalbrug:api-intake-2']);
  // Each extra connection ran the intake script, round robin (the first one also serves the API's
  // reads, so its last command may be a read).
  for (const regel of clients.split('\n').filter((l) => l.includes('name=signaalbrug:api-intake')))
    t.match(regel, /cmd=eval(sha)? /, regel.match(/name=\S+/)?.[0] ?? regel);
  const stats = await r.info('commandstats');
  const aanroepen = (cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
  t.equal(aanroepen('xadd'), 18, 'six cases written (an outbox entry, a logboek record and a corporation index entry each)');
  t.equal(await countKeys(app.redis.url, app.draaiend.sb.namen.melding('*')), 6, 'six cases stored');
  // Six tenants' first meldingen: the script looks for an earlier melding itself.
  t.equal(aanroepen('evalsha') + aanroepen('eval'), 6, 'six intake scripts, no more');
});
