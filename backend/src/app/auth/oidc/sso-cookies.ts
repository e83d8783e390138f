import type { CookieOptions, Request } from 'express';

/** The sealed state of one sign-in between `/oidc/login` and `/oidc/callback` (state, nonce, PKCE verifier). */
export const FLOW_COOKIE = 'pim_oidc_flow';
/** The browser's handle on its SSO session (`id.secret`), sent only to `/api/auth/*`. */
export const SESSION_COOKIE = 'pim_sso';

export const FLOW_COOKIE_PATH = '/api/auth/oidc';
export const SESSION_COOKIE_PATH = '/api/auth';

/** httpOnly, SameSite=Lax (the provider's redirect back is a top-level GET, so the cookie comes along). */
export function cookieOptions(path: string, secure: boolean, maxAgeMs?: number): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path, ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}) };
}

/** One cookie of the request (no cookie-parser in this app). */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The public origin (and path prefix) of the API: PUBLIC_URL, else as the request reached us. */
export function publicBase(request: Request, publicUrl: string | undefined): string {
  return publicUrl ?? `${request.protocol}://${request.get('host')}`;
}
