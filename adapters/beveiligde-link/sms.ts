// Second channel for the one-time code by SMS (ZorgMail offers SMS or e-mail). One tiny interface,
// like the mail channels, and one implementation: an HTTP provider configured by URL that takes
// JSON `{ to, text }`. Errors never echo the number or the text (the text holds the code).

export interface SmsKanaal {
  verstuur(telefoon: string, tekst: string): Promise<void>;
}

export class SmsFout extends Error {
  constructor(readonly code: 'SB_SMS_STATUS' | 'SB_SMS_ONBEREIKBAAR', detail: string) {
    super(detail);
  }
}

export interface HttpSmsOpties {
  /** Abort a hanging provider: the user is waiting on the page for the code. */
  timeoutMs?: number;
}

/** POST `{ to, text }` as JSON, with a bearer token when given; anything but a 2xx is a failure. */
export function httpSms(url: string, token?: string, opties: HttpSmsOpties = {}): SmsKanaal {
  const doel = new URL(url);
  if (doel.protocol !== 'https:' && doel.protocol !== 'http:') throw new TypeError('sms.url moet http(s) zijn');
  return {
    async verstuur(telefoon, tekst) {
      let res: Response;
      try {
        res = await fetch(doel, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ to: telefoon, text: tekst }),
          // A redirect could carry the code elsewhere; a provider that redirects is misconfigured.
          redirect: 'error',
          signal: AbortSignal.timeout(opties.timeoutMs ?? 10_000),
        });
      } catch (err) {
        const naam = (err as Error).name;
        throw new SmsFout('SB_SMS_ONBEREIKBAAR', `sms-provider onbereikbaar (${naam === 'TimeoutError' ? 'timeout' : naam})`);
      }
      await res.arrayBuffer().catch(() => undefined); // free the connection
      if (!res.ok) throw new SmsFout('SB_SMS_STATUS', `sms-provider antwoordde ${res.status}`);
    },
  };
}
