/** Synthetic support-ticket fixtures for the text-mining specs (deterministic, no external data). */

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], rand: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export const TOPICS: Record<string, { phrases: string[]; words: string[] }> = {
  password: {
    phrases: ['reset my password', 'password reset link', 'forgot my password'],
    words: ['login', 'email', 'link', 'expired', 'account', 'locked'],
  },
  invoice: {
    phrases: ['invoice total is wrong', 'charged twice on my invoice', 'billing amount incorrect'],
    words: ['invoice', 'charge', 'refund', 'billing', 'amount', 'tax'],
  },
  export: {
    phrases: ['csv export fails', 'export to excel crashes', 'report export is empty'],
    words: ['export', 'csv', 'report', 'download', 'file', 'columns'],
  },
  mobile: {
    phrases: ['mobile app crashes on start', 'android app freezes', 'iphone app will not open'],
    words: ['app', 'mobile', 'android', 'iphone', 'crash', 'update'],
  },
};

const FILLER = ['today', 'again', 'since yesterday', 'for our team', 'every time', 'after the update'];

export interface FixtureTicket {
  id: string;
  subject: string;
  body: string;
  topic: string;
}

/** `perTopic` tickets per topic, ids `${prefix}${n}` zero-padded, topic known for assertions. */
export function syntheticTickets(perTopic: number, seed: number, prefix = 't'): FixtureTicket[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const out: FixtureTicket[] = [];
  let n = 0;
  for (const [topic, spec] of Object.entries(TOPICS)) {
    for (let i = 0; i < perTopic; i++) {
      const words = [pick(spec.words), pick(spec.words), pick(spec.words)].join(' ');
      out.push({
        id: `${prefix}${String(n++).padStart(4, '0')}`,
        subject: pick(spec.phrases),
        body: `Hi, ${pick(spec.phrases)} ${pick(FILLER)}. ${words}. Thanks, Sam`,
        topic,
      });
    }
  }
  return out;
}
