// Faults: the SMTP server down for a while during delivery, and a worker SIGKILLed mid-delivery:
// afterwards every melding is in the mailbox exactly once.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { startSink } from '../../dev/smtp-sink.js';
import { build, voorbeeldMelding, wachtOpVoortgang } from '../helpers/build.js';
import { cliProces, stopProces } from '../helpers/cli.js';
import { burst, get, messageIds, mtlsAgent, post } from './last.js';
import { geschaald } from './schaal.js';

const N = geschaald(300, 20);
const s = (van: number, tot = Date.now()) => ((tot - van) / 1000).toFixed(1);

t.test(`SMTP down during the delivery of ${N} meldingen`, async (t) => {
  // Before build(t), so it is restored last: what the process prints itself, bypassing the logger.
  const stderr = t.capture(process.stderr, 'write', process.stderr.write);
  const app = await build(t, {
    rollen: ['api', 'worker'],
    configAanpassen: (d) => (d.bezorging = { ...d.bezorging, pogingen: 30, eersteWachttijdSeconden: 0.2, gelijktijdig: 8 }),
  });
  const agent = mtlsAgent(app.pki);
  t.teardown(() => agent.destroy());
  const sinkPoort = app.sink!.port;
  const map = app.sink!.dir;
  const begin = Date.now();
  const uitslagen = await burst(N, 10, (i) => post(agent, app.apiPort, '/v1/meldingen', JSON.stringify(voorbeeldMelding({ referentie: `SMTP-${i}` }))));
  t.equal(uitslagen.filter((u) => u.status === 201).length, N);
  await wachtOpVoortgang(() => app.sink!.bestanden().length, Math.ceil(N / 5), { wat: 'bezorgd voor de storing' });
  await app.sink!.stop(); // down in the middle of the delivery
  const tijdensStoring = app.sink!.bestanden().length;
  await new Promise((r) => setTimeout(r, 2000));
  const terug = await startSink({ dir: map, port: sinkPoort, key: readFileSync(path.join(app.pki, 'server.key')), cert: readFileSync(path.join(app.pki, 'server.crt')) });
  t.teardown(() => terug.stop());
  const hersteld = Date.now();
  await wachtOpVoortgang(() => terug.bestanden().length, N, { wat: 'bezorgd' });
  const klaar = Date.now();
  await new Promise((r) => setTimeout(r, 1000));
  const mailbox = messageIds(terug.bestanden());
  t.equal(mailbox.size, N, 'every melding delivered');
  t.ok([...mailbox.values()].every((n) => n === 1), 'none twice');
  t.equal(stderr.calls.map((c) => String(c.args[0])).join(''), '', 'nothing printed to stderr');
  t.comment(`counts: sent ${N}, accepted ${N}, delivered before the outage ${tijdensStoring}, delivered ${mailbox.size}, duplicates 0, re-sends recognised ${terug.duplicaten()}`);
  t.comment(`timings: ${s(begin, hersteld)} s until the SMTP server was back, then ${s(hersteld, klaar)} s to deliver the rest`);
});

t.test(`a worker SIGKILLed mid-delivery of ${N} meldingen`, async (t) => {
  const app = await build(t, { rollen: ['api'], sink: true });
  const doc = parse(readFileSync(app.configBestand, 'utf8'));
  doc.smtp.port = app.sink!.port;
  writeFileSync(app.configBestand, stringify(doc));
  let stderr = '';
  const werker = () => {
    const p = cliProces(['serve', '--roles', 'worker'], { env: { SIGNAALBRUG_CONFIG: app.configBestand, LOG_LEVEL: 'warn' } });
    // Registered after build(t): tap runs teardowns last-in first-out, so the worker stops before its Redis.
    t.teardown(() => stopProces(p));
    p.stdout!.resume();
    p.stderr!.on('data', (d: Buffer) => (stderr += d));
    return p;
  };
  const agent = mtlsAgent(app.pki);
  t.teardown(() => agent.destroy());
  const begin = Date.now();
  const uitslagen = await burst(N, 10, (i) => post(agent, app.apiPort, '/v1/meldingen', JSON.stringify(voorbeeldMelding({ referentie: `KILL-${i}` }))));
  t.equal(uitslagen.filter((u) => u.status === 201).length, N);
  const eerste = werker();
  await wachtOpVoortgang(() => app.sink!.bestanden().length, Math.ceil(N / 4), { wat: 'bezorgd door de eerste worker' });
  await stopProces(eerste, 'SIGKILL');
  const bijDood = app.sink!.bestanden().length;
  const dood = Date.now();
  const tweede = werker();
  await wachtOpVoortgang(() => app.sink!.bestanden().length, N, { wat: 'bezorgd' });
  const klaar = Date.now();
  await new Promise((r) => setTimeout(r, 1000));
  const mailbox = messageIds(app.sink!.bestanden());
  t.equal(mailbox.size, N, 'no loss');
  t.ok([...mailbox.values()].every((n) => n === 1), 'no duplicate in the mailbox');
  const ids = uitslagen.map((u) => u.body.id as string);
  let eenmaalVerzonden = 0;
  for (const id of ids) {
    const r = await get(agent, app.apiPort, `/v1/meldingen/${id}`);
    if (r.body.status === 'verzonden' && r.body.gebeurtenissen.filter((g: any) => g.soort === 'verzonden').length === 1) eenmaalVerzonden++;
  }
  t.equal(eenmaalVerzonden, N, 'every melding verzonden, recorded once');
  await stopProces(tweede);
  t.equal(tweede.exitCode, 0, 'the second worker stops gracefully on SIGTERM');
  t.equal(stderr, '', 'the workers printed nothing outside their logger');
  t.comment(`counts: sent ${N}, accepted ${N}, delivered when the worker died ${bijDood}, delivered ${mailbox.size}, duplicates 0, re-sends recognised ${app.sink!.duplicaten()}`);
  t.comment(`timings: ${s(begin, dood)} s until the worker was killed, then ${s(dood, klaar)} s for the second worker to deliver the rest`);
});
