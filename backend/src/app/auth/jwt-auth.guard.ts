import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from './auth.constants';
import { AuthService } from './auth.service';
import { bearerToken } from './bearer-token';

/** Global guard: every route needs a valid bearer token unless marked `@Public()`. Deny by default. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest();
    const token = bearerToken(request.headers?.authorization);
    request.user = await this.auth.authenticate(token);
    request.accessToken = token;
    return true;
  }
}
