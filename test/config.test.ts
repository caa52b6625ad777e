// A bad config stops the start with a message naming the file and the field.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { ConfigError, loadConfig, parseConfig } from '../src/config.js';
import { ROOT } from './helpers/root.js';

const dev = readFileSync(path.join(ROOT, 'config/dev.yaml'), 'utf8');

t.test('config/dev.yaml is valid and resolves paths against its folder', async (t) => {
  const c = parseConfig(dev, '/srv/sb/config/dev.yaml');
  t.equal(c.wijkteams.length, 3);
  t.same(c.wijkteams[0]!.postcodes, [{ van: 2011, tot: 2019 }]);
  t.equal(c.wijkteams[0]!.certificaat, '/srv/sb/certs/dev/recipients/wijkteam-noord.crt');
  t.same(c.tls.crl, ['/srv/sb/certs/dev/crl.pem']);
  t.equal(c.convenant.werkdagenTerugkoppeling, 5);
  t.equal(c.api.port, 8443);
  t.equal(c.portal.port, 8444);
});

t.test('privacy settings: dev.yaml states them, a config without them gets the same defaults', async (t) => {
  const verwacht = { bewaartermijnDagen: 365, weigeringBewaartermijnDagen: 183, uiterlijkeBewaartermijnDagen: 730, opruimSeconden: 3600,
    logboekJaren: 5, verwerkingsregister: 'urn:signaalbrug:verwerkingsregister' };
  t.same(parseConfig(dev, 'dev.yaml').privacy, verwacht);
  const zonder = parse(dev);
  delete zonder.privacy;
  delete zonder.versleuteling.herlaadSeconden;
  const c = parseConfig(stringify(zonder), 'dev.yaml');
  t.same(c.privacy, verwacht);
  t.equal(c.versleuteling.herlaadSeconden, 30);
  const d = parse(dev);
  d.privacy = { logboekJaren: 2 };
  t.match(parseConfig(stringify(d), 'dev.yaml').privacy, { logboekJaren: 2, weigeringBewaartermijnDagen: 183 }, 'a partial section keeps the other defaults');
});

t.test('PORT and PORTAL_PORT override the ports', async (t) => {
  const c = parseConfig(dev, 'dev.yaml', { PORT: '9443', PORTAL_PORT: '9444' });
  t.equal(c.api.port, 9443);
  t.equal(c.portal.port, 9444);
  t.throws(() => parseConfig(dev, 'dev.yaml', { PORT: 'abc' }), /PORT: geen geldig poortnummer/);
});

t.test('errors name the file and the field', async (t) => {
  const cases: [string, (d: any) => void, RegExp][] = [
    ['bad OIN', (d) => (d.organisaties[0].oin = '123'), /x\.yaml: organisaties\.0\.oin: een OIN is 20 cijfers/],
    ['overlapping ranges', (d) => (d.wijkteams[1].postcodes = ['2015-2025']), /wijkteams\.1\.postcodes\.0: overlapt met wijkteam noord/],
    ['reversed range', (d) => (d.wijkteams[0].postcodes = ['2019-2011']), /wijkteams\.0\.postcodes\.0: bereik loopt achteruit/],
    ['smime without certificate', (d) => delete d.wijkteams[0].certificaat, /wijkteams\.0\.certificaat: smime vraagt een certificaat/],
    ['pgp without key', (d) => delete d.wijkteams[1].pgpSleutel, /wijkteams\.1\.pgpSleutel: pgp vraagt een publieke sleutel/],
    ['a corporation\'s feedback mailbox on smime without certificate', (d) => (d.organisaties[0].terugkoppeling = { naam: 'Incasso', mailbox: 'incasso@elan.example', bezorging: 'smime' }),
      /organisaties\.0\.terugkoppeling\.certificaat: smime vraagt een certificaat/],
    ['the troubleshooter on the portal', (d) => (d.troubleshooter = { naam: 'TS', mailbox: 'ts@haarlem.example', bezorging: 'beveiligde-link' }),
      /troubleshooter\.bezorging: beveiligde-link is alleen voor wijkteams/],
    ['an unknown channel', (d) => (d.wijkteams[0].bezorging = 'fax'), /wijkteams\.0\.bezorging: .*smime.*pgp.*beveiligde-link/],
    ['wijkteam of a corporation', (d) => (d.wijkteams[0].organisatie = '00000099000000000001'), /wijkteams\.0\.organisatie: .*geen organisatie met rol gemeente/],
    ['duplicate OIN', (d) => d.organisaties.push({ ...d.organisaties[0] }), /organisaties\.4\.oin: OIN .* twee keer/],
    ['unknown field', (d) => (d.redis.wachtwoord = 'x'), /redis: Onbekende key: "wachtwoord"/],
    ['missing section', (d) => delete d.tls, /tls: /],
    ['werkdagen out of range', (d) => (d.convenant.werkdagenTerugkoppeling = 0), /convenant\.werkdagenTerugkoppeling/],
    ['retention of zero days', (d) => (d.privacy.weigeringBewaartermijnDagen = 0), /x\.yaml: privacy\.weigeringBewaartermijnDagen: /],
    ['unknown privacy field', (d) => (d.privacy.bewaarVoorAltijd = true), /privacy: Onbekende key: "bewaarVoorAltijd"/],
  ];
  for (const [naam, wijzig, verwacht] of cases) {
    const doc = parse(dev);
    wijzig(doc);
    const err = t.throws(() => parseConfig(stringify(doc), 'x.yaml'), naam) as Error;
    t.type(err, ConfigError, naam);
    t.match(err.message, verwacht, naam);
  }
  t.throws(() => parseConfig('a: [', 'x.yaml'), /x\.yaml: kan niet gelezen worden/);
  t.throws(() => parseConfig('{"a":', 'x.json'), /x\.json: kan niet gelezen worden/);
  t.throws(() => loadConfig(undefined, {}), /SIGNAALBRUG_CONFIG is niet gezet/);
  t.throws(() => loadConfig('/bestaat/niet.yaml', {}), /\/bestaat\/niet\.yaml: kan niet gelezen worden: ENOENT/);
});

t.test('redis: sentinels, ACL user and password from a file or the environment, TLS, replica acknowledgement', async (t) => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { redisDoel } = await import('../src/store/redis.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-cfg-redis-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'redis.wachtwoord'), 'geheim-wachtwoord-123\n', { mode: 0o600 });
  writeFileSync(path.join(dir, 'leeg'), '\n');
  writeFileSync(path.join(dir, 'redis-ca.crt'), 'CA');
  const met = (redis: Record<string, unknown>) => {
    const d = parse(dev);
    d.redis = redis;
    return stringify(d);
  };
  const bestand = path.join(dir, 'config.yaml');
  const sentinels = [{ host: '10.0.0.1', port: 26379 }, { host: '10.0.0.2', port: 26379 }, { host: '10.0.0.3', port: 26379 }];

  const c = parseConfig(met({ sentinels, naam: 'signaalbrug', gebruiker: 'sb', wachtwoordBestand: 'redis.wachtwoord', tls: { ca: ['redis-ca.crt'] },
    replicaBevestiging: { replicas: 1, timeoutMs: 500 } }), bestand);
  t.same(c.redis.sentinels, sentinels);
  t.equal(c.redis.wachtwoordBestand, path.join(dir, 'redis.wachtwoord'), 'the password file is resolved against the config folder');
  t.same(c.redis.tls?.ca, [path.join(dir, 'redis-ca.crt')], 'and so are the CAs');
  t.same(c.redis.replicaBevestiging, { replicas: 1, timeoutMs: 500 });
  t.notMatch(JSON.stringify(c), /geheim-wachtwoord/, 'the password itself is not in the config');
  const doel = redisDoel(c.redis, {});
  t.match(doel.opties, { sentinels, name: 'signaalbrug', username: 'sb', enableTLSForSentinelMode: true, tls: { ca: ['CA'] } });
  t.equal(doel.opties.password, 'geheim-wachtwoord-123', 'read from the file, trimmed');
  t.notMatch(JSON.stringify(doel), /geheim-wachtwoord/, 'and never printed with the options');
  t.match(doel.omschrijving, /sentinels 10\.0\.0\.1:26379, .* \(master signaalbrug\)/);

  const e = parseConfig(met({ url: 'rediss://redis.example:6380/2', wachtwoordEnv: 'SB_REDIS_WACHTWOORD', sentinels: undefined }), bestand);
  t.equal(e.redis.replicaBevestiging, undefined, 'replica acknowledgement is off when absent');
  const eDoel = redisDoel(e.redis, { SB_REDIS_WACHTWOORD: 'uit-de-omgeving' });
  t.match(eDoel.opties, { host: 'redis.example', port: 6380, db: 2, tls: {}, password: 'uit-de-omgeving' });
  t.throws(() => redisDoel(e.redis, {}), /redis\.wachtwoordEnv: de omgevingsvariabele SB_REDIS_WACHTWOORD is niet gezet/);
  t.match(parseConfig(met({ sentinels, naam: 'm', sentinelWachtwoordEnv: 'S' }), bestand).redis, { sentinelWachtwoordEnv: 'S' });
  t.equal(redisDoel(parseConfig(met({ sentinels, naam: 'm', sentinelWachtwoordEnv: 'S' }), bestand).redis, { S: 'x' }).opties.sentinelPassword, 'x');
  t.equal(parseConfig(dev, 'dev.yaml', { REDIS_URL: 'redis://elders:6379' }).redis.url, 'redis://elders:6379', 'REDIS_URL replaces url');

  const fout: [string, Record<string, unknown>, RegExp][] = [
    ['sentinels without naam', { sentinels }, /redis\.naam: sentinels zonder naam/],
    ['naam without sentinels', { url: 'redis://x', naam: 'm' }, /redis\.naam: naam hoort bij sentinels/],
    ['both url and sentinels', { url: 'redis://x', sentinels, naam: 'm' }, /redis\.sentinels: kies url of sentinels/],
    ['neither', {}, /redis\.url: geef url, of sentinels met naam/],
    ['password file missing', { url: 'redis://x', wachtwoordBestand: 'bestaat-niet' }, /redis\.wachtwoordBestand: kan niet gelezen worden: ENOENT/],
    ['password file empty', { url: 'redis://x', wachtwoordBestand: 'leeg' }, /redis\.wachtwoordBestand: het bestand is leeg/],
    ['password file and env', { url: 'redis://x', wachtwoordBestand: 'redis.wachtwoord', wachtwoordEnv: 'X' }, /redis\.wachtwoordEnv: kies/],
    ['a literal password', { url: 'redis://x', wachtwoord: 'x' }, /Onbekende key: "wachtwoord"/],
    ['sentinel password without sentinels', { url: 'redis://x', sentinelWachtwoordEnv: 'X' }, /een sentinelwachtwoord hoort bij sentinels/],
    ['CA missing', { url: 'rediss://x', tls: { ca: ['weg.crt'] } }, /redis\.tls\.ca: .*weg\.crt kan niet gelezen worden/],
    ['WAIT timeout too long', { url: 'redis://x', replicaBevestiging: { timeoutMs: 60_000 } }, /redis\.replicaBevestiging\.timeoutMs/],
    ['no replicas', { url: 'redis://x', replicaBevestiging: { replicas: 0 } }, /redis\.replicaBevestiging\.replicas/],
  ];
  for (const [naam, redis, verwacht] of fout) {
    const err = t.throws(() => parseConfig(met(redis), bestand), naam) as Error;
    t.type(err, ConfigError, naam);
    t.match(err.message, verwacht, naam);
  }
  t.throws(() => parseConfig(met({ sentinels, naam: 'm' }), bestand, { REDIS_URL: 'redis://x' }), /REDIS_URL is gezet maar de configuratie gebruikt sentinels/);
  t.throws(() => parseConfig(dev, 'dev.yaml', { REDIS_URL: 'http://x' }), /REDIS_URL: verwacht redis:\/\//);
});
