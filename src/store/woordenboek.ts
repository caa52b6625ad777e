// The preset dictionary of the compact ciphertext format (v2, see ./sleutelring.ts): deflate finds
// the field names and common values of a melding here instead of spelling them out, so a 600-byte
// melding compresses to about 130 bytes. Built by hand from the JSON the intake stores (a
// corporation's melding, the signals of energy, water and health partners, the repeat link), in the
// key order the schemas write; the most common text last, where deflate reaches it with the shortest
// distances. Nothing is derived from the schemas: a changed schema must not change the dictionary.
//
// FROZEN: every v2 value in Redis was compressed with exactly these bytes. A different dictionary is a
// new format version (a new version byte beside this one, which stays to read old values); the test
// pins its SHA-256.

const DELEN_V2 = [
  // Rare values: e-mail domains, tussenvoegsels, street name endings, places.
  '@gmail.com","@hotmail.com","@outlook.com","@live.nl","@ziggo.nl","@kpnmail.nl","@hetnet.nl","@planet.nl","@xs4all.nl","@icloud.com","@yahoo.com"',
  '"tussenvoegsel":"van den","tussenvoegsel":"van der","tussenvoegsel":"van de","tussenvoegsel":"de","tussenvoegsel":"in \'t","tussenvoegsel":"ter"',
  'straat","laan","weg","plein","kade","gracht","singel","dijk","hof","park","pad","dreef","erf","markt"',
  '"woonplaats":"Hilversum"},"woonplaats":"Heemstede"},"woonplaats":"Zandvoort"},"woonplaats":"Bloemendaal"},"woonplaats":"Amsterdam"},"woonplaats":"Haarlem"}',
  // The repeat link (DDAS herhaalde melding).
  '{"vorigeMelding":"","vorigeOntvangenOp":"20T:.Z","vorigeBedragInCenten":null,"bedragInCenten":null}',
  // The signals of the other partners: health insurance, drinking water, energy.
  '{"referentie":"","soort":"premieachterstand-zorgverzekering","klant":{"voorletters":"","achternaam":"","telefoonnummer":"06","emailadres":"",'
    + '"klantnummer":"","geboortedatum":"19"},"adres":{"straatnaam":"","huisnummer":1,"huisnummertoevoeging":"","postcode":"","woonplaats":""},'
    + '"achterstand":{"bedragInCenten":,"ontstaanOp":"20"},"stappen":{"herinneringVerstuurdOp":"20","persoonlijkContactGezocht":true,'
    + '"gewezenOpSchuldhulp":true,"geenBezwaarKlant":true},"signaalpartner":"Zorg"}',
  '{"referentie":"","soort":"betalingsachterstand-water","klant":{"voorletters":"","achternaam":"","telefoonnummer":"06","emailadres":"",'
    + '"klantnummer":""},"adres":{"straatnaam":"","huisnummer":1,"postcode":"","woonplaats":""},"achterstand":{"bedragInCenten":,"ontstaanOp":"20"},'
    + '"stappen":{"herinneringVerstuurdOp":"20","persoonlijkContactGezocht":true,"gewezenOpSchuldhulp":true,"geenBezwaarKlant":true,'
    + '"contactpogingen":["20","20"],"betalingsregelingAangeboden":true},"signaalpartner":"Water"}',
  '{"referentie":"","soort":"betalingsachterstand-energie","klant":{"voorletters":"","achternaam":"","telefoonnummer":"06","emailadres":"",'
    + '"klantnummer":""},"adres":{"straatnaam":"","huisnummer":1,"postcode":"","woonplaats":""},"achterstand":{"bedragInCenten":,"ontstaanOp":"20"},'
    + '"stappen":{"herinneringVerstuurdOp":"20","persoonlijkContactGezocht":true,"gewezenOpSchuldhulp":true,"geenBezwaarKlant":true,'
    + '"contactpogingen":["20","20"],"betalingsregelingAangeboden":true},"signaalpartner":"Energie"}',
  // A corporation's melding: the other soorten, the optional parts, the selection grounds.
  '"soort":"ontruimingsdatum-bekend","soort":"betalingsregeling-niet-nagekomen","soort":"complexe-problematiek","soort":"meer-dan-huurachterstand"',
  ',"toestemming":{"gegevenOp":"20","vastgelegdDoor":""},"ontruimingsdatum":"20","vorigeMelding":"","selectiegrond":"betalingsregeling-verbroken",'
    + '"selectiegrond":"nieuwe-achterstand-binnen-12-maanden-na-regeling","selectiegrond":"automatische-incasso-gestopt-na-derde-storno",'
    + '"selectiegrond":"voorgenomen-overdracht-incasso"}',
  '"emailadres":"","huisnummertoevoeging":"","huishouden":{"aantalBewoners":1,"kinderenOnder18":true},"huishouden":{"aantalBewoners":2,"kinderenOnder18":false}',
  // The most common: a corporation's melding of rent arrears.
  '{"referentie":"","soort":"huurachterstand","huurder":{"relatienummer":"","voorletters":"","tussenvoegsel":"van","achternaam":"",'
    + '"geboortedatum":"19","telefoonnummer":"06"},"adres":{"straatnaam":"","huisnummer":1,"huisnummertoevoeging":"","postcode":"","woonplaats":""},'
    + '"huishouden":{"aantalBewoners":1},"achterstand":{"bedragInCenten":,"ontstaanOp":"20","aantalMaanden":2},"stappen":{"persoonlijkContactGezocht":true,'
    + '"gewezenOpSchuldhulp":true,"herinneringVerstuurdOp":"20","geenBezwaarHuurder":true}}',
];

/** The v2 dictionary (UTF-8; ASCII only). */
export const WOORDENBOEK_V2: Buffer = Buffer.from(DELEN_V2.join(''), 'utf8');
