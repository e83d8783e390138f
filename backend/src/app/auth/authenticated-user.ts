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
