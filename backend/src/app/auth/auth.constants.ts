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

/** Login attempts allowed per 15 minutes, per account and per client address. */
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const LOGIN_LIMIT_PER_ACCOUNT = 20;
export const LOGIN_LIMIT_PER_IP = 100;
