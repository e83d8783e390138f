import { ROLE_RANK } from '../auth.constants';
import type { Role } from '../entities/user.entity';

/** Why an identity the provider vouched for may not sign in here (shown to the user on the console's login page). */
export class SsoRefusal extends Error {
  override readonly name = 'SsoRefusal';
}

export type IdTokenClaims = Record<string, unknown>;

/**
 * The e-mail of a verified identity: the `email` claim, only when `email_verified` is true, and (when domains are
 * configured) only in one of them.
 */
export function ssoEmail(claims: IdTokenClaims, allowedDomains: readonly string[]): string {
  const email = typeof claims['email'] === 'string' ? claims['email'].trim().toLowerCase() : '';
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new SsoRefusal('The identity provider sent no e-mail address');
  if (claims['email_verified'] !== true) throw new SsoRefusal(`The e-mail address ${email} is not verified`);
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (allowedDomains.length && !allowedDomains.includes(domain)) {
    throw new SsoRefusal(`The domain ${domain} may not sign in here`);
  }
  return email;
}

const ROLE_VALUES: Record<string, Role> = {
  admin: 'admin',
  editor: 'editor',
  viewer: 'viewer',
  'pim-admin': 'admin',
  'pim-editor': 'editor',
  'pim-viewer': 'viewer',
};

/**
 * The role the claim `roleClaim` grants: its value (a string, a list, or a space/comma separated string) read as
 * `pim-admin`/`pim-editor`/`pim-viewer` or `admin`/`editor`/`viewer` (case-insensitive); the highest one wins;
 * viewer when no value names a role. Undefined when the claim is absent from the token (or no claim is configured):
 * a new user is then a viewer and an existing user keeps the role an admin gave them.
 */
export function ssoRole(claims: IdTokenClaims, roleClaim: string | undefined): Role | undefined {
  if (!roleClaim || !(roleClaim in claims)) return undefined;
  const value = claims[roleClaim];
  const values = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  let role: Role = 'viewer';
  for (const entry of values) {
    const mapped = typeof entry === 'string' ? ROLE_VALUES[entry.trim().toLowerCase()] : undefined;
    if (mapped && ROLE_RANK[mapped] > ROLE_RANK[role]) role = mapped;
  }
  return role;
}

/** A display name from the usual claims. */
export function ssoName(claims: IdTokenClaims): string {
  const name = claims['name'] ?? [claims['given_name'], claims['family_name']].filter(Boolean).join(' ');
  return typeof name === 'string' ? name.slice(0, 200) : '';
}
