// The one config file (docs/contract.md): YAML or JSON, path in SIGNAALBRUG_CONFIG, validated at start.
// Relative paths in the file are resolved against the file's own folder, so the same
// config works whatever the working directory is.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { WERKPLEKROLLEN } from './http/werkplek/context.js';
import { KANAALNAMEN, KANAALSOORTEN } from './kanalen/soorten.js';
import { SELECTIEGRONDEN, SOORTEN } from './domain/melding.js';
import { SIGNAALPARTNERS, type Signaalpartner } from './domain/signaalpartner.js';
import './taal.js';

const oin = z.string().regex(/^\d{20}$/, 'een OIN is 20 cijfers');
const mailbox = z.email();
const pc4Range = z
  .string()
  .regex(/^[1-9]\d{3}(-[1-9]\d{3})?$/, 'verwacht een PC4 of een bereik als "2011-2019"')
  .transform((s, ctx) => {
    const [van, tot = van] = s.split('-').map(Number) as [number, number?];
    if (tot < van) ctx.addIssue({ code: 'custom', message: `bereik loopt achteruit: ${s}` });
    return { van, tot };
  });

const bezorging = z.enum(KANAALNAMEN);

/** How a missing key field is named in the error. */
const VELDNAAM = { certificaat: 'een certificaat', pgpSleutel: 'een publieke sleutel' } as const;

/** How a mailbox is reached; key material per channel (issue: encrypted delivery). */
const ontvanger = z.strictObject({
  naam: z.string().min(1),
  mailbox,
  bezorging,
  /** S/MIME: the recipient's certificate (PEM). */
  certificaat: z.string().optional(),
  /** PGP: the recipient's armored public key. */
  pgpSleutel: z.string().optional(),
  /**
   * S/MIME per-recipient choices (RFC 8551). Unset: what the recipient certificate's S/MIME capabilities
   * announce (RFC 8551 2.5.2), else RSA PKCS#1 v1.5 and AES-256-CBC, which every client opens (gpgsm 2.2 opens no OAEP, no GCM).
   */
  keyTransport: z.enum(['rsa-oaep', 'rsa-pkcs1']).optional(),
  inhoudVersleuteling: z.enum(['aes-256-cbc', 'aes-256-gcm']).optional(),
  /** beveiligde-link with codeKanaal sms: the mobile number that receives the one-time code. */
  telefoon: z.string().regex(/^\+?\d{8,15}$/, 'een telefoonnummer als +31612345678').optional(),
});

export type { Signaalpartner };

const organisatie = z.strictObject({
  oin,
  naam: z.string().min(1),
  /** `signaalpartner`: a fixed-cost partner that is not a corporation (energy, water, health insurance). */
  rol: z.enum(['corporatie', 'gemeente', 'signaalpartner']),
  /**
   * The DDAS signal partner type, which picks the data set the partner may send: Huur (the corporation's
   * melding; the default for rol corporatie), Energie, Water or Zorg (rol signaalpartner).
   */
  signaalpartner: z.enum(SIGNAALPARTNERS).optional(),
  /** Optional encrypted feedback mailbox of a corporation or signal partner. */
  terugkoppeling: ontvanger.omit({ naam: true }).optional(),
}).superRefine((o, ctx) => {
  if (o.rol === 'gemeente' && o.signaalpartner !== undefined)
    ctx.addIssue({ code: 'custom', path: ['signaalpartner'], message: 'een gemeente is geen signaalpartner' });
  if (o.rol === 'corporatie' && o.signaalpartner !== undefined && o.signaalpartner !== 'Huur')
    ctx.addIssue({ code: 'custom', path: ['signaalpartner'], message: `een corporatie is signaalpartner Huur; gebruik rol signaalpartner voor ${o.signaalpartner}` });
  if (o.rol === 'signaalpartner' && (o.signaalpartner === undefined || o.signaalpartner === 'Huur'))
    ctx.addIssue({ code: 'custom', path: ['signaalpartner'], message: 'rol signaalpartner vraagt signaalpartner Energie, Water of Zorg' });
});

const wijkteam = ontvanger.extend({
  id: z.string().regex(/^[a-z0-9-]+$/, 'alleen kleine letters, cijfers en -'),
  /** OIN of the gemeente whose system may read meldingen and give terugkoppeling. */
  organisatie: oin,
  postcodes: z.array(pc4Range).min(1),
});

const listener = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535),
});

/**
 * A TLS listener's guard before any request: the handshake must finish within this time (raw TCP
 * connections and stalled ClientHellos are closed), and connections beyond the cap are refused.
 */
const tlsGrenzen = {
  handshakeTimeoutSeconden: z.number().min(0.1).max(120).default(10),
  maxVerbindingen: z.number().int().min(1).max(1_000_000).default(1000),
};
const TLS_GRENZEN_STANDAARD = { handshakeTimeoutSeconden: 10, maxVerbindingen: 1000 };

/** Retention and the logboek (docs/domein.md "Retention"; 003 Bewaartermijnen). */
const privacy = z.strictObject({
  /** Logboek dataverwerkingen kept this many years (003: 5 years for complaints and accountability). */
  logboekJaren: z.number().int().min(1).max(30).default(5),
  /** Personal data of a case removed this many days after it ended (afgesloten, ingetrokken, teruggekoppeld). */
  bewaartermijnDagen: z.number().int().min(1).max(3650).default(365),
  /** 003: data of people who refused help (wilHulp false) at most 6 months. */
  weigeringBewaartermijnDagen: z.number().int().min(1).max(3650).default(183),
  /** A case that never ends still loses its personal data this many days after receipt. */
  uiterlijkeBewaartermijnDagen: z.number().int().min(1).max(3650).default(730),
  /** How often the retention job looks for cases whose time has come. */
  opruimSeconden: z.number().min(0.05).max(86_400).default(3600),
  /** The register of processing activities (AVG art. 30) that `dpl.core.processing_activity_id` points into. */
  verwerkingsregister: z.string().min(1).default('urn:signaalbrug:verwerkingsregister'),
});
const PRIVACY_STANDAARD = {
  logboekJaren: 5, bewaartermijnDagen: 365, weigeringBewaartermijnDagen: 183, uiterlijkeBewaartermijnDagen: 730,
  opruimSeconden: 3600, verwerkingsregister: 'urn:signaalbrug:verwerkingsregister',
};

/**
 * The werkplek (web workplace for staff): login with the organisation's own OpenID Provider
 * (authorization code + PKCE). Each issuer belongs to one organisation (OIN); a claim of the IdP
 * (`rolclaim`, e.g. groups) maps to a role within that organisation. A second factor is required:
 * the ID token's `acr` must be one of `acr`, or its `amr` must hold one of `amr` (NTA 7516, BIO).
 */
const werkplekIssuer = z.strictObject({
  /** Short name, used in the login URL (/inloggen/<naam>). */
  naam: z.string().regex(/^[a-z0-9-]{1,40}$/, 'kleine letters, cijfers en -'),
  issuer: z.url(),
  clientId: z.string().min(1),
  /** The client secret: inline, from a file, or from an environment variable (never logged). */
  clientSecret: z.string().min(1).optional(),
  clientSecretBestand: z.string().min(1).optional(),
  clientSecretEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'de naam van een omgevingsvariabele').optional(),
  /** OIN of the organisation whose people log in here. */
  organisatie: oin,
  /** The claim that carries the roles (a string or an array of strings). */
  rolclaim: z.string().min(1).default('groups'),
  /** Claim value to role; the first value in this order that the user has wins. */
  rollen: z.record(z.string().min(1), z.strictObject({
    rol: z.enum(WERKPLEKROLLEN),
    wijkteam: z.string().optional(),
  })).refine((r) => Object.keys(r).length > 0, 'minstens een rol'),
  /** Accepted `acr` values (second factor); asked for with acr_values. */
  acr: z.array(z.string().min(1)).min(1).optional(),
  /** Accepted `amr` values, one of which must be in the ID token (e.g. otp, hwk, mfa). */
  amr: z.array(z.string().min(1)).min(1).optional(),
  /** Extra CAs for the OP's TLS certificate (a development OP); the system store otherwise. */
  ca: z.array(z.string()).default([]),
  scope: z.string().default('openid profile'),
});

const werkplek = listener.extend({
  port: listener.shape.port.default(8445),
  /** Base URL of the werkplek as browsers reach it (the redirect URI is <publiekeUrl>/inloggen/terug). */
  publiekeUrl: z.url().optional(),
  issuers: z.array(werkplekIssuer).min(1),
  /** A session ends after this many minutes without a request... */
  sessieMinutenInactief: z.number().int().min(1).max(240).default(15),
  /** ...and this many minutes after the login in any case. */
  sessieMinutenMaximaal: z.number().int().min(1).max(1440).default(600),
  /** Time to finish the login at the OP. */
  loginMinuten: z.number().int().min(1).max(60).default(10),
  /** Login attempts per client IP per minute (shared across instances through Redis). */
  loginsPerMinuut: z.number().int().min(1).max(10_000).default(30),
  ...tlsGrenzen,
});

/** A convenant's profile: its terms, stages, soorten and selection criteria (one per gemeente). */
const convenantSchema = z.strictObject({
  naam: z.string().min(1),
  /** convenant art. 3.7: feedback within 5 werkdagen; Hilversum uses 28. */
  werkdagenTerugkoppeling: z.number().int().min(1).max(60).default(5),
  /** Extra non-working days (e.g. a new Koninklijk Besluit), YYYY-MM-DD. */
  extraVrijeDagen: z.array(z.iso.date()).default([]),
  /** The reminder to the wijkteam goes out at this hour (Europe/Amsterdam) of the last werkdag. */
  herinneringUur: z.number().int().min(0).max(23).default(8),
  /**
   * Further terms of the convenant, tracked on every case until feedback or withdrawal; a breach is
   * recorded as a gebeurtenis (e.g. Haarlem art. 6.2: a payment proposal within two weeks).
   */
  extraTermijnen: z.array(z.strictObject({
    naam: z.string().regex(/^[a-z0-9-]{1,40}$/, 'kleine letters, cijfers en -'),
    artikel: z.string().min(1),
    werkdagen: z.number().int().min(1).max(365).optional(),
    kalenderdagen: z.number().int().min(1).max(365).optional(),
  }).refine((e) => (e.werkdagen === undefined) !== (e.kalenderdagen === undefined), 'geef werkdagen of kalenderdagen, niet beide')).default([]),
  /**
   * SLA warnings to the wijkteam before the reminder of the last werkdag (Zammad/Znuny style):
   * at `uur` o'clock on the werkdag `werkdagenVoor` werkdagen before the deadline day; each once.
   */
  waarschuwingen: z.array(z.strictObject({
    naam: z.string().regex(/^[a-z0-9-]{1,40}$/, 'kleine letters, cijfers en -'),
    werkdagenVoor: z.number().int().min(1).max(30),
    uur: z.number().int().min(0).max(23).default(8),
  })).default([]).refine((ws) => new Set(ws.map((w) => w.naam)).size === ws.length, 'elke waarschuwing een eigen naam'),
  /**
   * convenant art. 8.2: werkdagen the troubleshooter has to take an escalation up; after that it is
   * raised once more to `tweedeEscalatie`. Unset: no second escalation.
   */
  opnemenWerkdagen: z.number().int().min(1).max(30).optional(),
  /**
   * DDAS "herhaalde melding": a melding for a tenant (same corporation and relatienummer) within this
   * many days of an earlier one is linked to it, and the wijkteam is told whether the arrears grew.
   */
  herhalingVensterDagen: z.number().int().min(1).max(730).default(365),
  /** This convenant's article (or phase) per soort, named in messages; unset: the Haarlem convenant's (004). */
  artikelen: z.partialRecord(z.enum(SOORTEN), z.string().min(1).max(60)).optional(),
  /** The soorten this convenant accepts (unset: every soort). */
  soorten: z.array(z.enum(SOORTEN)).min(1).optional(),
  /**
   * Selection criteria checked at intake (003 Hilversum fase A): a melding with arrears is taken when
   * `achterstand.aantalMaanden` reaches `minimaleAchterstandMaanden`, or when it states one of `gronden`.
   * Unset: no criteria beyond the melding schema (004 Haarlem).
   */
  selectie: z.strictObject({
    minimaleAchterstandMaanden: z.number().min(0).max(120).optional(),
    gronden: z.array(z.enum(SELECTIEGRONDEN)).default([]),
    /** The article or phase that sets the criteria, named in the refusal. */
    artikel: z.string().min(1).optional(),
  }).optional(),
  /** Retention terms of this convenant where they differ from the deployment's `privacy`. */
  bewaartermijn: z.strictObject({
    bewaartermijnDagen: z.number().int().min(1).max(3650).optional(),
    weigeringBewaartermijnDagen: z.number().int().min(1).max(3650).optional(),
    uiterlijkeBewaartermijnDagen: z.number().int().min(1).max(3650).optional(),
  }).optional(),
});

/** A sender identity for mail: From address and signing material (S/MIME and OpenPGP). */
const afzender = z.strictObject({
  naam: z.string().min(1),
  mailbox,
  certificaat: z.string(),
  sleutel: z.string(),
  pgpSleutel: z.string(),
});

const gemeentecode = z.string().regex(/^\d{4}$/, 'een CBS-gemeentecode is vier cijfers, bijvoorbeeld 0392');

/** A gemeente of a regional hub with its own convenant; its wijkteams belong to it (their organisatie is the gemeente's OIN). */
const gemeente = z.strictObject({
  code: gemeentecode,
  oin,
  naam: z.string().min(1),
  convenant: convenantSchema,
  wijkteams: z.array(wijkteam.extend({ organisatie: oin.optional() })).min(1),
  troubleshooter: ontvanger,
  tweedeEscalatie: ontvanger.optional(),
  /** The gemeente's own sender identity; unset: the deployment's `afzender`. */
  afzender: afzender.optional(),
});

/** A signal partner (a corporation, an energy or water company, a health insurer), defined once. */
const partner = z.strictObject({
  oin,
  naam: z.string().min(1),
  signaalpartner: z.enum(SIGNAALPARTNERS).default('Huur'),
  /** The gemeenten (codes) whose convenant it signed; only there may it send. */
  gemeenten: z.array(gemeentecode).min(1),
  terugkoppeling: ontvanger.omit({ naam: true }).optional(),
});

type Ruwe = { organisaties: { oin: string; rol: 'corporatie' | 'gemeente' | 'signaalpartner' }[]; wijkteams: { id: string; organisatie: string }[]; werkplek?: z.infer<typeof werkplek> };

/** Every issuer belongs to a known organisation, and every role it hands out fits that organisation. */
function controleerWerkplek(c: Ruwe, ctx: z.RefinementCtx): void {
  const namen = new Set<string>();
  c.werkplek!.issuers.forEach((iss, i) => {
    const p = ['werkplek', 'issuers', i];
    if (namen.has(iss.naam)) ctx.addIssue({ code: 'custom', path: [...p, 'naam'], message: `issuer ${iss.naam} staat er twee keer in` });
    namen.add(iss.naam);
    const org = c.organisaties.find((o) => o.oin === iss.organisatie);
    if (!org) {
      ctx.addIssue({ code: 'custom', path: [...p, 'organisatie'], message: `onbekende organisatie ${iss.organisatie}: die OIN staat niet in organisaties` });
      return;
    }
    const geheimen = [iss.clientSecret, iss.clientSecretBestand, iss.clientSecretEnv].filter((g) => g !== undefined).length;
    if (geheimen > 1) ctx.addIssue({ code: 'custom', path: [...p, 'clientSecret'], message: 'geef clientSecret, clientSecretBestand of clientSecretEnv, niet meer dan een' });
    if (!iss.acr && !iss.amr)
      ctx.addIssue({ code: 'custom', path: [...p, 'acr'], message: 'een tweede factor is verplicht (NTA 7516): geef acr of amr' });
    for (const [waarde, r] of Object.entries(iss.rollen)) {
      const rp = [...p, 'rollen', waarde];
      const nodig = r.rol === 'corporatie-medewerker' ? 'corporatie'
        : ['wijkteam-medewerker', 'coordinator', 'troubleshooter'].includes(r.rol) ? 'gemeente' : undefined;
      if (nodig && org.rol !== nodig)
        ctx.addIssue({ code: 'custom', path: [...rp, 'rol'], message: `rol ${r.rol} hoort bij een ${nodig}; ${iss.organisatie} is een ${org.rol}` });
      if (r.rol === 'wijkteam-medewerker') {
        const w = c.wijkteams.find((x) => x.id === r.wijkteam);
        if (!r.wijkteam) ctx.addIssue({ code: 'custom', path: [...rp, 'wijkteam'], message: 'rol wijkteam-medewerker vraagt een wijkteam' });
        else if (!w) ctx.addIssue({ code: 'custom', path: [...rp, 'wijkteam'], message: `onbekend wijkteam ${r.wijkteam}` });
        else if (w.organisatie !== iss.organisatie)
          ctx.addIssue({ code: 'custom', path: [...rp, 'wijkteam'], message: `wijkteam ${r.wijkteam} hoort niet bij ${iss.organisatie}` });
      } else if (r.wijkteam !== undefined)
        ctx.addIssue({ code: 'custom', path: [...rp, 'wijkteam'], message: 'alleen rol wijkteam-medewerker heeft een wijkteam' });
    }
  });
}

const configVorm = z
  .strictObject({
    convenant: convenantSchema.optional(),
    termijnen: z.strictObject({
      /** How often the scheduler fires due timers: a reminder or escalation is at most this late (≤ 60). */
      sweepSeconden: z.number().min(0.05).max(60).default(10),
    }).default({ sweepSeconden: 10 }),
    /**
     * The logboek's archive (README "Privacy"): the worker role moves records older
     * than `archiveerNaSeconden` (service clock) out of the stream into compressed blocks of
     * `blokRecords` records in Redis, looking every `archiveerElkeSeconden`. Only whole blocks: fewer
     * older records wait in the stream.
     */
    logboek: z.strictObject({
      archiveerNaSeconden: z.number().min(0).max(31 * 86_400).default(300),
      archiveerElkeSeconden: z.number().min(0.05).max(86_400).default(60),
      blokRecords: z.number().int().min(1).max(5000).default(2000),
    }).default({ archiveerNaSeconden: 300, archiveerElkeSeconden: 60, blokRecords: 2000 }),
    /**
     * A regional hub (README "Running a regional hub"): each gemeente with its own convenant, wijkteams,
     * troubleshooter and sender; partners are defined once. Instead of the single-convenant shape
     * (convenant, organisaties, wijkteams, troubleshooter, tweedeEscalatie), which still works for one gemeente.
     */
    gemeenten: z.array(gemeente).min(1).optional(),
    partners: z.array(partner).min(1).optional(),
    organisaties: z.array(organisatie).min(1).optional(),
    wijkteams: z.array(wijkteam).min(1).optional(),
    troubleshooter: ontvanger.optional(),
    /** Where an escalation the troubleshooter did not take up in time goes (e.g. the coordinator). */
    tweedeEscalatie: ontvanger.optional(),
    api: listener.extend({
      port: listener.shape.port.default(8443),
      bodyLimitBytes: z.number().int().min(1024).max(1_048_576).default(65_536),
      requestTimeoutMs: z.number().int().min(1000).default(15_000),
      ...tlsGrenzen,
    }),
    portal: listener.extend({
      port: listener.shape.port.default(8444),
      /** Base URL of the portal as recipients reach it (links in notification mails). */
      publiekeUrl: z.url().optional(),
      /** NTA 7516 / ZorgMail: a secure link lives 90 days unless withdrawn. */
      linkGeldigDagen: z.number().int().min(1).max(365).default(90),
      /** ZorgMail: a one-time code is valid 15 minutes. */
      codeGeldigMinuten: z.number().int().min(1).max(60).default(15),
      /** Wrong codes before the link locks. */
      maxPogingen: z.number().int().min(1).max(10).default(5),
      sessieMinuten: z.number().int().min(1).max(240).default(30),
      /** Second channel for the code: mail (default) or an SMS provider reached over HTTPS. */
      codeKanaal: z.enum(['mail', 'sms']).default('mail'),
      sms: z.strictObject({ url: z.url(), token: z.string().optional() }).optional(),
      ...tlsGrenzen,
    }).default({ host: '127.0.0.1', port: 8444, linkGeldigDagen: 90, codeGeldigMinuten: 15, maxPogingen: 5, sessieMinuten: 30, codeKanaal: 'mail', ...TLS_GRENZEN_STANDAARD }),
    ops: listener.extend({ port: listener.shape.port.default(9464) }).default({ host: '127.0.0.1', port: 9464 }),
    tls: z.strictObject({
      cert: z.string(),
      key: z.string(),
      /** CA bundle that client certificates must chain to (PKIoverheid in production). */
      ca: z.array(z.string()).min(1),
      /** CRLs of those CAs; Digikoppeling: refreshed at least every 4 hours. */
      crl: z.array(z.string()).min(1),
      crlVerversenMinuten: z.number().min(1).max(240).default(60),
    }),
    redis: z.strictObject({
      /** One Redis (redis:// or rediss:// for TLS); or, for high availability, `sentinels` and `naam`. */
      url: z.string().regex(/^rediss?:\/\//, 'verwacht redis:// of rediss://').optional(),
      /** Redis Sentinel: where the sentinels listen; they name the current primary of `naam`. */
      sentinels: z.array(z.strictObject({ host: z.string().min(1), port: z.number().int().min(1).max(65535) })).min(1).optional(),
      /** The master name the sentinels monitor (`sentinel monitor <naam> ...`). */
      naam: z.string().min(1).optional(),
      /** ACL user; the password comes from a file or an environment variable, never from this file. */
      gebruiker: z.string().min(1).optional(),
      wachtwoordBestand: z.string().min(1).optional(),
      wachtwoordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'de naam van een omgevingsvariabele').optional(),
      /** The sentinels' own password (requirepass in sentinel.conf), when they have one. */
      sentinelWachtwoordBestand: z.string().min(1).optional(),
      sentinelWachtwoordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'de naam van een omgevingsvariabele').optional(),
      /** TLS to Redis (and to the sentinels): the CAs its certificate chains to. */
      tls: z.strictObject({ ca: z.array(z.string()).default([]), servername: z.string().optional() }).optional(),
      /**
       * Acknowledge a write (201) only after this many replicas have it (WAIT replicas timeoutMs), so a
       * failover loses nothing acknowledged. Off when absent.
       */
      replicaBevestiging: z.strictObject({
        replicas: z.number().int().min(1).max(16).default(1),
        timeoutMs: z.number().int().min(10).max(4000).default(500),
      }).optional(),
      prefix: z.string().regex(/^[a-z0-9]+$/).default('sb'),
      /**
       * Connections the API spreads its intake writes over. Redis reads at most 16 KB per connection
       * per event-loop turn and fsyncs once per turn, so one busy connection waits on many fsyncs.
       */
      intakeVerbindingen: z.number().int().min(1).max(8).default(4),
    }).superRefine((r, ctx) => {
      const fout = (message: string, pad: string) => ctx.addIssue({ code: 'custom', message, path: [pad] });
      if (r.url && r.sentinels) fout('kies url of sentinels, niet allebei', 'sentinels');
      if (!r.url && !r.sentinels) fout('geef url, of sentinels met naam', 'url');
      if (r.sentinels && !r.naam) fout('sentinels zonder naam: geef de master-naam die de sentinels bewaken', 'naam');
      if (r.naam && !r.sentinels) fout('naam hoort bij sentinels', 'naam');
      if (r.wachtwoordBestand && r.wachtwoordEnv) fout('kies wachtwoordBestand of wachtwoordEnv, niet allebei', 'wachtwoordEnv');
      if (r.sentinelWachtwoordBestand && r.sentinelWachtwoordEnv) fout('kies sentinelWachtwoordBestand of sentinelWachtwoordEnv, niet allebei', 'sentinelWachtwoordEnv');
      if (!r.sentinels && (r.sentinelWachtwoordBestand || r.sentinelWachtwoordEnv)) fout('een sentinelwachtwoord hoort bij sentinels', 'sentinelWachtwoordBestand');
    }),
    /** The service's own identity for mail: From address and signing material (S/MIME and OpenPGP). */
    afzender,
    /** Where S/MIME recipient certificates must chain to, and their CRLs (fail closed when revoked). */
    smimePki: z.strictObject({ ca: z.array(z.string()).min(1), crl: z.array(z.string()).default([]) }),
    smtp: z.strictObject({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(587),
      servername: z.string().optional(),
      /** CAs for the SMTP server's certificate; when given they replace the system store (Node's `ca`). */
      ca: z.array(z.string()).default([]),
      gebruiker: z.string().optional(),
      wachtwoord: z.string().optional(),
      maxVerbindingen: z.number().int().min(1).max(50).default(3),
    }),
    bezorging: z.strictObject({
      /** Attempts before a message is given up (bezorging-mislukt) and the operator alerted. */
      pogingen: z.number().int().min(1).max(50).default(12),
      /** First wait; each next attempt waits twice as long (12 attempts span about 68 hours). */
      eersteWachttijdSeconden: z.number().min(0.01).default(60),
      gelijktijdig: z.number().int().min(1).max(64).default(8),
      /** How long a worker holds a job before another may take it over (crashed worker). */
      lockSeconden: z.number().min(1).max(600).default(30),
      /** How often recipient and sender key files are re-read (0: no timer); a change is also picked up at once through fs.watch. */
      sleutelsHerlaadSeconden: z.number().min(0).max(3600).default(60),
    }).default({ pogingen: 12, eersteWachttijdSeconden: 60, gelijktijdig: 8, lockSeconden: 30, sleutelsHerlaadSeconden: 60 }),
    /** Keyring for encryption at rest; or the env var SIGNAALBRUG_SLEUTELS with the same JSON. */
    versleuteling: z.strictObject({
      sleutelbestand: z.string().optional(),
      /** How often a running service re-reads the keyring file (key rotation without a restart); 0: never. */
      herlaadSeconden: z.number().min(0).max(3600).default(30),
    }).default({ herlaadSeconden: 30 }),
    privacy: privacy.default(PRIVACY_STANDAARD),
    /** Reports: counts from 1 to kleinAantal - 1 are shown as "< kleinAantal", so no figure points to a person. */
    rapportage: z.strictObject({ kleinAantal: z.number().int().min(1).max(100).default(5) }).default({ kleinAantal: 5 }),
    /** The werkplek role's listener and login; required only when that role runs. */
    werkplek: werkplek.optional(),
  });

export const configSchema = configVorm
  .superRefine((c, ctx) => {
    if (!controleerVorm(c, ctx)) return;
    const v = ontvouw(c);
    if (c.gemeenten) controleerHub(c.gemeenten, c.partners!, ctx);
    const rollen = new Map(v.organisaties.map((o) => [o.oin, o.rol]));
    if (!c.gemeenten)
      v.organisaties.forEach((o, i) => {
        if (v.organisaties.findIndex((p) => p.oin === o.oin) !== i)
          ctx.addIssue({ code: 'custom', path: ['organisaties', i, 'oin'], message: `OIN ${o.oin} staat er twee keer in` });
      });
    const bezet: { van: number; tot: number; id: string; gemeente: string }[] = [];
    const ids = new Set<string>();
    v.wijkteams.forEach((w, i) => {
      const p = v.wijkteamPad[i]!;
      if (ids.has(w.id)) ctx.addIssue({ code: 'custom', path: [...p, 'id'], message: `wijkteam ${w.id} staat er twee keer in` });
      ids.add(w.id);
      if (rollen.get(w.organisatie) !== 'gemeente')
        ctx.addIssue({ code: 'custom', path: [...p, 'organisatie'], message: `${w.organisatie} is geen organisatie met rol gemeente` });
      w.postcodes.forEach((r, j) => {
        const botsing = bezet.find((b) => r.van <= b.tot && b.van <= r.tot);
        if (botsing)
          ctx.addIssue({ code: 'custom', path: [...p, 'postcodes', j], message: `overlapt met wijkteam ${botsing.id}${botsing.gemeente !== w.gemeente ? ` van gemeente ${botsing.gemeente}` : ''}` });
        bezet.push({ ...r, id: w.id, gemeente: w.gemeente });
      });
    });
    const kanalen: { o: z.infer<typeof ontvanger>; p: Pad }[] = v.wijkteams.map((w, i) => ({ o: w, p: v.wijkteamPad[i]! }));
    // Only wijkteams can read in the portal; the troubleshooter and corporations need a key.
    const anderen: { o: Pick<z.infer<typeof ontvanger>, 'bezorging' | 'certificaat' | 'pgpSleutel'>; p: Pad }[] = [];
    v.gemeenten.forEach((g, i) => {
      const p = v.gemeentePad[i]!;
      if (g.convenant.opnemenWerkdagen !== undefined && !g.tweedeEscalatie)
        ctx.addIssue({ code: 'custom', path: [...p, 'tweedeEscalatie'], message: 'convenant.opnemenWerkdagen vraagt een mailbox voor de tweede escalatie' });
      anderen.push({ o: g.troubleshooter, p: [...p, 'troubleshooter'] });
      if (g.tweedeEscalatie) anderen.push({ o: g.tweedeEscalatie, p: [...p, 'tweedeEscalatie'] });
    });
    if (c.gemeenten) c.partners!.forEach((o, i) => { if (o.terugkoppeling) anderen.push({ o: o.terugkoppeling, p: ['partners', i, 'terugkoppeling'] }); });
    else v.organisaties.forEach((o, i) => { if (o.terugkoppeling) anderen.push({ o: o.terugkoppeling, p: ['organisaties', i, 'terugkoppeling'] }); });
    for (const { o, p } of anderen) {
      if (KANAALSOORTEN[o.bezorging].alleenWijkteams)
        ctx.addIssue({ code: 'custom', path: [...p, 'bezorging'], message: `${o.bezorging} is alleen voor wijkteams` });
    }
    if (c.portal.codeKanaal === 'sms') {
      if (!c.portal.sms) ctx.addIssue({ code: 'custom', path: ['portal', 'sms'], message: 'codeKanaal sms vraagt een sms-aanbieder (url)' });
      v.wijkteams.forEach((w, i) => {
        // Recipients who read in the portal get their one-time code by SMS on this number.
        if (KANAALSOORTEN[w.bezorging].alleenWijkteams && !w.telefoon)
          ctx.addIssue({ code: 'custom', path: [...v.wijkteamPad[i]!, 'telefoon'], message: 'codeKanaal sms vraagt een telefoonnummer' });
      });
    }
    if (c.werkplek) controleerWerkplek({ ...v, werkplek: c.werkplek }, ctx);
    for (const { o, p } of [...kanalen, ...anderen]) {
      // Fail closed at start: no channel without its key material (NTA 7516: no fall-back).
      for (const veld of KANAALSOORTEN[o.bezorging].vereist)
        if (!o[veld]) ctx.addIssue({ code: 'custom', path: [...p, veld], message: `${o.bezorging} vraagt ${VELDNAAM[veld]}` });
    }
  })
  .transform((c) => {
    const { gemeenten: _g, partners: _p, organisaties: _o, wijkteams: _w, troubleshooter: _t, tweedeEscalatie: _e, convenant: _c, ...rest } = c;
    const v = ontvouw(c);
    const eerste = v.gemeenten[0]!;
    return {
      ...rest, gemeenten: v.gemeenten, partners: v.partners, organisaties: v.organisaties, wijkteams: v.wijkteams,
      /** The first gemeente's convenant, troubleshooter and second escalation (a one-gemeente deployment: the only ones). */
      convenant: eerste.convenant, troubleshooter: eerste.troubleshooter, ...(eerste.tweedeEscalatie ? { tweedeEscalatie: eerste.tweedeEscalatie } : {}),
    };
  });

type Pad = (string | number)[];
type RuweConfig = z.output<typeof configVorm>;
type ConvenantProfiel = z.output<typeof convenantSchema>;
type RuweWijkteam = z.output<typeof wijkteam>;

/** A gemeente as the services see it, in either config shape. */
export interface Gemeente {
  /** CBS gemeentecode; empty in a single-convenant config (no gemeenten block). */
  code: string;
  oin: string;
  naam: string;
  convenant: ConvenantProfiel;
  wijkteams: (RuweWijkteam & { gemeente: string })[];
  troubleshooter: z.output<typeof ontvanger>;
  tweedeEscalatie?: z.output<typeof ontvanger>;
  afzender?: z.output<typeof afzender>;
}
export interface Partner {
  oin: string;
  naam: string;
  signaalpartner: Signaalpartner;
  /** Codes of the gemeenten whose convenant it signed; undefined: every one (single-convenant config). */
  gemeenten?: string[];
}

/** One shape or the other: a hub (gemeenten + partners) or a single convenant; never a mix. */
function controleerVorm(c: RuweConfig, ctx: z.RefinementCtx): boolean {
  const fout = (path: Pad, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const oud = ['convenant', 'organisaties', 'wijkteams', 'troubleshooter', 'tweedeEscalatie'] as const;
  if (c.gemeenten) {
    for (const k of oud)
      if (c[k] !== undefined)
        fout([k], k === 'wijkteams' ? 'een wijkteam hoort bij een gemeente: zet het onder gemeenten[].wijkteams'
          : k === 'organisaties' ? 'met gemeenten staan de partners onder partners (en de gemeenten onder gemeenten)'
            : `met gemeenten hoort ${k} bij een gemeente: zet het onder gemeenten[].${k}`);
    if (!c.partners) fout(['partners'], 'gemeenten vraagt partners: de corporaties en andere signaalpartners, elk met de gemeenten waar zij melden');
    return oud.every((k) => c[k] === undefined) && Boolean(c.partners);
  }
  if (c.partners) fout(['partners'], 'partners hoort bij gemeenten: geef ook gemeenten, of zet de partners onder organisaties');
  for (const k of ['convenant', 'organisaties', 'wijkteams', 'troubleshooter'] as const)
    if (c[k] === undefined) fout([k], 'verplicht (of geef gemeenten en partners voor een regionale hub)');
  return !c.partners && c.convenant !== undefined && c.organisaties !== undefined && c.wijkteams !== undefined && c.troubleshooter !== undefined;
}

/** Unique codes and OINs; every partner names known gemeenten; a wijkteam's organisatie is its gemeente. */
function controleerHub(gemeenten: NonNullable<RuweConfig['gemeenten']>, partners: NonNullable<RuweConfig['partners']>, ctx: z.RefinementCtx): void {
  const fout = (path: Pad, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const codes = new Set<string>();
  const oins = new Map<string, string>();
  gemeenten.forEach((g, i) => {
    if (codes.has(g.code)) fout(['gemeenten', i, 'code'], `gemeentecode ${g.code} staat er twee keer in`);
    codes.add(g.code);
    if (oins.has(g.oin)) fout(['gemeenten', i, 'oin'], `OIN ${g.oin} staat er twee keer in (ook bij ${oins.get(g.oin)})`);
    oins.set(g.oin, g.naam);
    g.wijkteams.forEach((w, j) => {
      if (w.organisatie !== undefined && w.organisatie !== g.oin)
        fout(['gemeenten', i, 'wijkteams', j, 'organisatie'], `wijkteam ${w.id} hoort bij ${g.naam} (${g.oin}); laat organisatie weg of geef die OIN`);
    });
  });
  partners.forEach((p, i) => {
    if (oins.has(p.oin)) fout(['partners', i, 'oin'], `OIN ${p.oin} staat er twee keer in (ook bij ${oins.get(p.oin)})`);
    oins.set(p.oin, p.naam);
    p.gemeenten.forEach((code, j) => {
      if (!codes.has(code)) fout(['partners', i, 'gemeenten', j], `onbekende gemeente ${code}: die code staat niet in gemeenten`);
    });
  });
}

/** Both shapes as one view: gemeenten with their wijkteams, the partners, and every organisation (with where each came from). */
function ontvouw(c: RuweConfig) {
  if (c.gemeenten) {
    const gemeenten: Gemeente[] = c.gemeenten.map((g) => ({
      code: g.code, oin: g.oin, naam: g.naam, convenant: g.convenant,
      wijkteams: g.wijkteams.map((w) => ({ ...w, organisatie: g.oin, gemeente: g.code })),
      troubleshooter: g.troubleshooter, ...(g.tweedeEscalatie ? { tweedeEscalatie: g.tweedeEscalatie } : {}), ...(g.afzender ? { afzender: g.afzender } : {}),
    }));
    const partners: Partner[] = c.partners!.map((p) => ({ oin: p.oin, naam: p.naam, signaalpartner: p.signaalpartner, gemeenten: p.gemeenten }));
    const organisaties: Organisatie[] = [
      ...c.partners!.map((p) => ({ oin: p.oin, naam: p.naam, rol: p.signaalpartner === 'Huur' ? 'corporatie' as const : 'signaalpartner' as const, signaalpartner: p.signaalpartner, ...(p.terugkoppeling ? { terugkoppeling: p.terugkoppeling } : {}) })),
      ...c.gemeenten.map((g) => ({ oin: g.oin, naam: g.naam, rol: 'gemeente' as const })),
    ];
    return {
      gemeenten, partners, organisaties, wijkteams: gemeenten.flatMap((g) => g.wijkteams),
      gemeentePad: c.gemeenten.map((_, i): Pad => ['gemeenten', i]),
      wijkteamPad: c.gemeenten.flatMap((g, i) => g.wijkteams.map((_, j): Pad => ['gemeenten', i, 'wijkteams', j])),
    };
  }
  // A single-convenant config: one gemeente (without a code) holding every wijkteam; every corporation signed it.
  const organisaties = c.organisaties ?? [];
  const g0 = organisaties.find((o) => o.rol === 'gemeente');
  const wijkteams = (c.wijkteams ?? []).map((w) => ({ ...w, gemeente: '' }));
  const gemeenten: Gemeente[] = [{
    code: '', oin: g0?.oin ?? '', naam: g0?.naam ?? '', convenant: c.convenant!, wijkteams,
    troubleshooter: c.troubleshooter!, ...(c.tweedeEscalatie ? { tweedeEscalatie: c.tweedeEscalatie } : {}),
  }];
  const partners: Partner[] = organisaties.filter(isMelder).map((o) => ({ oin: o.oin, naam: o.naam, signaalpartner: o.signaalpartner ?? 'Huur' }));
  return { gemeenten, partners, organisaties, wijkteams, gemeentePad: [[]] as Pad[], wijkteamPad: wijkteams.map((_, i): Pad => ['wijkteams', i]) };
}

export type Config = z.output<typeof configSchema>;
export type Wijkteam = Config['wijkteams'][number];
export type Organisatie = z.output<typeof organisatie>;
export type WerkplekConfig = NonNullable<Config['werkplek']>;
export type WerkplekIssuer = WerkplekConfig['issuers'][number];

/** The gemeente a case belongs to: by its code, else by its wijkteam, else the first (a one-gemeente deployment). */
export function gemeenteVan(config: Pick<Config, 'gemeenten'>, c: { gemeente?: string; wijkteam?: string }): Gemeente {
  return (c.gemeente ? config.gemeenten.find((g) => g.code === c.gemeente) : undefined)
    ?? (c.wijkteam !== undefined ? config.gemeenten.find((g) => g.wijkteams.some((w) => w.id === c.wijkteam)) : undefined)
    ?? config.gemeenten[0]!;
}

/**
 * The DDAS signal partner type of the organisation with this OIN: its own `signaalpartner`, Huur for a
 * corporation; undefined for a gemeente or an unknown OIN (it may send nothing).
 */
export function signaalpartnerVan(config: Pick<Config, 'organisaties'>, oin: string): Signaalpartner | undefined {
  const o = config.organisaties.find((x) => x.oin === oin);
  if (!o || o.rol === 'gemeente') return undefined;
  return o.signaalpartner ?? 'Huur';
}

/** Whether the organisation sends signals (a corporation or another signal partner), rather than receives them. */
export const isMelder = (o: Pick<Organisatie, 'rol'>): boolean => o.rol !== 'gemeente';

export class ConfigError extends Error {
  readonly code = 'SB_CONFIG';
}

const PATH_FIELDS = ['certificaat', 'pgpSleutel', 'cert', 'key', 'sleutel', 'sleutelbestand'] as const;

/** Resolve file references relative to the config file's folder. */
function resolvePaths(c: Config, dir: string): Config {
  const abs = (p: string) => path.resolve(dir, p);
  const fix = <T extends Record<string, unknown>>(o: T): T => {
    const copy: Record<string, unknown> = { ...o };
    for (const f of PATH_FIELDS) if (typeof copy[f] === 'string') copy[f] = abs(copy[f] as string);
    return copy as T;
  };
  const gemeenten = c.gemeenten.map((g) => ({
    ...g, wijkteams: g.wijkteams.map(fix), troubleshooter: fix(g.troubleshooter),
    ...(g.tweedeEscalatie ? { tweedeEscalatie: fix(g.tweedeEscalatie) } : {}), ...(g.afzender ? { afzender: fix(g.afzender) } : {}),
  }));
  return {
    ...c,
    gemeenten,
    organisaties: c.organisaties.map((o) => (o.terugkoppeling ? { ...o, terugkoppeling: fix(o.terugkoppeling) } : o)),
    wijkteams: gemeenten.flatMap((g) => g.wijkteams),
    troubleshooter: gemeenten[0]!.troubleshooter,
    ...(gemeenten[0]!.tweedeEscalatie ? { tweedeEscalatie: gemeenten[0]!.tweedeEscalatie } : {}),
    tls: { ...fix(c.tls), ca: c.tls.ca.map(abs), crl: c.tls.crl.map(abs) },
    versleuteling: fix(c.versleuteling),
    afzender: fix(c.afzender),
    smimePki: { ca: c.smimePki.ca.map(abs), crl: c.smimePki.crl.map(abs) },
    smtp: { ...c.smtp, ca: c.smtp.ca.map(abs) },
    ...(c.werkplek ? {
      werkplek: {
        ...c.werkplek,
        issuers: c.werkplek.issuers.map((i) => ({
          ...i, ca: i.ca.map(abs), ...(i.clientSecretBestand ? { clientSecretBestand: abs(i.clientSecretBestand) } : {}),
        })),
      },
    } : {}),
  };
}

export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => `${file}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('\n');
}

/** Parse a config document; `env` may override the listener ports (docs/contract.md: PORT, PORTAL_PORT, WERKPLEK_PORT). */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = {}): Config {
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${file}: kan niet gelezen worden: ${(err as Error).message}`);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(formatIssues(file, result.error.issues));
  const c = resolvePaths(result.data, path.dirname(path.resolve(file)));
  const port = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new ConfigError(`${name}: geen geldig poortnummer: ${v}`);
    return Number(v);
  };
  return {
    ...c,
    api: { ...c.api, port: port('PORT', c.api.port) },
    portal: { ...c.portal, port: port('PORTAL_PORT', c.portal.port) },
    ops: { ...c.ops, port: port('OPS_PORT', c.ops.port) },
    redis: redisUit(c.redis, path.dirname(path.resolve(file)), env, file),
    smtp: { ...c.smtp, port: port('SMTP_PORT', c.smtp.port) },
    ...(c.werkplek ? { werkplek: metPubliekeUrl(c.werkplek, port('WERKPLEK_PORT', c.werkplek.port)) } : {}),
  };
}

/**
 * The redis block with its paths resolved against the config file's folder. REDIS_URL replaces `url`
 * (it cannot replace sentinels). A password file must be there and readable now, so a broken
 * setup stops the start instead of every connection failing later; its content is read again when
 * connecting (src/store/redis.ts) and never kept in the config, so it cannot end up in a log.
 */
function redisUit(r: Config['redis'], dir: string, env: NodeJS.ProcessEnv, file: string): Config['redis'] {
  const abs = (p: string) => path.resolve(dir, p);
  if (env.REDIS_URL && r.sentinels) throw new ConfigError(`${file}: redis: REDIS_URL is gezet maar de configuratie gebruikt sentinels: kies één`);
  if (env.REDIS_URL && !/^rediss?:\/\//.test(env.REDIS_URL)) throw new ConfigError('REDIS_URL: verwacht redis:// of rediss://');
  const uit: Config['redis'] = {
    ...r, ...(env.REDIS_URL ? { url: env.REDIS_URL } : {}),
    ...(r.wachtwoordBestand ? { wachtwoordBestand: abs(r.wachtwoordBestand) } : {}),
    ...(r.sentinelWachtwoordBestand ? { sentinelWachtwoordBestand: abs(r.sentinelWachtwoordBestand) } : {}),
    ...(r.tls ? { tls: { ...r.tls, ca: r.tls.ca.map(abs) } } : {}),
  };
  for (const veld of ['wachtwoordBestand', 'sentinelWachtwoordBestand'] as const) {
    const f = uit[veld];
    if (!f) continue;
    let inhoud: string;
    try {
      inhoud = readFileSync(f, 'utf8');
    } catch (err) {
      throw new ConfigError(`${file}: redis.${veld}: kan niet gelezen worden: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (!inhoud.trim()) throw new ConfigError(`${file}: redis.${veld}: het bestand is leeg`);
  }
  for (const f of uit.tls?.ca ?? []) {
    try {
      readFileSync(f);
    } catch (err) {
      throw new ConfigError(`${file}: redis.tls.ca: ${f} kan niet gelezen worden: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  return uit;
}

/** Without a publiekeUrl the werkplek is reached on https://localhost:<port> (development). */
function metPubliekeUrl(w: NonNullable<Config['werkplek']>, port: number): NonNullable<Config['werkplek']> {
  return { ...w, port, publiekeUrl: (w.publiekeUrl ?? `https://localhost:${port}`).replace(/\/+$/, '') };
}

export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Config {
  if (!file) throw new ConfigError('SIGNAALBRUG_CONFIG is niet gezet: geef het pad van het configuratiebestand');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: kan niet gelezen worden: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseConfig(text, file, env);
}
