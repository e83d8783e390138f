/** The kinds of personal data the redactor replaces (each can be switched off in the taxonomy's settings). */
export const REDACTION_KINDS = ['email', 'phone', 'card', 'iban', 'ip', 'url'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** Placeholders keep the text readable ("call me on [PHONE]") while the value never leaves the process. */
export const PLACEHOLDERS: Record<RedactionKind, string> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  card: '[CARD]',
  iban: '[IBAN]',
  ip: '[IP]',
  url: '[URL]',
};

export type RedactionSettings = Partial<Record<RedactionKind, boolean>>;

export interface RedactionResult {
  text: string;
  /** How many values of each kind were replaced. */
  counts: Partial<Record<RedactionKind, number>>;
}

// Every quantifier below is bounded (or its class excludes what must follow it), so each match attempt costs at
// most a constant and a pass over a 200 KB run of letters, digits or dots stays linear (issue 13, point 6).
const SECRET_NAME = /token|key|password|passwd|pwd|secret|sig|signature|auth|credential|session|code/i;
const PARAM_NAME = /^[\w.-]+$/;
const URL_RE = /\b(?:https?|ftp):\/\/[^\s<>"'`)\]]+/gi;
// user:password@host in any URL is a secret too.
const URL_USERINFO = /^[a-z]+:\/\/[^/\s:@]+:[^/\s@]+@/i;
// RFC 5321 limits: a local part of 64 characters, labels of 63; an unbounded local part was quadratic on a base64 blob.
const EMAIL_RE = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,10}\.[A-Za-z]{2,63}\b/g;
const IBAN_RE = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b/g;
// 13–19 digits, optionally grouped by single spaces or dashes; not glued to other digits, a '+' or a dot.
const CARD_RE = /(?<![\d+.,\-/])\d(?:[ -]?\d){12,18}(?![\d/]|[.,]\d)/g;
// Not part of a longer dotted number (1.2.3.4.5), but a sentence may end right after it.
const IPV4_RE =
  /(?<!\d|\d\.)(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\d|\.\d)/g;
const IPV6_RE =
  /(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?(?![\w:])/gi;
// International (+ and 7–15 digits) or North-American (xxx) xxx-xxxx / xxx-xxx-xxxx / xxx.xxx.xxxx.
const PHONE_INTL_RE = /(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}(?!\w)/g;
const PHONE_NANP_RE = /(?<![\w(+])(?:\(\d{3}\)[ .-]?|\d{3}[.-])\d{3}[.-]\d{4}(?![\w-])/g;
const VERSION_CONTEXT = /(?:\bv|version|ver\.?|build|release|app|sdk|firmware|os)\s*$/i;

/** True when a query or fragment parameter of the URL is named like a secret (`?access_token=`, `&sig=`). */
function hasSecretParam(url: string): boolean {
  // A split and a scan instead of one pattern: a lazy name pattern was quadratic on a long parameter.
  return url
    .split(/[?&#;]/)
    .slice(1)
    .some((part) => {
      const eq = part.indexOf('=');
      return eq > 0 && PARAM_NAME.test(part.slice(0, eq)) && SECRET_NAME.test(part.slice(0, eq));
    });
}

/** The Luhn checksum that every payment card number passes (order numbers almost never do). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, pos = 0; i >= 0; i--, pos++) {
    let d = digits.charCodeAt(i) - 48;
    if (pos % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616 mod-97 check of an IBAN (spaces ignored). */
export function ibanValid(value: string): boolean {
  const iban = value.replace(/\s+/g, '').toUpperCase();
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const digits = code >= 65 && code <= 90 ? String(code - 55) : ch;
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

/**
 * Replaces personal data and secrets in text that is about to leave the process (prompts to the Anthropic API).
 * Stored tickets keep the original. Order matters: URLs first (they may hold emails and IPs), cards before
 * phones (a grouped card number looks like a phone number).
 */
export function redact(text: string, settings: RedactionSettings = {}): RedactionResult {
  const on = (kind: RedactionKind) => settings[kind] !== false;
  const counts: Partial<Record<RedactionKind, number>> = {};
  const count = (kind: RedactionKind) => (counts[kind] = (counts[kind] ?? 0) + 1);
  let out = text;

  if (on('url')) {
    out = out.replace(URL_RE, (url) => {
      if (hasSecretParam(url) || URL_USERINFO.test(url)) {
        count('url');
        return PLACEHOLDERS.url;
      }
      return url;
    });
  }
  if (on('email') && out.includes('@')) {
    out = out.replace(EMAIL_RE, () => {
      count('email');
      return PLACEHOLDERS.email;
    });
  }
  if (on('iban')) {
    out = out.replace(IBAN_RE, (m) => {
      if (!ibanValid(m)) return m;
      count('iban');
      return PLACEHOLDERS.iban;
    });
  }
  if (on('card')) {
    out = out.replace(CARD_RE, (m) => {
      const digits = m.replace(/\D/g, '');
      if (digits.length < 13 || digits.length > 19 || !luhnValid(digits) || /^(\d)\1+$/.test(digits)) return m;
      count('card');
      return PLACEHOLDERS.card;
    });
  }
  if (on('ip')) {
    out = out.replace(IPV4_RE, (m, offset: number, whole: string) => {
      if (VERSION_CONTEXT.test(whole.slice(Math.max(0, offset - 12), offset))) return m;
      count('ip');
      return PLACEHOLDERS.ip;
    });
    out = out.replace(IPV6_RE, (m) => {
      // Needs a digit and at least two groups with content ("a::b" in code is not an address).
      if (!/\d/.test(m) || m.replace(/:+/g, ':').split(':').filter(Boolean).length < 3) return m;
      count('ip');
      return PLACEHOLDERS.ip;
    });
  }
  if (on('phone')) {
    const phone = (m: string) => {
      const digits = m.replace(/\D/g, '').length;
      if (digits < 7 || digits > 15) return m;
      count('phone');
      return PLACEHOLDERS.phone;
    };
    out = out.replace(PHONE_INTL_RE, phone).replace(PHONE_NANP_RE, phone);
  }
  return { text: out, counts };
}

/** A redactor bound to settings, for the many texts of one ticket. */
export function redactor(settings: RedactionSettings): (text: string) => string {
  return (text) => redact(text, settings).text;
}
