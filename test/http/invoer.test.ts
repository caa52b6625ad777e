// Strict input: unknown fields are errors, refused fields are named with the reason, all errors at once,
// and malformed requests get a clear 4xx problem, never a 500. Names must show and dates be plausible
// on the service's own day (test clock: helpers/klok.ts).
import t from 'tap';
import { amsterdamDatum } from '../../src/domain/werkdagen.js';
import { build, voorbeeldMelding } from '../helpers/build.js';
import { BASIS, plusDagen, testKlok } from '../helpers/klok.js';

const ELAN = 'elan-wonen';
const DAG = 86_400_000;

t.test('input validation', async (t) => {
  const klok = testKlok();
  const vandaag = amsterdamDatum(BASIS);
  const app = await build(t, { klok: klok.klok });
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
    res = await post(voorbeeldMelding({ soort: 'complexe-problematiek', toestemming: { gegevenOp: plusDagen(vandaag, -7), vastgelegdDoor: 'A. de Vries' } }));
    t.equal(res.status, 201, 'complexe-problematiek with toestemming');

    res = await post(voorbeeldMelding({ soort: 'ontruimingsdatum-bekend' }));
    t.equal(res.status, 400);
    t.match(reden(res, 'ontruimingsdatum'), /art\. 8/);
    res = await post(voorbeeldMelding({ soort: 'ontruimingsdatum-bekend', ontruimingsdatum: plusDagen(vandaag, 45) }));
    t.equal(res.status, 201);

    const meerDan = voorbeeldMelding({ soort: 'meer-dan-huurachterstand' });
    delete meerDan.stappen;
    delete meerDan.achterstand;
    t.equal((await post(meerDan)).status, 201, 'art. 3.2 needs no arrears');
  });

  t.test('per-soort errors listed beside base errors, in one 400', async (t) => {
    const namen = (res: { body: any }) => (res.body.invalidParams ?? []).map((p: any) => p.name).sort();
    // Base errors of different kinds: a failed format, a wrong type, a missing object, a refused field.
    const basis: [string, (m: any) => void, string[]][] = [
      ['none', () => {}, []],
      ['postcode', (m) => (m.adres.postcode = '0000XX'), ['adres.postcode']],
      ['aantalBewoners a string', (m) => (m.huishouden.aantalBewoners = 'drie'), ['huishouden.aantalBewoners']],
      ['no huurder, adres not an object', (m) => { delete m.huurder; m.adres = 'Kleine Houtstraat 12'; }, ['adres', 'huurder']],
      ['bsn and a numeric referentie', (m) => { m.bsn = '123456782'; m.referentie = 42; }, ['bsn', 'referentie']],
    ];
    // [soort, what, change, errors of the per-soort rules, other errors the change makes]
    const perSoort: [string, string, (m: any) => void, string[], string[]][] = [
      ['huurachterstand', 'no achterstand', (m) => delete m.achterstand, ['achterstand'], []],
      ['huurachterstand', 'no stappen', (m) => delete m.stappen, ['stappen'], []],
      ['huurachterstand', 'neither', (m) => { delete m.achterstand; delete m.stappen; }, ['achterstand', 'stappen'], []],
      ['huurachterstand', 'two steps not taken', (m) => { m.stappen.gewezenOpSchuldhulp = false; m.stappen.geenBezwaarHuurder = false; },
        ['stappen.geenBezwaarHuurder', 'stappen.gewezenOpSchuldhulp'], []],
      // A step of the wrong type is listed once (its type error); a step set to false beside it still counts.
      ['huurachterstand', 'a step of the wrong type, another false', (m) => { m.stappen.persoonlijkContactGezocht = 'ja'; m.stappen.geenBezwaarHuurder = false; },
        ['stappen.geenBezwaarHuurder'], ['stappen.persoonlijkContactGezocht']],
      ['huurachterstand', 'a wrong date in stappen, no achterstand', (m) => { m.stappen.herinneringVerstuurdOp = '2026-02-30'; delete m.achterstand; },
        ['achterstand'], ['stappen.herinneringVerstuurdOp']],
      ['complexe-problematiek', 'no toestemming', () => {}, ['toestemming'], []],
      ['ontruimingsdatum-bekend', 'no ontruimingsdatum', () => {}, ['ontruimingsdatum'], []],
    ];
    for (const [soort, wat, zetSoort, regelNamen, andereNamen] of perSoort)
      for (const [basisWat, zetBasis, basisNamen] of basis) {
        const naam = `${soort}, ${wat}; base errors: ${basisWat}`;
        const m = voorbeeldMelding({ soort });
        zetSoort(m);
        zetBasis(m);
        const res = await post(m);
        t.equal(res.status, 400, naam);
        t.match(res.headers['content-type'], /^application\/problem\+json/, naam);
        t.same(namen(res), [...basisNamen, ...regelNamen, ...andereNamen].sort(), naam);
        for (const veld of regelNamen) t.match(reden(res, veld), /^(verplicht bij soort|moet true zijn)/, `${naam}: ${veld}`);
      }

    // A present but malformed field is listed once, with its own error, not also as missing.
    for (const [soort, veld, waarde] of [
      ['ontruimingsdatum-bekend', 'ontruimingsdatum', ''], ['ontruimingsdatum-bekend', 'ontruimingsdatum', null],
      ['complexe-problematiek', 'toestemming', 'ja'], ['huurachterstand', 'achterstand', null], ['huurachterstand', 'stappen', []],
    ] as const) {
      const res = await post(voorbeeldMelding({ soort, [veld]: waarde, huishouden: { aantalBewoners: 0 } }));
      t.same(namen(res), ['huishouden.aantalBewoners', veld].sort(), `${soort} with ${veld}: ${JSON.stringify(waarde)}`);
      t.notMatch(reden(res, veld), /verplicht bij soort/, `${soort} with ${veld}: ${JSON.stringify(waarde)}`);
    }

    // Without a valid soort no per-soort rule applies: only the errors that are there.
    const onzin = voorbeeldMelding({ soort: 'onzin' });
    delete onzin.achterstand;
    onzin.adres.postcode = '0000XX';
    t.same(namen(await post(onzin)), ['adres.postcode', 'soort']);
    const geenSoort = voorbeeldMelding();
    delete geenSoort.soort;
    delete geenSoort.stappen;
    t.same(namen(await post(geenSoort)), ['soort']);
  });

  t.test('every error at once: huurachterstand without achterstand, a wrong postcode and a string for aantalBewoners', async (t) => {
    const m = voorbeeldMelding({ soort: 'huurachterstand' });
    delete m.achterstand;
    m.adres.postcode = '0000XX';
    m.huishouden.aantalBewoners = '3';
    const res = await post(m);
    t.equal(res.status, 400);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.same(res.body.invalidParams.map((p: any) => p.name).sort(), ['achterstand', 'adres.postcode', 'huishouden.aantalBewoners']);
    t.match(reden(res, 'achterstand'), /verplicht bij soort huurachterstand \(convenant art\. 3\.4\)/);
    t.match(reden(res, 'adres.postcode'), /postcode als 2011DE/);
    t.match(reden(res, 'huishouden.aantalBewoners'), /getal/);
  });

  t.test('names must show: a letter of a script, nothing invisible, no mark without its letter', async (t) => {
    const velden: [string, (m: any, w: string) => void][] = [
      ['huurder.achternaam', (m, w) => (m.huurder.achternaam = w)],
      ['huurder.tussenvoegsel', (m, w) => (m.huurder.tussenvoegsel = w)],
      ['adres.straatnaam', (m, w) => (m.adres.straatnaam = w)],
      ['adres.woonplaats', (m, w) => (m.adres.woonplaats = w)],
      ['toestemming.vastgelegdDoor', (m, w) => (m.toestemming = { gegevenOp: vandaag, vastgelegdDoor: w })],
    ];
    const fout: [string, string, RegExp][] = [
      ['HANGUL FILLER', '\u3164', /onzichtbaar/],
      ['HANGUL CHOSEONG FILLER', '\u115F', /onzichtbaar/],
      ['HALFWIDTH HANGUL FILLER beside a letter', 'Dijk\uFFA0', /onzichtbaar/],
      ['ZERO WIDTH SPACE', '\u200B', /onzichtbaar/],
      ['a zero-width joiner inside a name', 'Di\u200Djk', /onzichtbaar/],
      ['a combining mark alone', '\u0301', /los accentteken/],
      ['a combining mark after a space', 'Dijk \u0301', /los accentteken/],
      ['a stack of marks', 'D\u0301\u0302\u0303\u0304ijk', /te veel accenttekens/],
      ['a full stop only', '.', /minstens één letter/],
      ['punctuation and digits only', "12-'(3)", /minstens één letter/],
      ['spaces around a dot', '  .  ', /minstens één letter/],
      ['empty after trimming', '   ', /mag niet leeg zijn/],
    ];
    for (const [veld, zet] of velden) {
      for (const [wat, waarde, verwacht] of fout) {
        const m = voorbeeldMelding();
        zet(m, waarde);
        const res = await post(m);
        t.equal(res.status, 400, `${veld}: ${wat}`);
        t.same(res.body.invalidParams?.map((p: any) => p.name), [veld], `${veld}: ${wat}, listed once`);
        t.match(reden(res, veld), verwacht, `${veld}: ${wat}`);
      }
      for (const waarde of ['Dijk', "d'Ancona", 'Ñúñez-Ørsted', 'Nguyễn', '김', 'Ἀθῆναι', '2e Hugo de Groot']) {
        const m = voorbeeldMelding();
        zet(m, waarde);
        t.equal((await post(m)).status, 201, `${veld}: ${JSON.stringify(waarde)} is a name`);
      }
    }
  });

  t.test('names are stored in one Unicode form (NFC): the same name typed two ways is the same melding', async (t) => {
    const samengesteld = voorbeeldMelding();
    Object.assign(samengesteld.huurder, { voorletters: 'É.', achternaam: 'Ørsted-Lefèvre' });
    samengesteld.adres.woonplaats = 'Hoogkarspel-Süd';
    const los = structuredClone(samengesteld);
    Object.assign(los.huurder, { voorletters: 'E\u0301.', achternaam: 'Ørsted-Lefe\u0300vre' });
    los.adres.woonplaats = 'Hoogkarspel-Su\u0308d';
    t.not(JSON.stringify(los), JSON.stringify(samengesteld), 'two encodings');
    const eerste = await post(samengesteld);
    t.equal(eerste.status, 201);
    const tweede = await post(los);
    t.equal(tweede.status, 200, 'the decomposed form is a replay, not a conflicting melding');
    t.equal(tweede.body.id, eerste.body.id);
  });

  t.test('dates within plausible ranges of the service day', async (t) => {
    const ontruiming = (d: string) => voorbeeldMelding({ soort: 'ontruimingsdatum-bekend', ontruimingsdatum: d });
    const metAchterstand = (d: string) => { const m = voorbeeldMelding(); m.achterstand.ontstaanOp = d; return m; };
    const metHerinnering = (d: string) => { const m = voorbeeldMelding(); m.stappen.herinneringVerstuurdOp = d; return m; };
    const geboren = (d: string) => { const m = voorbeeldMelding(); m.huurder.geboortedatum = d; return m; };
    const toestemming = (d: string) => voorbeeldMelding({ soort: 'complexe-problematiek', toestemming: { gegevenOp: d, vastgelegdDoor: 'A. de Vries' } });
    // [field, melding with that date, date, undefined if accepted or the reason]
    const cases: [string, (d: string) => any, string, RegExp | undefined][] = [
      ['huurder.geboortedatum', geboren, '0000-01-01', /niet vóór 1900-01-01/],
      ['huurder.geboortedatum', geboren, '1899-12-31', /niet vóór 1900-01-01/],
      ['huurder.geboortedatum', geboren, '1900-01-01', undefined],
      ['huurder.geboortedatum', geboren, vandaag, undefined],
      ['huurder.geboortedatum', geboren, plusDagen(vandaag, 1), /niet na vandaag/],
      ['huurder.geboortedatum', geboren, plusDagen(vandaag, 365 * 60), /niet na vandaag/],
      ['ontruimingsdatum', ontruiming, '1900-01-01', /meer dan 14 dagen in het verleden/],
      ['ontruimingsdatum', ontruiming, plusDagen(vandaag, -15), /meer dan 14 dagen in het verleden/],
      ['ontruimingsdatum', ontruiming, plusDagen(vandaag, -14), undefined],
      ['ontruimingsdatum', ontruiming, vandaag, undefined],
      ['ontruimingsdatum', ontruiming, plusDagen(vandaag, 730), undefined],
      ['ontruimingsdatum', ontruiming, plusDagen(vandaag, 731), /meer dan 2 jaar in de toekomst/],
      ['ontruimingsdatum', ontruiming, '9999-12-31', /meer dan 2 jaar in de toekomst/],
      ['achterstand.ontstaanOp', metAchterstand, '1999-12-31', /niet vóór 2000-01-01/],
      ['achterstand.ontstaanOp', metAchterstand, '2000-01-01', undefined],
      ['achterstand.ontstaanOp', metAchterstand, vandaag, undefined],
      ['achterstand.ontstaanOp', metAchterstand, plusDagen(vandaag, 1), /niet na vandaag/],
      ['stappen.herinneringVerstuurdOp', metHerinnering, vandaag, undefined],
      ['stappen.herinneringVerstuurdOp', metHerinnering, plusDagen(vandaag, 1), /niet na vandaag/],
      ['toestemming.gegevenOp', toestemming, vandaag, undefined],
      ['toestemming.gegevenOp', toestemming, plusDagen(vandaag, 1), /niet na vandaag/],
    ];
    for (const [veld, melding, datum, verwacht] of cases) {
      const res = await post(melding(datum));
      const naam = `${veld} ${datum} (today ${vandaag})`;
      if (!verwacht) {
        t.equal(res.status, 201, `${naam}: accepted`);
        continue;
      }
      t.equal(res.status, 400, naam);
      t.same(res.body.invalidParams?.map((p: any) => p.name), [veld], `${naam}: listed once`);
      t.match(reden(res, veld), verwacht, naam);
    }
    // A date rule runs beside other errors, and not on a date that is no date.
    const beide = geboren(plusDagen(vandaag, 1));
    beide.adres.postcode = '0000XX';
    beide.achterstand.ontstaanOp = '2026-02-30';
    const res = await post(beide);
    t.same(res.body.invalidParams.map((p: any) => p.name).sort(), ['achterstand.ontstaanOp', 'adres.postcode', 'huurder.geboortedatum']);
    t.match(reden(res, 'achterstand.ontstaanOp'), /JJJJ-MM-DD/);
  });

  t.test('"today" is the service clock, not the host clock', async (t) => {
    t.teardown(() => void klok.zet(BASIS));
    const ontstaan = (d: string) => { const m = voorbeeldMelding({ soort: 'meer-dan-huurachterstand' }); delete m.stappen; m.achterstand.ontstaanOp = d; return m; };
    // Whatever the host's date, one of these two disagrees with it: together they prove the clock.
    klok.zet(BASIS.getTime() + 1000 * DAG);
    t.equal((await post(ontstaan(plusDagen(vandaag, 500)))).status, 201, 'the service is 1000 days ahead: a date 500 days ahead is past');
    klok.zet(BASIS.getTime() - 1000 * DAG);
    const res = await post(ontstaan(plusDagen(vandaag, -500)));
    t.equal(res.status, 400, 'the service is 1000 days behind: a date 500 days back is still ahead');
    t.match(reden(res, 'achterstand.ontstaanOp'), new RegExp(`niet na vandaag \\(${amsterdamDatum(klok.nu())}\\)`));
  });

  t.test('counts are whole numbers (aantalMaanden: whole or half months)', async (t) => {
    const cases: [string, (m: any, w: number) => void, number, boolean][] = [
      ['achterstand.aantalMaanden', (m, w) => (m.achterstand.aantalMaanden = w), 1e-320, false],
      ['achterstand.aantalMaanden', (m, w) => (m.achterstand.aantalMaanden = w), 5e-324, false],
      ['achterstand.aantalMaanden', (m, w) => (m.achterstand.aantalMaanden = w), 0.3, false],
      ['achterstand.aantalMaanden', (m, w) => (m.achterstand.aantalMaanden = w), 2.0000000001, false],
      ['achterstand.aantalMaanden', (m, w) => (m.achterstand.aantalMaanden = w), 1.5, true],
      ['achterstand.aantalMaanden', (m, w) => (m.achterstand.aantalMaanden = w), 0, true],
      ['huishouden.aantalBewoners', (m, w) => (m.huishouden.aantalBewoners = w), 1e-320, false],
      ['huishouden.aantalBewoners', (m, w) => (m.huishouden.aantalBewoners = w), 2.5, false],
      ['adres.huisnummer', (m, w) => (m.adres.huisnummer = w), 1e-320, false],
      ['adres.huisnummer', (m, w) => (m.adres.huisnummer = w), 12.5, false],
      ['achterstand.bedragInCenten', (m, w) => (m.achterstand.bedragInCenten = w), 1e-320, false],
    ];
    for (const [veld, zet, waarde, goed] of cases) {
      const m = voorbeeldMelding();
      zet(m, waarde);
      const res = await post(m);
      t.equal(res.status, goed ? 201 : 400, `${veld} ${waarde}`);
      if (!goed) t.same(res.body.invalidParams?.map((p: any) => p.name), [veld], `${veld} ${waarde}: listed once`);
    }
  });

  t.test('invalidParams lists at most 50 errors and counts the rest', async (t) => {
    const m: Record<string, unknown> = voorbeeldMelding();
    for (let i = 0; i < 5000; i++) m[`k${i}`] = 1;
    const res = await post(m);
    t.equal(res.status, 400);
    t.comment(`5000 unknown keys: a ${res.tekst.length} byte answer`);
    t.ok(res.tekst.length < 8192, `a small answer (${res.tekst.length} bytes)`);
    t.equal(res.body.invalidParams.length, 51);
    t.same(res.body.invalidParams.slice(0, 50).map((p: any) => p.name), Array.from({ length: 50 }, (_, i) => `k${i}`), 'the first 50, in input order');
    t.same(res.body.invalidParams[50], { name: '(meer)', reason: 'nog 4950 fouten niet getoond (hoogstens 50 per antwoord; 5000 in totaal)' });

    const precies = voorbeeldMelding();
    for (let i = 0; i < 50; i++) precies[`k${i}`] = 1;
    const vijftig = await post(precies);
    t.equal(vijftig.body.invalidParams.length, 50, 'exactly 50: no count entry');
    t.notOk(vijftig.body.invalidParams.some((p: any) => p.name === '(meer)'));

    const lang = voorbeeldMelding({ ['x'.repeat(20_000)]: 1 });
    const kort = await post(lang);
    t.equal(kort.status, 400);
    t.ok(kort.body.invalidParams[0].name.length <= 200, 'an overlong key is not echoed whole');
    t.ok(kort.tekst.length < 2048, `a ${kort.tekst.length} byte answer to a 20 000 character key`);
  });

  t.test('a body that is not an object is a clean 400', async (t) => {
    for (const body of [null, 42, true, 'melding', [], [voorbeeldMelding()]]) {
      const naam = JSON.stringify(body).slice(0, 30);
      const res = await post(undefined, { ruw: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      t.equal(res.status, 400, naam);
      t.match(res.headers['content-type'], /^application\/problem\+json/, naam);
      t.match(res.body, { status: 400, title: 'Ongeldige invoer' }, naam);
      t.same(res.body.invalidParams?.map((p: any) => p.name), ['(body)'], naam);
    }
  });

  t.test('terugkoppeling: the schema rule listed beside base errors', async (t) => {
    const melding = await post(voorbeeldMelding());
    t.equal(melding.status, 201);
    const geef = (body: unknown) => app.vraag('wijkteam-haarlem', 'POST', `/v1/meldingen/${melding.body.id}/terugkoppeling`, body);
    const tegenstrijdig = { contactGelegd: 'ja', inBehandeling: true, incassoHervatten: false, nietOpgepakt: 'verhuisd' };
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['rule and a wrong type', tegenstrijdig, ['contactGelegd', 'inBehandeling']],
      ['rule and missing fields', { inBehandeling: true, nietOpgepakt: 'overleden' }, ['contactGelegd', 'inBehandeling', 'incassoHervatten']],
      ['inBehandeling of the wrong type is listed once', { contactGelegd: true, inBehandeling: 'ja', incassoHervatten: false, nietOpgepakt: 'verhuisd' }, ['inBehandeling']],
      ['unknown nietOpgepakt: no rule', { contactGelegd: true, inBehandeling: true, incassoHervatten: 1, nietOpgepakt: 'geemigreerd' }, ['incassoHervatten', 'nietOpgepakt']],
    ];
    for (const [naam, body, verwacht] of cases) {
      const res = await geef(body);
      t.equal(res.status, 400, naam);
      t.same(res.body.invalidParams.map((p: any) => p.name).sort(), verwacht.sort(), naam);
    }
    t.match(reden(await geef(tegenstrijdig), 'inBehandeling'), /niet is opgepakt/);
    for (const body of [null, 7, [], 'x']) {
      const res = await geef(body);
      t.equal(res.status, 400, `terugkoppeling ${JSON.stringify(body)}`);
      t.same(res.body.invalidParams?.map((p: any) => p.name), ['(body)'], `terugkoppeling ${JSON.stringify(body)}`);
    }
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
