// Key rotation with the service under light load (bounded: at most 60 meldingen, a few seconds):
// `sleutel toevoegen` makes a new key active, the running service takes it up without a restart,
// `sleutel roteer` re-encrypts everything while meldingen and feedback keep coming; nothing is lost
// and afterwards no ciphertext with the old key id remains.
import t from 'tap';
import { build, voorbeeldMelding, wachtOp } from '../helpers/build.js';
import { cli, cliProces } from '../helpers/cli.js';

const tk = { contactGelegd: true, inBehandeling: true, incassoHervatten: false, wilHulp: true, nietOpgepakt: null };

t.test('rotation under load loses nothing and leaves no old key id', async (t) => {
  const app = await build(t, { rollen: ['api', 'worker'], configAanpassen: (d) => (d.versleuteling.herlaadSeconden = 0.2) });
  const env = { SIGNAALBRUG_CONFIG: app.configBestand };
  const verstuurd = new Map<string, { referentie: string; terugkoppeling: boolean }>();
  let stoppen = false;
  const last = (async () => {
    for (let i = 0; i < 60 && !stoppen; i++) {
      // Each its own tenant: the count below is one ciphertext per case and per feedback.
      const m = voorbeeldMelding({ huurder: { ...voorbeeldMelding().huurder, relatienummer: `ROT-${i}` } });
      const res = await app.vraag('elan-wonen', 'POST', '/v1/meldingen', m);
      if (res.status !== 201) throw new Error(res.tekst);
      verstuurd.set(res.body.id, { referentie: m.referentie, terugkoppeling: i % 2 === 0 });
      if (i % 2 === 0 && (await app.vraag('wijkteam-haarlem', 'POST', `/v1/meldingen/${res.body.id}/terugkoppeling`, tk)).status !== 201)
        throw new Error('feedback refused');
      await new Promise((r) => setTimeout(r, 40));
    }
  })();
  await wachtOp(async () => verstuurd.size >= 10);
  const toevoegen = await cli(['sleutel', 'toevoegen'], { env });
  t.equal(toevoegen.code, 0, toevoegen.stderr);
  t.match(toevoegen.stdout, /sleutel k2 toegevoegd en actief/);
  const voor = verstuurd.size;
  const rotatie = cliProces(['sleutel', 'roteer', '--batch', '5'], { env });
  let uit = '';
  rotatie.stdout!.on('data', (d: Buffer) => (uit += d));
  const code = await new Promise<number | null>((r) => rotatie.on('close', r));
  t.equal(code, 0, 'rotation finished with nothing left on the old key');
  t.ok(verstuurd.size > voor, `the service took ${verstuurd.size - voor} meldingen while the rotation ran`);
  await wachtOp(async () => app.logs().includes('sleutelring herladen'));
  stoppen = true;
  await last;
  const verslag = JSON.parse(uit);
  t.equal(verslag.actief, 'k2');
  t.ok(verslag.herversleuteld >= 10, `re-encrypted ${verslag.herversleuteld}`);
  t.ok(verstuurd.size >= 10 && verstuurd.size <= 60, `${verstuurd.size} meldingen under load`);

  const status = JSON.parse((await cli(['sleutel', 'status'], { env })).stdout);
  t.same(Object.keys(status.perSleutel), ['k2'], 'only the new key id');
  t.equal(status.perSleutel.k2, verstuurd.size + [...verstuurd.values()].filter((v) => v.terugkoppeling).length, 'every case and every feedback');
  for (const [id, v] of verstuurd) {
    const b = (await app.vraag('elan-wonen', 'GET', `/v1/meldingen/${id}`)).body;
    if (b.referentie !== v.referentie || (v.terugkoppeling && b.terugkoppeling?.wilHulp !== true)) t.fail(`lost or changed: ${id}`);
  }
  t.pass('every melding and feedback reads back as sent');
  t.equal((await cli(['sleutel', 'draai'], { env })).code, 2, 'unknown subcommand');
  t.equal((await cli(['sleutel', 'roteer', '--batch', 'veel'], { env })).code, 2);
});
