// Strict input: unknown fields are errors, refused fields are named with the reason, all errors at once,
// and malformed requests get a clear 4xx problem, never a 500.
import t from 'tap';
import { build, voorbeeldMelding } from '../helpers/build.js';

const ELAN = 'elan-wonen';

t.test('input validation', async (t) => {
  const app = await build(t);
  const post = (body: unknown, extra?: Parameters<typeof app.vraag>[4]) => app.vraag(ELAN, 'POST', '/v1/meldingen', body, extra);
  const reden = (res: { body: any }, naam: string) => res.body.invalidParams?.find((p: any) => p.name === naam)?.reason as string | undefined;

  t.test('fields refused by name with the reason (data minimisation)', async (t) => {
    const cases: [string, (m: any) => void, RegExp][] = [
      ['bsn', (m) => (m.bsn = '123456782'), /BSN/],
      ['huurder.burgerservicenummer', (m) => (m.huurder.burgerservicenummer = '123456782'), /BSN/],
      ['huurder.medischeGegevens', (m) => (m.huurder.medischeGegevens = 'x'), /medische/],
      ['diagnose', (m) => (m.diagnose = 'x'), /medische/],
      ['toelichting', (m) => (m.toelichting = 'lang verhaal'), /vrije tekst/],
      ['huishouden.opmerkingen', (m) => (m.huishouden.opmerkingen = 'x'), /vrije tekst/],
      ['achtergrond', (m) => (m.achtergrond = 'x'), /vrije tekst/],
      ['onbekendVeld', (m) => (m.onbekendVeld = 1), /onbekend veld/],
    ];
    for (const [naam, zet, verwacht] of cases) {
      const m = voorbeeldMelding();
      zet(m);
      const res = await post(m);
      t.equal(res.status, 400, naam);
      t.match(res.headers['content-type'], /^application\/problem\+json/, naam);
      t.match(reden(res, naam), verwacht, naam);
    }
  });

  t.test('every error listed at once', async (t) => {
    const m = voorbeeldMelding({ bsn: '1', soort: 'onzin' });
    m.huurder.geboortedatum = '1958-02-30';
    m.huurder.telefoonnummer = '12345';
    delete m.adres.straatnaam;
    m.adres.huisnummer = -1;
    m.huishouden.aantalBewoners = 'drie';
    const res = await post(m);
    t.equal(res.status, 400);
    t.match(res.body, { status: 400, title: 'Ongeldige invoer', detail: String });
    const namen = res.body.invalidParams.map((p: any) => p.name).sort();
    t.same(namen, ['adres.huisnummer', 'adres.straatnaam', 'bsn', 'huishouden.aantalBewoners', 'huurder.geboortedatum', 'huurder.telefoonnummer', 'soort'].sort());
    t.match(reden(res, 'adres.straatnaam'), /verplicht/);
    t.match(reden(res, 'huurder.geboortedatum'), /JJJJ-MM-DD/);
  });

  t.test('rules per soort', async (t) => {
    const zonderStappen = voorbeeldMelding();
    delete zonderStappen.stappen;
    delete zonderStappen.achterstand;
    let res = await post(zonderStappen);
    t.equal(res.status, 400);
    t.match(reden(res, 'stappen'), /Besluit/);
    t.match(reden(res, 'achterstand'), /art\. 3\.4/);

    const stapNietGezet = voorbeeldMelding();
    stapNietGezet.stappen.geenBezwaarHuurder = false;
    stapNietGezet.stappen.gewezenOpSchuldhulp = false;
    res = await post(stapNietGezet);
    t.equal(res.status, 400);
    t.same(res.body.invalidParams.map((p: any) => p.name).sort(), ['stappen.geenBezwaarHuurder', 'stappen.gewezenOpSchuldhulp']);

    res = await post(voorbeeldMelding({ soort: 'complexe-problematiek' }));
    t.equal(res.status, 400);
    t.match(reden(res, 'toestemming'), /toestemming van de huurder/);
    res = await post(voorbeeldMelding({ soort: 'complexe-problematiek', toestemming: { gegevenOp: '2026-10-02', vastgelegdDoor: 'A. de Vries' } }));
    t.equal(res.status, 201, 'complexe-problematiek with toestemming');

    res = await post(voorbeeldMelding({ soort: 'ontruimingsdatum-bekend' }));
    t.equal(res.status, 400);
    t.match(reden(res, 'ontruimingsdatum'), /art\. 8/);
    res = await post(voorbeeldMelding({ soort: 'ontruimingsdatum-bekend', ontruimingsdatum: '2027-01-15' }));
    t.equal(res.status, 201);

    const meerDan = voorbeeldMelding({ soort: 'meer-dan-huurachterstand' });
    delete meerDan.stappen;
    delete meerDan.achterstand;
    t.equal((await post(meerDan)).status, 201, 'art. 3.2 needs no arrears');
  });

  t.test('vorigeMelding must be an existing melding of the same corporation', async (t) => {
    const eerste = await post(voorbeeldMelding());
    t.equal((await post(voorbeeldMelding({ soort: 'betalingsregeling-niet-nagekomen', vorigeMelding: eerste.body.id }))).status, 201);
    const vreemd = await post(voorbeeldMelding({ vorigeMelding: '5f0c2b1e-0000-4000-8000-000000000000' }));
    t.equal(vreemd.status, 400);
    const vanAnder = await app.vraag('pre-wonen', 'POST', '/v1/meldingen', voorbeeldMelding({ vorigeMelding: eerste.body.id }));
    t.equal(vanAnder.status, 400, 'another corporation cannot link to it (nor learn that it exists)');
    t.same(vanAnder.body, vreemd.body);
  });

  t.test('malformed requests get a clear 4xx problem', async (t) => {
    const cases: [string, Parameters<typeof app.vraag>[4], number, RegExp][] = [
      ['malformed JSON', { ruw: '{"referentie": ', headers: { 'content-type': 'application/json' } }, 400, /geen geldige JSON/],
      ['empty body', { ruw: '', headers: { 'content-type': 'application/json' } }, 400, /leeg/],
      ['wrong content type', { ruw: 'referentie=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, /application\/json/],
      ['text/plain', { ruw: '{}', headers: { 'content-type': 'text/plain' } }, 415, /application\/json/],
      ['huge body', { ruw: JSON.stringify({ x: 'a'.repeat(200_000) }), headers: { 'content-type': 'application/json' } }, 413, /groter/],
      ['prototype poisoning', { ruw: '{"__proto__": {"x": 1}}', headers: { 'content-type': 'application/json' } }, 400, /./],
      ['a JSON array', { ruw: '[]', headers: { 'content-type': 'application/json' } }, 400, /./],
      ['a JSON string', { ruw: '"x"', headers: { 'content-type': 'application/json' } }, 400, /./],
    ];
    for (const [naam, extra, status, detail] of cases) {
      const res = await post(undefined, extra);
      t.equal(res.status, status, naam);
      t.match(res.headers['content-type'], /^application\/problem\+json/, naam);
      t.match(res.body, { status, title: String, detail }, naam);
    }
    t.equal((await app.vraag(ELAN, 'GET', '/v1/openapi.json')).status, 200, 'still serving');
  });
});
