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
  t.equal(c.wijkteams.length, 4);
  t.same(c.gemeenten.map((g) => [g.code, g.naam, g.convenant.werkdagenTerugkoppeling]), [['0392', 'Gemeente Haarlem', 5], ['0402', 'Gemeente Hilversum', 28]]);
  t.same(c.wijkteams.map((w) => [w.id, w.gemeente, w.organisatie]), [
    ['noord', '0392', '00000099000000000010'], ['oost', '0392', '00000099000000000010'], ['zuid', '0392', '00000099000000000010'],
    ['hilversum', '0402', '00000099000000000020']], 'every wijkteam knows its gemeente and has its OIN as organisatie');
  t.equal(c.gemeenten[1]!.troubleshooter.certificaat, '/srv/sb/certs/dev/recipients/troubleshooter-hilversum.crt');
  t.equal(c.gemeenten[1]!.afzender?.sleutel, '/srv/sb/certs/dev/signer-hilversum.key');
  t.same(c.partners.find((p) => p.naam === 'Ymere'), { oin: '00000099000000000003', naam: 'Ymere', signaalpartner: 'Huur', gemeenten: ['0392', '0402'] });
  t.same(c.organisaties.filter((o) => o.rol === 'gemeente').map((o) => o.oin), ['00000099000000000010', '00000099000000000020']);
  t.equal(c.troubleshooter.naam, 'Troubleshooter Haarlem', 'the first gemeente stands for the deployment where one is asked');
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

t.test('logboek archive settings: dev.yaml states them, a config without them gets the same defaults, bounds hold', async (t) => {
  const verwacht = { archiveerNaSeconden: 300, archiveerElkeSeconden: 60, blokRecords: 2000 };
  t.same(parseConfig(dev, 'dev.yaml').logboek, verwacht);
  const zonder = parse(dev);
  delete zonder.logboek;
  t.same(parseConfig(stringify(zonder), 'dev.yaml').logboek, verwacht);
  const d = parse(dev);
  d.logboek = { blokRecords: 500 };
  t.same(parseConfig(stringify(d), 'dev.yaml').logboek, { ...verwacht, blokRecords: 500 }, 'a partial section keeps the other defaults');
  d.logboek = { blokRecords: 50_000 };
  t.throws(() => parseConfig(stringify(d), 'x.yaml'), /x\.yaml: logboek\.blokRecords/, 'a block has a bounded size');
});

t.test('PORT and PORTAL_PORT override the ports', async (t) => {
  const c = parseConfig(dev, 'dev.yaml', { PORT: '9443', PORTAL_PORT: '9444' });
  t.equal(c.api.port, 9443);
  t.equal(c.portal.port, 9444);
  t.throws(() => parseConfig(dev, 'dev.yaml', { PORT: 'abc' }), /PORT: geen geldig poortnummer/);
});

t.test('errors name the file and the field', async (t) => {
  const cases: [string, (d: any) => void, RegExp][] = [
    ['bad OIN', (d) => (d.partners[0].oin = '123'), /x\.yaml: partners\.0\.oin: een OIN is 20 cijfers/],
    ['overlapping ranges', (d) => (d.gemeenten[0].wijkteams[1].postcodes = ['2015-2025']), /gemeenten\.0\.wijkteams\.1\.postcodes\.0: overlapt met wijkteam noord$/m],
    ['a PC4 claimed in two gemeenten', (d) => (d.gemeenten[1].wijkteams[0].postcodes = ['1211-1223', '2035-2040']),
      /gemeenten\.1\.wijkteams\.0\.postcodes\.1: overlapt met wijkteam zuid van gemeente 0392/],
    ['reversed range', (d) => (d.gemeenten[0].wijkteams[0].postcodes = ['2019-2011']), /gemeenten\.0\.wijkteams\.0\.postcodes\.0: bereik loopt achteruit/],
    ['smime without certificate', (d) => delete d.gemeenten[0].wijkteams[0].certificaat, /gemeenten\.0\.wijkteams\.0\.certificaat: smime vraagt een certificaat/],
    ['pgp without key', (d) => delete d.gemeenten[0].wijkteams[1].pgpSleutel, /gemeenten\.0\.wijkteams\.1\.pgpSleutel: pgp vraagt een publieke sleutel/],
    ['a corporation\'s feedback mailbox on smime without certificate', (d) => (d.partners[0].terugkoppeling = { mailbox: 'incasso@elan.example', bezorging: 'smime' }),
      /partners\.0\.terugkoppeling\.certificaat: smime vraagt een certificaat/],
    ['the troubleshooter on the portal', (d) => (d.gemeenten[1].troubleshooter = { naam: 'TS', mailbox: 'ts@hilversum.example', bezorging: 'beveiligde-link' }),
      /gemeenten\.1\.troubleshooter\.bezorging: beveiligde-link is alleen voor wijkteams/],
    ['an unknown channel', (d) => (d.gemeenten[0].wijkteams[0].bezorging = 'fax'), /gemeenten\.0\.wijkteams\.0\.bezorging: .*smime.*pgp.*beveiligde-link/],
    ['a wijkteam naming another organisation than its gemeente', (d) => (d.gemeenten[0].wijkteams[0].organisatie = '00000099000000000001'),
      /gemeenten\.0\.wijkteams\.0\.organisatie: wijkteam noord hoort bij Gemeente Haarlem \(00000099000000000010\)/],
    ['a wijkteam without a gemeente', (d) => (d.wijkteams = [{ ...d.gemeenten[0].wijkteams[0], id: 'los', postcodes: ['3000'], organisatie: '00000099000000000010' }]),
      /x\.yaml: wijkteams: een wijkteam hoort bij een gemeente: zet het onder gemeenten\[\]\.wijkteams/],
    ['a partner naming an unknown gemeente', (d) => d.partners[0].gemeenten.push('0363'), /partners\.0\.gemeenten\.1: onbekende gemeente 0363: die code staat niet in gemeenten/],
    ['duplicate OIN', (d) => d.partners.push({ ...d.partners[0] }), /partners\.4\.oin: OIN .* twee keer/],
    ['a partner with a gemeente\'s OIN', (d) => (d.partners[0].oin = '00000099000000000020'), /partners\.0\.oin: OIN 00000099000000000020 staat er twee keer in \(ook bij Gemeente Hilversum\)/],
    ['duplicate gemeentecode', (d) => (d.gemeenten[1].code = '0392'), /gemeenten\.1\.code: gemeentecode 0392 staat er twee keer in/],
    ['a gemeentecode that is no CBS code', (d) => (d.gemeenten[0].code = '392'), /gemeenten\.0\.code: een CBS-gemeentecode is vier cijfers/],
    ['duplicate wijkteam id across gemeenten', (d) => (d.gemeenten[1].wijkteams[0].id = 'noord'), /gemeenten\.1\.wijkteams\.0\.id: wijkteam noord staat er twee keer in/],
    ['gemeenten without partners', (d) => delete d.partners, /x\.yaml: partners: gemeenten vraagt partners/],
    ['partners without gemeenten', (d) => { delete d.gemeenten; }, /partners: partners hoort bij gemeenten/],
    ['a single convenant beside gemeenten', (d) => (d.convenant = { naam: 'X' }), /x\.yaml: convenant: met gemeenten hoort convenant bij een gemeente/],
    ['organisaties beside gemeenten', (d) => (d.organisaties = [{ oin: '00000099000000000001', naam: 'Elan Wonen', rol: 'corporatie' }]), /organisaties: met gemeenten staan de partners onder partners/],
    ['a second escalation stage without its mailbox', (d) => delete d.gemeenten[1].tweedeEscalatie, /gemeenten\.1\.tweedeEscalatie: convenant\.opnemenWerkdagen vraagt een mailbox/],
    ['an unknown signaalpartner type', (d) => (d.partners[0].signaalpartner = 'Telecom'), /partners\.0\.signaalpartner: /],
    ['an unknown selection ground', (d) => d.gemeenten[1].convenant.selectie.gronden.push('geen-zin'), /gemeenten\.1\.convenant\.selectie\.gronden\.4: /],
    ['a werkplek role for another gemeente\'s wijkteam', (d) => (d.werkplek.issuers[3].rollen.x = { rol: 'wijkteam-medewerker', wijkteam: 'noord' }),
      /werkplek\.issuers\.3\.rollen\.x\.wijkteam: wijkteam noord hoort niet bij 00000099000000000020/],
    ['a signal partner type DDAS knows but without a data set here', (d) => (d.partners[0].signaalpartner = 'DUO'), /partners\.0\.signaalpartner: .*Huur.*Energie.*Water.*Zorg/],
    ['unknown field', (d) => (d.redis.wachtwoord = 'x'), /redis: Onbekende key: "wachtwoord"/],
    ['missing section', (d) => delete d.tls, /tls: /],
    ['werkdagen out of range', (d) => (d.gemeenten[0].convenant.werkdagenTerugkoppeling = 0), /gemeenten\.0\.convenant\.werkdagenTerugkoppeling/],
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

t.test('the single-convenant shape still works: one gemeente without a code, every corporation signed it', async (t) => {
  const d = parse(dev);
  const [haarlem] = d.gemeenten;
  const oud = {
    ...d, convenant: haarlem.convenant, troubleshooter: haarlem.troubleshooter, tweedeEscalatie: haarlem.tweedeEscalatie,
    organisaties: [...d.partners.map((p: any) => ({ oin: p.oin, naam: p.naam, rol: p.signaalpartner === 'Huur' ? 'corporatie' : 'signaalpartner', signaalpartner: p.signaalpartner })), { oin: haarlem.oin, naam: haarlem.naam, rol: 'gemeente' }],
    wijkteams: haarlem.wijkteams.map((w: any) => ({ ...w, organisatie: haarlem.oin })),
    werkplek: { ...d.werkplek, issuers: d.werkplek.issuers.filter((i: any) => i.naam !== 'hilversum') },
  };
  delete oud.gemeenten;
  delete oud.partners;
  const c = parseConfig(stringify(oud), '/srv/sb/config/oud.yaml');
  t.equal(c.gemeenten.length, 1);
  t.match(c.gemeenten[0], { code: '', oin: haarlem.oin, naam: 'Gemeente Haarlem', convenant: { werkdagenTerugkoppeling: 5 } });
  t.same(c.wijkteams.map((w) => [w.id, w.gemeente]), [['noord', ''], ['oost', ''], ['zuid', '']]);
  t.same(c.partners.map((p) => [p.naam, p.signaalpartner, p.gemeenten]), [['Elan Wonen', 'Huur', undefined], ['Pré Wonen', 'Huur', undefined], ['Ymere', 'Huur', undefined], ['Energie Noord-Holland', 'Energie', undefined]]);
  t.equal(c.gemeenten[0]!.troubleshooter.certificaat, '/srv/sb/certs/dev/recipients/troubleshooter.crt');
  const zonder = { ...oud };
  delete zonder.wijkteams;
  t.throws(() => parseConfig(stringify(zonder), 'x.yaml'), /x\.yaml: wijkteams: verplicht \(of geef gemeenten en partners voor een regionale hub\)/);
  // In this shape the partner type sits on the organisation, and must fit its rol.
  const org = (i: number, o: Record<string, unknown>) => ({ ...oud, organisaties: oud.organisaties.map((x: any, j: number) => (j === i ? { ...x, ...o } : x)) });
  const fout: [string, object, RegExp][] = [
    ['a signal partner without its type', org(3, { signaalpartner: undefined }), /organisaties\.3\.signaalpartner: rol signaalpartner vraagt signaalpartner Energie, Water of Zorg/],
    ['a corporation as an energy company', org(0, { signaalpartner: 'Energie' }), /organisaties\.0\.signaalpartner: een corporatie is signaalpartner Huur; gebruik rol signaalpartner voor Energie/],
    ['a gemeente as a signal partner', org(4, { signaalpartner: 'Water' }), /organisaties\.4\.signaalpartner: een gemeente is geen signaalpartner/],
  ];
  for (const [naam, doc, verwacht] of fout) t.throws(() => parseConfig(stringify(doc), 'x.yaml'), verwacht, naam);
});
