// The one place that names Redis keys. Every store, script and test builds its keys here, from the
// configured prefix; Lua scripts get whole keys (or a key base for keys they derive, such as another
// link of the same melding) as arguments and never spell a name themselves.
/** The case's encrypted values kept as bytes: fields of its hash, once strings of their own (see `meldingBlob`). */
export const BLOBVELDEN = ['gegevens', 'herhaling'] as const;
export type Blobveld = (typeof BLOBVELDEN)[number];
export const isBlobveld = (veld: string): veld is Blobveld => (BLOBVELDEN as readonly string[]).includes(veld);

/**
 * Characters of a keyed hash that name its bucket: lookups by keyed hash (idempotency, data subject)
 * are fields of one of 64² = 4096 hashes instead of a key each, so at scale every entry sits in
 * Redis's compact encoding (see HASH_MAX_LISTPACK_ENTRIES) without the cost of a key of its own.
 */
export const EMMER = 2;

/** Characters of a case id that name its bucket of the timers (case ids are hexadecimal UUIDs: 4096). */
export const TERMIJNEMMER = 3;

/**
 * Characters of a keyed hash (base64url of an HMAC-SHA256) after the bucket's that name its field:
 * with the bucket's, 24 characters or 144 bits, far beyond any collision among millions of entries.
 */
export const EMMERVELD = 22;

/** A bucketed entry: the bucket's key and the entry's field in it. */
export interface Plek { key: string; veld: string }

export class RedisNamen {
  constructor(readonly prefix: string) {}

  private k(...delen: string[]): string {
    return [this.prefix, ...delen].join(':');
  }

  // A case and what belongs to it.
  melding = (id: string) => this.k('melding', id);
  /**
   * The list key of a case's events as they were kept before they became lines of the case's field
   * `gebeurtenissen`: still read, and appended to while it exists (so a case's events stay in order).
   */
  gebeurtenissen = (id: string) => this.k('melding', id, 'gebeurtenissen');
  /**
   * Where the case's ciphertexts in bytes (`gegevens`: the melding; `herhaling`: the link to an
   * earlier melding) were kept before they became fields of the case hash: strings of their own,
   * still read when the field is absent, and removed on erasure.
   */
  meldingBlob = (id: string, veld: Blobveld) => this.k('melding', id, veld);
  /** Idempotency entry of (corporation, referentie), by its keyed hash: `<id> <fingerprint>`. */
  idemPlek = (hash: string): Plek => ({ key: this.k('idem', hash.slice(0, EMMER)), veld: hash.slice(EMMER, EMMER + EMMERVELD) });
  /** The key an idempotency entry had before entries moved into buckets (still read and removed). */
  idem = (hash: string) => this.k('idem', hash);
  idemBasis = () => this.k('idem', '');
  /**
   * A corporation's cases by moment of receipt: a stream of entries `id <meldingId>` with entry ids
   * `<ms>-<seq>` (compact, and read by time range), kept after retention for the counts.
   */
  corporatieStroom = (oin: string) => this.k('idx', 'corporatiestroom', oin);
  corporatieStroomPatroon = () => this.k('idx', 'corporatiestroom', '*');
  /** The sorted set per corporation the index was before it became a stream (still read). */
  corporatieIndex = (oin: string) => this.k('idx', 'corporatie', oin);
  corporatieIndexPatroon = () => this.k('idx', 'corporatie', '*');
  /**
   * The data subject's meldingen that still hold personal data, by moment of receipt: for rights
   * requests, and the latest within the window for repeat signals. A field of a bucket per
   * pseudonym, its value `<ms>:<id>` items separated by spaces.
   */
  betrokkenePlek = (pseudoniem: string): Plek => ({ key: this.k('idx', 'betrokkene', pseudoniem.slice(0, EMMER)), veld: pseudoniem.slice(EMMER, EMMER + EMMERVELD) });
  /** The sorted set per data subject the index was before it moved into buckets (still read and removed). */
  betrokkeneIndex = (pseudoniem: string) => this.k('idx', 'betrokkene', pseudoniem);
  betrokkeneIndexBasis = () => this.k('idx', 'betrokkene', '');
  /**
   * Marker of a message delivered, by its delivery job id (`<meldingId>.<bericht>.<ontvanger>…`): a
   * short field of its case's hash (`bezorgd:<bericht>.<ontvanger>…`), no key of its own.
   */
  bezorgdVeld = (jobId: string) => {
    const punt = jobId.indexOf('.');
    return { melding: this.melding(jobId.slice(0, punt)), veld: `bezorgd:${jobId.slice(punt + 1)}` };
  };
  /** The key a delivered-marker had before it became a field of the case (still honoured and removed). */
  bezorgd = (jobId: string) => this.k('bezorgd', jobId);
  bezorgdBasis = () => this.k('bezorgd', '');

  // Shared streams and sets.
  outbox = () => this.k('outbox');
  logboek = () => this.k('logboek');
  /**
   * The logboek's archive: compressed blocks of the stream's oldest records, each a binary string
   * named by its first entry id, and their index (a sorted set of `<first> <last> <count>` by the
   * last record's moment). The blocks stay in Redis, replicated and persisted like the stream.
   */
  logboekArchief = () => this.k('logboek', 'archief');
  logboekBlok = (eersteId: string) => this.k('logboek', 'archief', eersteId);
  /** The archiver's lease on a round (one worker moves records into blocks at a time). */
  logboekslot = () => this.k('logboek', 'slot');
  /**
   * The timers' shared sorted set of before (cases, and timers `<id>|<actie>` planned before they
   * moved into the case): still read by the scheduler and emptied as its members fire or stop.
   */
  termijnen = () => this.k('termijnen');
  /**
   * A case's bucket of the timers: a small sorted set of cases by their earliest timer, one of 16³ =
   * 4096 by the first characters of the case id (compact up to zset-max-listpack-entries cases each),
   * and the index of the buckets by their earliest member, where the scheduler finds what is due.
   */
  termijnEmmer = (id: string) => this.k('termijnen', 'emmer', id.slice(0, TERMIJNEMMER));
  termijnEmmers = () => this.k('termijnen', 'emmers');
  /** The timer scheduler's lease on a round (one worker reads the due range at a time). */
  termijnslot = () => this.k('termijnen', 'slot');
  bewaartermijnen = () => this.k('bewaartermijnen');
  feed = (oin: string) => this.k('feed', oin);
  feedBasis = () => this.k('feed', '');
  /** A pub/sub channel (no key, nobody listens): a retry publishes on it so its WAIT covers the earlier write. */
  bevestiging = () => this.k('bevestiging');

  // Secure links of the portal: only keyed hashes of tokens, codes and sessions.
  link = (hash: string) => this.k('link', hash);
  linkBasis = () => this.k('link', '');
  linkCode = (hash: string) => this.k('link', 'code', hash);
  linkCodeBasis = () => this.k('link', 'code', '');
  linkVanMelding = (id: string) => this.k('link', 'melding', id);
  linksVanMelding = (id: string) => this.k('link', 'alle', id);
  linkGelezen = (id: string) => this.k('link', 'gelezen', id);
  sessie = (hash: string) => this.k('link', 'sessie', hash);
  /** Prefix of one portal rate limit's counters in @fastify/rate-limit's Redis store (it appends the keyed hash of IP or link). */
  tempoBasis = (soort: string) => this.k('link', 'tempo', soort, '');

  // The werkplek: login records (state) and sessions, by keyed hash only; its login rate counters.
  werkplekLogin = (hash: string) => this.k('werkplek', 'login', hash);
  werkplekSessie = (hash: string) => this.k('werkplek', 'sessie', hash);
  /** Prefix of @fastify/rate-limit's counters (the plugin appends route and client). */
  werkplekTempo = () => this.k('werkplek', 'tempo', '');

  // Reports: the corporations' own figures of 004 art. 9.5.3, per period (counts only).
  corporatieCijfers = (oin: string) => this.k('rapportage', 'corporatiecijfers', oin);

  // The breach register.
  datalek = (id: string) => this.k('datalek', id);
  datalekken = () => this.k('datalekken');

  /** BullMQ's own prefix: its queues name their keys themselves below it. */
  bull = () => this.k('bull');
  /** Every key of this deployment (SCAN pattern). */
  alles = () => this.k('*');
  /** A key without the prefix (what key-shape rules such as the encrypted fields' table match on). */
  relatief = (key: string) => key.slice(this.prefix.length + 1);
}
