import { SESSION_CACHE_TTL_MS, SessionCache } from './session-cache';

describe('SessionCache', () => {
  const user = { id: 'u1', email: 'a@example.com', role: 'viewer' as const };

  it('remembers a user for a few seconds and forgets it when the token version changes', () => {
    const cache = new SessionCache();
    cache.set(user, 3, 1_000);
    expect(cache.get('u1', 3, 1_000 + SESSION_CACHE_TTL_MS - 1)).toEqual(user);
    expect(cache.get('u1', 4, 1_001)).toBeUndefined();
    cache.set(user, 3, 1_000);
    expect(cache.get('u1', 3, 1_000 + SESSION_CACHE_TTL_MS)).toBeUndefined();
  });

  it("keeps a verified token's claims for a few seconds, never past the token's own expiry", () => {
    const cache = new SessionCache();
    const now = 1_700_000_000_000;
    cache.rememberVerified('long', { sub: 'u1', tv: 1, exp: now / 1000 + 3600 }, now);
    expect(cache.verified('long', now + SESSION_CACHE_TTL_MS - 1)).toEqual({
      sub: 'u1',
      tv: 1,
      exp: now / 1000 + 3600,
    });
    expect(cache.verified('long', now + SESSION_CACHE_TTL_MS)).toBeUndefined();

    cache.rememberVerified('short', { sub: 'u1', tv: 1, exp: now / 1000 + 1 }, now);
    expect(cache.verified('short', now + 999)).toBeDefined();
    expect(cache.verified('short', now + 1_000)).toBeUndefined();

    cache.rememberVerified('expired', { sub: 'u1', tv: 1, exp: now / 1000 - 1 }, now);
    expect(cache.verified('expired', now)).toBeUndefined();
    expect(cache.verified('unknown', now)).toBeUndefined();
  });
});
