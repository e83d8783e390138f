import { SetMetadata } from '@nestjs/common';
import type { Role } from './entities/user.entity';

export const IS_PUBLIC = 'pim:isPublic';
export const ROLES_KEY = 'pim:roles';

/** Opens a route to unauthenticated callers. Everything else needs a valid bearer token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * Restricts a route to roles. Roles are ordered (admin ⊃ editor ⊃ viewer): `@Roles('editor')` admits
 * editors and admins. Without it any authenticated user may call the route.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const ROLE_RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

/**
 * Login throttling (failed logins and failed password changes count; a success gives its attempt back). Failures
 * are counted per account from one client address, per client address, and per account from everywhere. Only the
 * first two refuse outright, so an attacker locks out their own address, never the account's owner elsewhere.
 */
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Failures of one account from one client address per window → 429 for that address. */
export const LOGIN_LIMIT_PER_ACCOUNT = 20;
/** Failures from one client address (any account) per window → 429 for that address. */
export const LOGIN_LIMIT_PER_IP = 100;
/** Failures of one account from everywhere after which every attempt on it waits (exponential backoff). */
export const LOGIN_BACKOFF_AFTER = 20;
export const LOGIN_BACKOFF_BASE_MS = 250;
export const LOGIN_BACKOFF_MAX_MS = 8_000;
/**
 * Failures of one account from everywhere per window after which only addresses it signed in from before may try
 * (a ceiling against spraying from many addresses that still lets the owner in from a known place).
 */
export const LOGIN_CEILING_PER_ACCOUNT = 200;
/** How long an address the account signed in from stays known. */
export const LOGIN_KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60_000;
