/** Tiny template renderer and text helpers for the generated tickets. */
import { Rng } from './prng';

const ALTERNATION = /\[([^[\]]*\|[^[\]]*)\]/g;
const SLOT = /\{(\w+)\}/g;

/** Resolves a slot name to its value, or undefined to leave `{slot}` as it is. */
export type SlotResolver = (name: string) => string | undefined;

/** `[a|b]` → one alternative; `{slot}` → its value (unknown slots are left as they are). */
export function render(template: string, slots: SlotResolver, rng: Rng): string {
  const chosen = template.indexOf('|') >= 0 ? template.replace(ALTERNATION, (_m, alts: string) => rng.pick(alts.split('|'))) : template;
  return chosen.indexOf('{') >= 0 ? chosen.replace(SLOT, (m, name: string) => slots(name) ?? m) : chosen;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** Zendesk-like html_body: paragraphs in a zd-comment div, single newlines as <br>. */
export function toHtml(body: string): string {
  const paragraphs = body
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p dir="auto">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  return `<div class="zd-comment" dir="auto">${paragraphs.join('')}</div>`;
}

/** Joins non-empty blocks with blank lines. */
export function paragraphs(...blocks: Array<string | undefined | null>): string {
  return blocks
    .map((b) => (b ?? '').trim())
    .filter((b) => b.length > 0)
    .join('\n\n');
}

/** Joins non-empty sentences with single spaces, ending each with punctuation. */
export function sentences(...parts: Array<string | undefined | null>): string {
  const kept = parts.map((p) => (p ?? '').trim()).filter((p) => p.length > 0);
  return kept.map((p, i) => (i < kept.length - 1 && !/[.!?:)"']$/.test(p) ? `${p}.` : p)).join(' ');
}

const TRANSLIT: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', é: 'e', è: 'e', á: 'a', í: 'i', ó: 'o', ñ: 'n' };

export function slug(s: string, sep = '-'): string {
  return s
    .toLowerCase()
    .replace(/[äöüßéèáíóñ]/g, (c) => TRANSLIT[c] ?? c)
    .replace(/[^a-z0-9]+/g, sep)
    .replace(new RegExp(`^\\${sep}+|\\${sep}+$`, 'g'), '');
}

/** A 16-digit card number that passes the Luhn check. */
export function luhnCard(rng: Rng): string {
  const prefix = rng.pick(['4', '51', '52', '53', '54', '55']);
  const digits: number[] = prefix.split('').map(Number);
  while (digits.length < 15) digits.push(rng.int(0, 9));
  digits.push(luhnCheckDigit(digits));
  return digits.join('');
}

export function luhnCheckDigit(digits: readonly number[]): number {
  let sum = 0;
  // Walk from the right; the check digit will be appended at the right, so double every
  // digit at an even distance (0, 2, ...) from the right of the payload.
  for (let i = digits.length - 1, pos = 0; i >= 0; i--, pos++) {
    let d = digits[i] as number;
    if (pos % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function luhnValid(number: string): boolean {
  const digits = number.replace(/\D/g, '').split('').map(Number);
  if (digits.length < 12) return false;
  let sum = 0;
  for (let i = digits.length - 1, pos = 0; i >= 0; i--, pos++) {
    let d = digits[i] as number;
    if (pos % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Unix seconds → "YYYY-MM-DDTHH:MM:SSZ" (UTC), without going through Date. */
export function isoSeconds(unixSeconds: number): string {
  const t = Math.floor(unixSeconds);
  const days = Math.floor(t / 86_400);
  let rem = t - days * 86_400;
  const hh = Math.floor(rem / 3600);
  rem -= hh * 3600;
  const mm = Math.floor(rem / 60);
  const ss = rem - mm * 60;
  // Howard Hinnant's civil_from_days
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}Z`;
}
