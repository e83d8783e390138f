import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Role } from './entities/user.entity';

/** Who is calling: set on the request by the JWT guard. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  role: Role;
}

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthenticatedUser => ctx.switchToHttp().getRequest().user,
);

/** The bearer token of the request, as the JWT guard accepted it. */
export const BearerToken = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string => ctx.switchToHttp().getRequest().accessToken,
);
