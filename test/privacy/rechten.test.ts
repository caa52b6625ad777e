// The tenant's rights through the real CLI: `inzage` shows everything held (decrypted, with origin,
// recipients, purposes and the logboek); `verwijder` erases it, withdraws the pending delivery and its
// timers, and afterwards neither a scan of every key nor the AOF after a rewrite holds any of it.
import { deflateRawSync } from 'node:zlib';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import t from 'tap';
import { build, wachtOp } from '../helpers/build.js';
import { cli } from '../helpers/cli.js';
import { aofNaHerschrijven, leesInPortaal, logboekVan, ontpakt, redisDump } from '../helpers/privacy.js';
import { ELAN_OIN, KANARIE, kanarieMelding } from '../helpers/portaal.js';
import { alleTermijnleden } from '../helpers/termijnen.js';
import { BEZORG_QUEUE, jobId } from '../../src/store/wachtrijen.js';
import { Sleutelring } from '../../src/store/sleutelring.js';
import { WOORDENBOEK_V2 } from '../../src/store/woordenboek.js';

const PERSOONSGEGEVENS = [KANARIE.achternaam, KANARIE.telefoonnummer, KANARIE.straatnaam, KANARIE.relatienummer, KANARIE.woonplaats,
  KANARIE.postcode, KANARIE.geboortedatumIso, KANARIE.referentie];
const tk = { contactGelegd: true, inBehandeling: true, incassoHervatten: false, wilHulp: true, nietOpgepakt: null };

t.test('inzage is complete; verwijder leaves no trace in Redis or its AOF', async (t) => {
  const app = await build(t, {
    rollen: ['api', 'portal', 'worker'], redisArgs: ['--aof-use-rdb-preamble', 'no'],
    // A delivery that fails stays queued (delayed) for a while: a pending delivery to withdraw.
    configAanpassen: (d) => (d.bezorging = { pogingen: 5, eersteWachttijdSeconden: 60, gelijktijdig: 4, lockSeconden: 2 }),
  });
  const env = { SIGNAALBRUG_CONFIG: app.configBestand };
  const r = new Redis(app.redis.url);
  t.teardown(() => r.disconnect());
  const namen = app.draaiend.sb.namen;

  // One melding delivered through the portal, read and answered; a second one whose delivery is pending.
  const eerste = { ...kanarieMelding(), referentie: `${KANARIE.referentie}-1` };
  const k1 = (await app.vraag('elan-wonen', 'POST', '/v1/meldingen', eerste)).body.id as string;
  const { bericht } = await leesInPortaal(app, 0);
  t.match(bericht.tekst, KANARIE.achternaam, 'the canary really flows through the service');
  t.equal((await app.vraag('wijkteam-haarlem', 'POST', `/v1/meldingen/${k1}/terugkoppeling`, tk)).status, 201);
  await app.sink!.stop();
  const tweede = { ...kanarieMelding(), referentie: `${KANARIE.referentie}-2`, adres: { ...kanarieMelding().adres, postcode: '2011DE' } };
  const k2 = (await app.vraag('elan-wonen', 'POST', '/v1/meldingen', tweede)).body.id as string;
  const bull = new Redis(app.redis.url, { maxRetriesPerRequest: null });
  const q = new Queue(BEZORG_QUEUE, { connection: bull, prefix: namen.bull() });
  t.teardown(async () => { await q.close(); bull.disconnect(); });
  const job = jobId({ meldingId: k2, bericht: 'melding-aan-wijkteam', ontvanger: 'wijkteam' });
  await wachtOp(async () => (await q.getJob(job))?.attemptsMade === 1 && (await q.getJobState(job)) === 'delayed');

  const inzage = await cli(['inzage', '--corporatie', ELAN_OIN, '--relatienummer', KANARIE.relatienummer], { env });
  t.equal(inzage.code, 0, inzage.stderr);
  const doc = JSON.parse(inzage.stdout);
  t.match(doc.betrokkene, { corporatie: { oin: ELAN_OIN, naam: 'Elan Wonen' }, relatienummer: KANARIE.relatienummer, pseudoniem: /^[A-Za-z0-9_-]{43}$/ });
  t.same(doc.meldingen.map((m: any) => m.id).sort(), [k1, k2].sort());
  const m1 = doc.meldingen.find((m: any) => m.id === k1);
  t.same(m1.gegevens, eerste, 'the decrypted melding, as sent');
  t.same(doc.meldingen.find((m: any) => m.id === k2).gegevens, tweede);
  t.match(m1, {
    status: 'teruggekoppeld', herkomst: { organisatie: 'Elan Wonen', oin: ELAN_OIN, kanaal: /tweezijdig TLS/ }, doel: /vroegsignalering.*art\. 3\.4/,
    terugkoppeling: { ...tk, opTijd: true }, bewaardUiterlijkTot: /Z$/,
  });
  t.match(m1.ontvangers, [
    { organisatie: 'Sociaal Wijkteam Zuid', mailbox: 'wijkteam-zuid@haarlem.example', kanaal: 'beveiligde-link', doel: /sociaal wijkteam/ },
    { kanaal: 'portaal', wat: /geopend/ },
  ]);
  t.ok(m1.gebeurtenissen.some((g: any) => g.soort === 'teruggekoppeld'));
  t.same(doc.meldingen.find((m: any) => m.id === k2).ontvangers, [], 'not delivered yet');
  const verwerkingen = doc.verwerkingen.map((v: any) => v.name);
  for (const n of ['melding-ontvangen', 'melding-bezorgd', 'melding-gelezen', 'terugkoppeling-ontvangen', 'inzage-verstrekt']) t.ok(verwerkingen.includes(n), n);

  // Before: the ciphertexts are there (so their absence afterwards means something). The melding's are
  // bytes: the dump shows them in base64, the AOF (read as latin1) as they are.
  const meldingen = [(await r.hgetBuffer(namen.melding(k1), 'gegevens'))!, (await r.hgetBuffer(namen.melding(k2), 'gegevens'))!];
  const terugkoppeling = (await r.hget(namen.melding(k1), 'terugkoppeling'))!;
  const geheimen = { Redis: [...meldingen.map((b) => b.toString('base64')), terugkoppeling], AOF: [...meldingen.map((b) => b.toString('latin1')), terugkoppeling] };
  const voor = await redisDump(app.redis.url);
  for (const g of geheimen.Redis) t.ok(voor.includes(g), 'ciphertext present before');
  for (const p of PERSOONSGEGEVENS) t.notOk(voor.includes(p), `encrypted at rest: no ${p} in plain text`);
  // Absent from the dump because encrypted, not merely because compressed: the stored melding is a
  // ciphertext that opens only with the service's key, and the dump would show a compressed plaintext.
  const sleutels = app.draaiend.sb.sleutels;
  for (const [b, id] of [[meldingen[0]!, k1], [meldingen[1]!, k2]] as const) {
    t.equal(Sleutelring.formaatVan(b), 'v2', 'the melding in the compact format');
    t.match(sleutels.ontsleutel(b, id), KANARIE.achternaam, 'encrypted with the service key');
  }
  const gepakt = deflateRawSync(JSON.stringify(eerste), { dictionary: WOORDENBOEK_V2, windowBits: 12 });
  for (const [hoe, b] of [['bare', gepakt], ['in the compact frame', Buffer.concat([meldingen[0]!.subarray(0, 4 + 28), Buffer.of(2), gepakt])]] as const)
    t.ok(ontpakt(b).some((o) => o.includes(KANARIE.achternaam)), `a melding compressed but not encrypted (${hoe}) would show in the dump`);
  t.ok(await r.exists(namen.linkVanMelding(k1)), 'a link before');

  const verwijder = await cli(['verwijder', '--corporatie', ELAN_OIN, '--relatienummer', KANARIE.relatienummer], { env });
  t.equal(verwijder.code, 0, verwijder.stderr);
  const v = JSON.parse(verwijder.stdout);
  t.same(v.meldingen.map((m: any) => [m.id, m.uitkomst]).sort(), [[k1, 'gewist'], [k2, 'gewist']].sort());
  t.match(v.meldingen.find((m: any) => m.id === k1).alBezorgdBij, [{ organisatie: 'Sociaal Wijkteam Zuid' }]);
  t.match(v.doorsturen, /5 werkdagen/);

  t.equal(await q.getJob(job), undefined, 'the pending delivery is withdrawn');
  t.same(await alleTermijnleden(r, namen), [], 'its timers are gone');
  const na = await redisDump(app.redis.url);
  const aof = await aofNaHerschrijven(app.redis.url, app.redis.dir);
  t.ok(aof.includes(namen.melding(k1)), 'the AOF is readable text (no RDB preamble)');
  for (const [waar, tekst] of [['Redis', na], ['AOF', aof]] as const) {
    for (const p of PERSOONSGEGEVENS) t.notOk(tekst.includes(p), `${waar}: no ${p}`);
    for (const g of geheimen[waar]) t.notOk(tekst.includes(g), `${waar}: no ciphertext of the erased data`);
    t.notOk(tekst.includes(namen.linkVanMelding(k1)), `${waar}: no link`);
    t.notOk(tekst.includes(`${namen.bull()}:${BEZORG_QUEUE}:${job}`), `${waar}: no delivery job`);
  }
  const gewist = (await logboekVan(app)).filter((s) => s.name === 'gegevens-verwijderd');
  t.same(gewist.map((s) => s.attributes['dpl.signaalbrug.melding_id']).sort(), [k1, k2].sort());
  t.ok(gewist.every((s) => s.attributes['dpl.signaalbrug.reden'] === 'verzoek-betrokkene' && s.attributes['dpl.signaalbrug.organisatie_oin'] === ELAN_OIN));

  const later = JSON.parse((await cli(['inzage', '--corporatie', ELAN_OIN, '--relatienummer', KANARIE.relatienummer], { env })).stdout);
  t.same(later.meldingen, [], 'nothing held any more');
  t.ok(later.verwerkingen.some((s: any) => s.name === 'gegevens-verwijderd'), 'but what was done, and the deletion, still shows');
  const opnieuw = JSON.parse((await cli(['verwijder', '--corporatie', ELAN_OIN, '--relatienummer', KANARIE.relatienummer], { env })).stdout);
  t.same(opnieuw.meldingen, [], 'a second request finds nothing');
  t.equal((await logboekVan(app)).filter((s) => s.name === 'gegevens-verwijderd').length, 3, 'and is recorded too');

  for (const args of [['--corporatie', '00000099000000000010', '--relatienummer', '1'], ['--corporatie', ELAN_OIN], ['--relatienummer', 'x'],
    ['--corporatie', ELAN_OIN, '--relatienummer', 'met spatie']]) {
    const fout = await cli(['inzage', ...args], { env });
    t.equal(fout.code, 2, args.join(' '));
    t.match(fout.stderr, /^signaalbrug: /);
  }
});
