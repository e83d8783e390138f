import {
  HttpException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppConfig, OidcConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { AuditService } from '../audit.service';
import { AuthService, IssuedToken } from '../auth.service';
import { AuthProvidersResponse } from '../dto/auth-providers.response';
import { LoginThrottle } from '../login-throttle';
import { SsoSessionRepository } from '../repositories/sso-session.repository';
import { UsersService } from '../users.service';
import { AuthorizationChecks, OidcClient, OidcProviderError } from './oidc-client';
import { IdTokenClaims, ssoEmail, ssoName, ssoRole, SsoRefusal } from './oidc-identity';
import { TokenCipher } from './token-cipher';

/** How long a started sign-in may take at the provider. */
export const SSO_FLOW_TTL_MS = 10 * 60_000;
const SESSION_ENDED = 'Your single sign-on session has ended; sign in again';

/** The sealed content of the flow cookie. */
interface Flow extends AuthorizationChecks {
  redirectUri: string;
  expiresAt: number;
}

/**
 * OpenID Connect sign-in: starts the authorization code flow, finishes it (the user provisioned just in time, an
 * SSO session stored with the provider's refresh token sealed), and refreshes the console's short bearer tokens by
 * refreshing at the provider, so a user removed or disabled there loses access at the next refresh.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger(OidcService.name);
  private readonly oidc?: { client: OidcClient; settings: OidcConfig };
  private readonly flowCipher: TokenCipher;
  private readonly tokenCipher: TokenCipher;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly sessions: SsoSessionRepository,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
  ) {
    this.oidc = config.oidc ? { client: new OidcClient(config.oidc), settings: config.oidc } : undefined;
    this.flowCipher = new TokenCipher(config.jwt.secret, 'oidc-flow');
    this.tokenCipher = new TokenCipher(config.jwt.secret, 'oidc-refresh-token');
  }

  providers(): AuthProvidersResponse {
    const oidc = this.config.oidc;
    return { password: !this.config.ssoOnly, oidc: oidc ? { name: oidc.providerName } : null };
  }

  /** The provider's URL to send the browser to, and the sealed flow for its cookie. */
  async start(redirectUri: string): Promise<{ url: string; flow: string }> {
    const { client } = this.requireOidc();
    const { url, checks } = await client.authorizationUrl(redirectUri).catch((error: unknown) => {
      this.logger.error(`SSO sign-in cannot start: ${(error as Error).message}`);
      throw new ServiceUnavailableException('The identity provider cannot be reached; try again later');
    });
    const flow: Flow = { ...checks, redirectUri, expiresAt: Date.now() + SSO_FLOW_TTL_MS };
    return { url, flow: this.flowCipher.seal(JSON.stringify(flow)) };
  }

  /**
   * Finishes a sign-in at the callback: `query` is the callback's query string, `sealedFlow` the flow cookie.
   * Returns the SSO session's cookie value. Refusals are 401 (counted by the login throttle per client address),
   * a user disabled here 403.
   */
  async finish(query: string, sealedFlow: string | undefined, ip: string | undefined): Promise<string> {
    const { client, settings } = this.requireOidc();
    return this.throttle.attempt(`sso-callback:${ip ?? 'unknown'}`, ip, async () => {
      const flow = this.openFlow(sealedFlow);
      const callbackUrl = new URL(`${flow.redirectUri}${query ? `?${query}` : ''}`);
      const tokens = await client.exchange(callbackUrl, flow).catch((error: unknown) => {
        this.logger.warn({ reason: (error as Error).message }, 'SSO sign-in refused');
        throw new UnauthorizedException('The identity provider’s answer was refused; try again');
      });
      const user = await this.provision(tokens.claims, settings);
      const secret = randomBytes(32).toString('base64url');
      const id = await this.sessions.create({
        userId: user.id,
        secretHash: hashSecret(secret),
        refreshToken: tokens.refreshToken ? this.tokenCipher.seal(tokens.refreshToken) : null,
        expiresAt: this.sessionExpiry(),
      });
      await this.auth.signIn(user, { sid: id, expiresInSec: settings.accessTokenTtlSec });
      return `${id}.${secret}`;
    });
  }

  /**
   * A fresh bearer token for the SSO session of cookie `cookie`, after refreshing at the provider (its ID token,
   * when it sends one, updates the role). 401 when the session is unknown or ended, or the provider refused the
   * refresh (the session is then deleted); 503 when the provider cannot be reached (the session stays).
   */
  async refresh(cookie: string | undefined): Promise<IssuedToken> {
    const { client, settings } = this.requireOidc();
    const [id, secret] = (cookie ?? '').split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/i.test(id)) throw new UnauthorizedException(SESSION_ENDED);
    const outcome = await this.sessions.withLocked(id, async (row, manager) => {
      if (!row || !sameHash(hashSecret(secret), row.secretHash)) return { refused: SESSION_ENDED };
      const refreshToken = row.refreshToken ? this.tokenCipher.open(row.refreshToken) : undefined;
      try {
        if (!refreshToken) throw new OidcProviderError('the provider issued no refresh token');
        const tokens = await client.refresh(refreshToken);
        // In this transaction: with the embedded database it holds the only connection.
        const user = tokens.claims
          ? await this.provision(tokens.claims, settings, manager)
          : await this.users.get(row.userId, manager);
        if (user.id !== row.userId || user.disabled) throw new SsoRefusal('the provider now vouches for another user');
        await this.sessions.refreshed(
          manager,
          id,
          tokens.refreshToken ? this.tokenCipher.seal(tokens.refreshToken) : null,
          this.sessionExpiry(),
        );
        return { user };
      } catch (error) {
        if (isUnreachable(error)) return { unreachable: true as const };
        await this.sessions.delete(id, manager);
        this.logger.warn({ userId: row.userId, reason: (error as Error).message }, 'SSO session ended at refresh');
        await this.audit.record(
          { actor: null, action: 'auth.sso.ended', entityType: 'user', entityId: row.userId },
          manager,
        );
        return { refused: SESSION_ENDED };
      }
    });
    if ('unreachable' in outcome) {
      throw new ServiceUnavailableException('The identity provider cannot be reached; try again later');
    }
    if ('refused' in outcome) throw new UnauthorizedException(outcome.refused);
    return this.auth.issueToken(outcome.user, { sid: id, expiresInSec: settings.accessTokenTtlSec });
  }

  /** Ends the SSO session of cookie `cookie` (sign-out; the console's token may have expired already). */
  async end(cookie: string | undefined): Promise<void> {
    const [id, secret] = (cookie ?? '').split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/i.test(id)) return;
    await this.sessions.deleteWithSecret(id, hashSecret(secret));
  }

  private async provision(claims: IdTokenClaims, settings: OidcConfig, manager?: EntityManager) {
    let email: string;
    try {
      email = ssoEmail(claims, settings.allowedDomains);
    } catch (error) {
      if (!(error instanceof SsoRefusal)) throw error;
      this.logger.warn({ sub: claims['sub'], reason: error.message }, 'SSO sign-in refused');
      throw new UnauthorizedException(error.message);
    }
    // The break-glass admin keeps the role it has here, whatever the provider says.
    const role = email === this.config.admin.email ? undefined : ssoRole(claims, settings.roleClaim);
    return this.users.provisionFromSso({ email, name: ssoName(claims), role }, manager);
  }

  private openFlow(sealed: string | undefined): Flow {
    const text = sealed ? this.flowCipher.open(sealed) : undefined;
    const flow = text ? (JSON.parse(text) as Flow) : undefined;
    if (!flow || flow.expiresAt < Date.now()) {
      throw new UnauthorizedException('This sign-in expired or was started in another browser; try again');
    }
    return flow;
  }

  private sessionExpiry(): Date {
    return new Date(Date.now() + this.config.jwt.expiresInSec * 1000);
  }

  private requireOidc(): { client: OidcClient; settings: OidcConfig } {
    if (!this.oidc) throw new NotFoundException('Single sign-on is not configured');
    return this.oidc;
  }
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** A network failure reaching the provider (as opposed to the provider refusing). */
function isUnreachable(error: unknown): boolean {
  if (error instanceof HttpException || error instanceof SsoRefusal) return false;
  for (let cause = error as { cause?: unknown; message?: string } | undefined; cause;) {
    if (cause instanceof TypeError && /fetch failed/i.test(cause.message)) return true;
    const { code, name } = cause as { code?: string; name?: string };
    if (name === 'AbortError' || name === 'TimeoutError' || code === 'ECONNREFUSED' || code === 'ETIMEDOUT') {
      return true;
    }
    cause = (cause as { cause?: unknown }).cause as typeof cause;
  }
  return false;
}
