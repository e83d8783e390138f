import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC, ROLE_RANK, ROLES_KEY } from './auth.constants';
import type { AuthenticatedUser } from './authenticated-user';
import type { Role } from './entities/user.entity';

/** Checks `@Roles(...)`: the caller's role must rank at least as high as the lowest role listed. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles?.length) return true;
    const user: AuthenticatedUser | undefined = context.switchToHttp().getRequest().user;
    const needed = Math.min(...roles.map((role) => ROLE_RANK[role]));
    if (!user || ROLE_RANK[user.role] < needed) {
      throw new ForbiddenException(`This needs the ${roles.join(' or ')} role`);
    }
    return true;
  }
}
