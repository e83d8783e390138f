import { ForbiddenException, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { AuditService } from './audit.service';
import type { AuthenticatedUser } from './authenticated-user';
import { RevokedToken } from './entities/revoked-token.entity';
import { User } from './entities/user.entity';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password';
import { LoginThrottle } from './login-throttle';
import { SsoSessionRepository } from './repositories/sso-session.repository';
import { SessionCache, VerifiedClaims } from './session-cache';

const BAD_LOGIN = 'Invalid email or password';
export const SSO_ONLY_LOGIN = 'Password sign-in is disabled: sign in with single sign-on (SSO)';

/** A bearer token issued to a user. */
export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  user: User;
}

type TokenClaims = VerifiedClaims;

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(RevokedToken) private readonly revoked: Repository<RevokedToken>,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionCache,
    private readonly throttle: LoginThrottle,
    private readonly ssoSessions: SsoSessionRepository,
  ) {}

  /**
   * Signs in `email`; `ip` is the client address the throttle counts failures by. With SSO_ONLY only the
   * break-glass admin (ADMIN_EMAIL) may use a password (403 for everyone else, before any password check).
   */
  async login(email: string, password: string, ip?: string): Promise<IssuedToken> {
    if (this.config.ssoOnly && email.trim().toLowerCase() !== this.config.admin.email) {
      throw new ForbiddenException(SSO_ONLY_LOGIN);
    }
    return this.throttle.attempt(email, ip, () => this.checkLogin(email, password));
  }

  private async checkLogin(email: string, password: string): Promise<IssuedToken> {
    const user = await this.users.findOne({
      where: { email },
      select: [
        'id',
        'email',
        'name',
        'role',
        'disabled',
        'tokenVersion',
        'passwordHash',
        'lastLoginAt',
        'createdAt',
        'updatedAt',
      ],
    });
    // Always pay for one bcrypt comparison so response time does not reveal whether the account exists.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      this.logger.warn({ email, reason: !user ? 'unknown' : !ok ? 'password' : 'disabled' }, 'login refused');
      throw new UnauthorizedException(BAD_LOGIN);
    }
    return this.signIn(user);
  }

  /**
   * Signs `user` in: records the login and issues a bearer token. An SSO session's tokens carry its id (`sid`, so
   * logout ends it) and live `expiresInSec` (short: the console refreshes them at the provider).
   */
  async signIn(user: User, sso?: { sid: string; expiresInSec: number }): Promise<IssuedToken> {
    user.lastLoginAt = new Date();
    await this.users.update({ id: user.id }, { lastLoginAt: user.lastLoginAt });
    const issued = await this.issueToken(user, sso);
    await this.audit.record({
      actor: { id: user.id, email: user.email, role: user.role },
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      ...(sso ? { after: { method: 'sso' } } : {}),
    });
    return issued;
  }

  /** A bearer token for `user` (no login recorded: an SSO session's refresh). */
  async issueToken(user: User, sso?: { sid: string; expiresInSec: number }): Promise<IssuedToken> {
    const expiresIn = sso?.expiresInSec ?? this.config.jwt.expiresInSec;
    const claims: TokenClaims = { sub: user.id, tv: user.tokenVersion, ...(sso ? { sid: sso.sid } : {}) };
    // A jti per token, so logout can revoke this session alone.
    const accessToken = await this.jwt.signAsync(claims, { expiresIn, jwtid: randomUUID() });
    return { accessToken, expiresIn, user };
  }

  /** Verifies a bearer token and returns its user, or throws 401. Disabled users and revoked tokens fail. */
  async authenticate(token: string): Promise<AuthenticatedUser> {
    let claims = this.sessions.verified(token);
    if (!claims) {
      try {
        claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'] });
      } catch {
        throw new UnauthorizedException('Invalid or expired token');
      }
      // Checked when the claims are verified, so another replica's logout counts within SESSION_CACHE_TTL_MS.
      if (claims.jti && (await this.revoked.existsBy({ jti: claims.jti })))
        throw new UnauthorizedException('Invalid or expired token');
      this.sessions.rememberVerified(token, claims);
    }
    const cached = this.sessions.get(claims.sub, claims.tv);
    if (cached) return cached;
    const user = await this.users.findOne({
      where: { id: claims.sub },
      select: ['id', 'email', 'role', 'disabled', 'tokenVersion'],
    });
    if (!user || user.disabled || user.tokenVersion !== claims.tv)
      throw new UnauthorizedException('Invalid or expired token');
    const authenticated: AuthenticatedUser = { id: user.id, email: user.email, role: user.role };
    this.sessions.set(authenticated, user.tokenVersion);
    return authenticated;
  }

  /**
   * Ends the session of `token` (already accepted by the guard): its id is refused until the token expires. A
   * token without an id (issued before logout revoked single tokens) ends every session of its user instead.
   */
  async logout(actor: AuthenticatedUser, token: string): Promise<void> {
    const claims =
      this.sessions.verified(token) ?? (await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'] }));
    if (claims.jti) {
      const expiresAt = new Date((claims.exp ?? Date.now() / 1000 + this.config.jwt.expiresInSec) * 1000);
      await this.revoked
        .createQueryBuilder()
        .insert()
        .values({ jti: claims.jti, userId: claims.sub, expiresAt })
        .orIgnore()
        .execute();
      await this.revoked.delete({ expiresAt: LessThan(new Date()) });
    } else {
      await this.users.increment({ id: claims.sub }, 'tokenVersion', 1);
      this.sessions.forget(claims.sub);
    }
    this.sessions.forgetToken(token);
    if (claims.sid) await this.ssoSessions.delete(claims.sid);
    await this.audit.record({ actor, action: 'auth.logout', entityType: 'user', entityId: actor.id });
  }

  async me(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new UnauthorizedException('Invalid or expired token');
    return user;
  }

  /** Throttled like a login of the account: a wrong current password is a failed attempt. */
  async changePassword(
    actor: AuthenticatedUser,
    currentPassword: string,
    newPassword: string,
    ip?: string,
  ): Promise<void> {
    const user = await this.throttle.attempt(actor.email, ip, async () => {
      const found = await this.users.findOne({
        where: { id: actor.id },
        select: ['id', 'passwordHash', 'tokenVersion'],
      });
      if (!found || !(await verifyPassword(currentPassword, found.passwordHash))) {
        throw new UnauthorizedException('currentPassword is wrong');
      }
      return found;
    });
    await this.users.update(
      { id: user.id },
      { passwordHash: await hashPassword(newPassword), tokenVersion: user.tokenVersion + 1 },
    );
    this.sessions.forget(user.id);
    await this.audit.record({
      actor,
      action: 'user.password',
      entityType: 'user',
      entityId: user.id,
      after: { passwordChanged: true },
    });
  }
}
