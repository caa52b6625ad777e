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
    ['a signal partner without its type', (d) => delete d.organisaties[4].signaalpartner, /organisaties\.4\.signaalpartner: rol signaalpartner vraagt signaalpartner Energie, Water of Zorg/],
    ['a signal partner type DDAS knows but without a data set here', (d) => (d.organisaties[4].signaalpartner = 'DUO'), /organisaties\.4\.signaalpartner: .*Huur.*Energie.*Water.*Zorg/],
    ['a corporation as an energy company', (d) => (d.organisaties[0].signaalpartner = 'Energie'), /organisaties\.0\.signaalpartner: een corporatie is signaalpartner Huur; gebruik rol signaalpartner voor Energie/],
    ['a gemeente as a signal partner', (d) => (d.organisaties[3].signaalpartner = 'Water'), /organisaties\.3\.signaalpartner: een gemeente is geen signaalpartner/],
    ['duplicate OIN', (d) => d.organisaties.push({ ...d.organisaties[0] }), /organisaties\.5\.oin: OIN .* twee keer/],
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
