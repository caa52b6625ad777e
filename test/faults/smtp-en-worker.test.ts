// Issue 7: the SMTP server down for a while during delivery, and a worker SIGKILLed mid-delivery:
// afterwards every melding is in the mailbox exactly once.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { startSink } from '../../adapters/smtp/sink.js';
import { build, voorbeeldMelding, wachtOp } from '../helpers/build.js';
import { cliProces } from '../helpers/cli.js';
import { burst, get, messageIds, mtlsAgent, post } from './last.js';

const N = Number(process.env.FAULT_N_MAIL ?? 300);

t.test(`SMTP down during the delivery of ${N} meldingen`, async (t) => {
  const app = await build(t, {
    rollen: ['api', 'worker'],
    configAanpassen: (d) => (d.bezorging = { ...d.bezorging, pogingen: 30, eersteWachttijdSeconden: 0.2, gelijktijdig: 8 }),
  });
  const agent = mtlsAgent(app.pki);
  t.teardown(() => agent.destroy());
  const sinkPoort = app.sink!.port;
  const map = app.sink!.dir;
  const uitslagen = await burst(N, 10, (i) => post(agent, app.apiPort, '/v1/meldingen', JSON.stringify(voorbeeldMelding({ referentie: `SMTP-${i}` }))));
  t.equal(uitslagen.filter((u) => u.status === 201).length, N);
  await wachtOp(async () => app.sink!.bestanden().length >= N / 5, 60_000);
  await app.sink!.stop(); // down in the middle of the delivery
  const tijdensStoring = app.sink!.bestanden().length;
  await new Promise((r) => setTimeout(r, 2000));
  const terug = await startSink({ dir: map, port: sinkPoort, key: readFileSync(path.join(app.pki, 'server.key')), cert: readFileSync(path.join(app.pki, 'server.crt')) });
  t.teardown(() => terug.stop());
  await wachtOp(async () => terug.bestanden().length >= N, 180_000, 250);
  await new Promise((r) => setTimeout(r, 1000));
  const mailbox = messageIds(terug.bestanden());
  t.equal(mailbox.size, N, 'every melding delivered');
  t.ok([...mailbox.values()].every((n) => n === 1), 'none twice');
  t.comment(`counts: sent ${N}, accepted ${N}, delivered before the outage ${tijdensStoring}, delivered ${mailbox.size}, duplicates 0, re-sends recognised ${terug.duplicaten()}`);
});

t.test(`a worker SIGKILLed mid-delivery of ${N} meldingen`, async (t) => {
  const app = await build(t, { rollen: ['api'], sink: true });
  const doc = parse(readFileSync(app.configBestand, 'utf8'));
  doc.smtp.port = app.sink!.port;
  writeFileSync(app.configBestand, stringify(doc));
  const werker = () => {
    const p = cliProces(['serve', '--roles', 'worker'], { env: { SIGNAALBRUG_CONFIG: app.configBestand, LOG_LEVEL: 'warn' } });
    t.teardown(() => p.kill('SIGKILL'));
    return p;
  };
  const agent = mtlsAgent(app.pki);
  t.teardown(() => agent.destroy());
  const uitslagen = await burst(N, 10, (i) => post(agent, app.apiPort, '/v1/meldingen', JSON.stringify(voorbeeldMelding({ referentie: `KILL-${i}` }))));
  t.equal(uitslagen.filter((u) => u.status === 201).length, N);
  const eerste = werker();
  await wachtOp(async () => app.sink!.bestanden().length >= N / 4, 60_000);
  const dood = new Promise((r) => eerste.once('exit', r));
  eerste.kill('SIGKILL');
  await dood;
  const bijDood = app.sink!.bestanden().length;
  werker();
  await wachtOp(async () => app.sink!.bestanden().length >= N, 180_000, 250);
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
  t.comment(`counts: sent ${N}, accepted ${N}, delivered when the worker died ${bijDood}, delivered ${mailbox.size}, duplicates 0, re-sends recognised ${app.sink!.duplicaten()}`);
});
