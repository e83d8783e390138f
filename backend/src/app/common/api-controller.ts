import { applyDecorators, Controller, Param } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiBearerAuth, ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/auth/auth.constants';
import type { Role } from '@app/auth/entities/user.entity';
import { UuidPipe } from './param-pipes';

/*
 * Shared controller declarations. The OpenAPI plugin documents a route's success status from the `@HttpCode` it sees
 * on the method itself (else 200, or 201 for a `@Post` it sees there): a route declared with `RoleRoute` states every
 * status but 200 with `@HttpCode` on the method, a POST's 201 included (`openapi-statuses.spec.ts` fails otherwise).
 */

/**
 * A controller of the signed-in API: its routes under `path`, grouped under `tag`, behind the bearer token; with
 * `role`, every route of it needs that role (or one above it).
 */
export const ApiController = (tag: string, path?: string, role?: Role) =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    path === undefined ? Controller() : Controller(path),
    ...(role === undefined ? [] : [Roles(role)]),
  );

/** Failures a route documents in the OpenAPI document, each with when it happens. */
export interface RouteFailures {
  /** When the route answers 409 Conflict. */
  conflict?: string;
  /** When it answers 502 Bad Gateway. */
  badGateway?: string;
}

/**
 * A route (`Post(':id/merge')`, …) only `role` and the roles above it may call, with the failures it documents; its
 * status other than 200 as `@HttpCode` on the method (see above).
 */
export const RoleRoute = (role: Role, route: MethodDecorator, { conflict, badGateway }: RouteFailures = {}) =>
  applyDecorators(
    Roles(role),
    route,
    ...(conflict === undefined ? [] : [ApiConflictResponse({ description: conflict })]),
    ...(badGateway === undefined ? [] : [ApiBadGatewayResponse({ description: badGateway })]),
  );

/** A route that changes data: editors and admins (see `RoleRoute`). */
export const EditorRoute = (route: MethodDecorator, failures?: RouteFailures) => RoleRoute('editor', route, failures);

/** A route for admins only (see `RoleRoute`). */
export const AdminRoute = (route: MethodDecorator, failures?: RouteFailures) => RoleRoute('admin', route, failures);

/**
 * A route that starts a run (editors and admins; `@HttpCode(HttpStatus.ACCEPTED)` on the method): 409 while another
 * run is in progress, or for the reason `conflict` states.
 */
export const StartsRun = (route: MethodDecorator, conflict = 'A run is already in progress') =>
  EditorRoute(route, { conflict });

/** `@Param(name, UuidPipe)`: a UUID path parameter (`id` unless named), else a 400 naming it. */
export const UuidParam = (name = 'id') => Param(name, UuidPipe);

/** A page of rows as a list endpoint answers it: the same counts, each row mapped to its response. */
export const mapPage = <T, R, P extends { items: T[] }>(
  page: P,
  map: (row: T) => R,
): Omit<P, 'items'> & { items: R[] } => ({
  ...page,
  items: page.items.map(map),
});
