/**
 * The cue form of a text and how cue phrases are scored on it (see {@link cueForm}). The cue tables are in
 * `cues.ts` (customer text) and `thread-cues.ts` (not-a-problem, support's replies, severity).
 */
import { normalise } from '../tokenize';

export interface Cue {
  /** Short label used in reasons and explanations. */
  id: string;
  re: RegExp;
  w: number;
  /** The match is ignored when the words right before it negate it ("no errors", "without any problem"). */
  negatable?: boolean;
}

const NEG_BEFORE = /\b(no|without|zero|never (had|got|saw) (an?|any))\s+(\w+\s+)?$/;

/** Lower case, folded, contractions expanded, a few spelling variants unified. Pure. */
export function cueForm(text: string): string {
  return normalise(text)
    .replace(/\bcannot\b/g, 'can not')
    .replace(/\bsingle sign[\s-]?on\b/g, 'sso')
    .replace(/\b(?:logg?|sign)(?:ing)?[\s-]?(?:in|on)\b|\bsignin\b|\blogon\b/g, 'login')
    .replace(/\be-mail/g, 'email')
    .replace(/\btime[\s-]zones?\b/g, 'timezone')
    .replace(/\bset[\s-]up\b/g, 'setup')
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[ \t]+/g, ' ');
}

/**
 * Where a clause describing a consequence starts ("…, so our system ends up with stale data",
 * "… because of this"), or -1. Cues after it describe impact rather than the problem itself.
 */
export function consequenceIndex(form: string): number {
  if (/\bbecause of (?:this|that|it)\W*$/.test(form)) return 0;
  const m =
    /,? (?:so (?:our|we|the|that|i|it)|which (?:means|corrupts|breaks|causes|makes|results)|as a result|because of (?:this|that|it))\b/.exec(
      form,
    );
  return m ? m.index : -1;
}

/**
 * Sum of the weights of the cues matching `form` (each cue counted once). Matched ids go to `hits`.
 * With `consequenceAt` ≥ 0, a cue that only matches after that offset counts half.
 */
export function scoreCues(form: string, cues: readonly Cue[], hits?: string[], consequenceAt = -1): number {
  let s = 0;
  for (const cue of cues) {
    cue.re.lastIndex = 0;
    const m = cue.re.exec(form);
    if (!m) continue;
    if (cue.negatable && NEG_BEFORE.test(form.slice(Math.max(0, m.index - 24), m.index))) continue;
    s += consequenceAt >= 0 && m.index > consequenceAt ? cue.w / 2 : cue.w;
    hits?.push(cue.id);
  }
  return s;
}

/** First index where any of the cues matches (-1 when none): used to centre long quotes on the cue. */
export function firstCueIndex(form: string, cues: readonly Cue[]): number {
  let best = -1;
  for (const cue of cues) {
    cue.re.lastIndex = 0;
    const m = cue.re.exec(form);
    if (m && (best < 0 || m.index < best)) best = m.index;
  }
  return best;
}

export const cue = (id: string, re: RegExp, w: number, negatable = false): Cue => ({ id, re, w, negatable });
