import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from './authenticated-user';

/** How long a signed-in user's record is trusted without reading it again (per process). */
export const SESSION_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/** The claims of a bearer token whose signature and expiry were checked. */
export interface VerifiedClaims {
  sub: string;
  tv: number;
  exp?: number;
  /** The token's id (absent in tokens issued before logout revoked single tokens). */
  jti?: string;
  /** The single sign-on session the token belongs to (tokens of password sign-ins have none). */
  sid?: string;
}

interface Entry {
  user: AuthenticatedUser;
  tokenVersion: number;
  until: number;
}

/**
 * The users behind bearer tokens, remembered for a few seconds so a busy console does not read the user row on
 * every request. Changes made through this process (role, disable, delete, password) forget the user at once;
 * another replica's cached copy expires within SESSION_CACHE_TTL_MS.
 */
@Injectable()
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly tokens = new Map<string, { claims: VerifiedClaims; until: number }>();

  /**
   * The claims of a token verified in the last few seconds (an HMAC and two JSON parses saved per request). An
   * entry never outlives the token's own `exp`.
   */
  verified(token: string, now = Date.now()): VerifiedClaims | undefined {
    const entry = this.tokens.get(token);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.tokens.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  rememberVerified(token: string, claims: VerifiedClaims, now = Date.now()): void {
    if (this.tokens.size >= MAX_ENTRIES) this.tokens.clear();
    const until = Math.min(now + SESSION_CACHE_TTL_MS, claims.exp !== undefined ? claims.exp * 1000 : Infinity);
    if (until > now) this.tokens.set(token, { claims, until });
  }

  /** Drops a token's remembered claims (it was just logged out). */
  forgetToken(token: string): void {
    this.tokens.delete(token);
  }

  get(userId: string, tokenVersion: number, now = Date.now()): AuthenticatedUser | undefined {
    const entry = this.entries.get(userId);
    if (!entry) return undefined;
    if (entry.until <= now || entry.tokenVersion !== tokenVersion) {
      this.entries.delete(userId);
      return undefined;
    }
    return entry.user;
  }

  set(user: AuthenticatedUser, tokenVersion: number, now = Date.now()): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(user.id, { user, tokenVersion, until: now + SESSION_CACHE_TTL_MS });
  }

  forget(userId: string): void {
    this.entries.delete(userId);
  }
}
