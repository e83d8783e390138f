import { Logger } from '@nestjs/common';
import type * as OpenIdClient from 'openid-client';
import type { OidcConfig } from '@app/config/app-config';
import { errorMessage } from '@app/common/errors';
import { IdTokenClaims } from './oidc-identity';

type OpenId = typeof OpenIdClient;

/**
 * `openid-client` is ESM-only and the backend CommonJS: the compiled `import()` is a `require()`, which Node loads
 * natively (require of ES modules, Node ≥ 20.19 — package.json's engines), lazily: deployments without SSO never
 * load it. Jest transforms it to CommonJS (backend/jest.config.cts). A `new Function` dynamic import was tried:
 * under Jest it could be bound to another test file's torn-down module registry.
 */
const importEsm = (): Promise<OpenId> => import('openid-client');

/** What the callback must check, kept in the browser's sealed flow cookie between login and callback. */
export interface AuthorizationChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The provider's answer to a code exchange or refresh, its ID token verified. */
export interface ProviderTokens {
  claims: IdTokenClaims;
  refreshToken?: string;
}

/** Why the provider (or the ID token it sent) was not accepted. */
export class OidcProviderError extends Error {
  override readonly name = 'OidcProviderError';

  constructor(
    message: string,
    /** The library's error (a network failure is told from a refusal by it). */
    readonly reason?: unknown,
  ) {
    super(message);
  }
}

/**
 * The relying party: discovery from OIDC_ISSUER (once, again after a failure), authorization code + PKCE + state +
 * nonce, and refresh. The library verifies the ID token: issuer, audience, expiry, nonce, and (non-repudiation
 * checks on) its signature against the provider's published keys.
 */
export class OidcClient {
  private readonly logger = new Logger(OidcClient.name);
  private discovered?: Promise<{ lib: OpenId; config: OpenIdClient.Configuration }>;

  constructor(private readonly settings: OidcConfig) {}

  /** The provider's authorization URL for a new sign-in, and the checks its callback must pass. */
  async authorizationUrl(redirectUri: string): Promise<{ url: string; checks: AuthorizationChecks }> {
    const { lib, config } = await this.discovery();
    const checks = { state: lib.randomState(), nonce: lib.randomNonce(), codeVerifier: lib.randomPKCECodeVerifier() };
    const url = lib.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.settings.scopes,
      response_type: 'code',
      code_challenge: await lib.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
    });
    return { url: url.href, checks };
  }

  /** Exchanges the code of the callback URL `currentUrl` (state, nonce, PKCE and the ID token checked). */
  async exchange(currentUrl: URL, checks: AuthorizationChecks): Promise<ProviderTokens> {
    const { lib, config } = await this.discovery();
    try {
      const tokens = await lib.authorizationCodeGrant(config, currentUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
      return { claims: { ...tokens.claims() }, refreshToken: tokens.refresh_token };
    } catch (error) {
      throw new OidcProviderError(describe(error), error);
    }
  }

  /** Refreshes at the provider; throws OidcProviderError when it refuses (the user was removed or disabled there). */
  async refresh(refreshToken: string): Promise<Partial<ProviderTokens>> {
    const { lib, config } = await this.discovery();
    try {
      const tokens = await lib.refreshTokenGrant(config, refreshToken);
      const claims = tokens.claims();
      return { claims: claims ? { ...claims } : undefined, refreshToken: tokens.refresh_token };
    } catch (error) {
      throw new OidcProviderError(describe(error), error);
    }
  }

  private discovery(): Promise<{ lib: OpenId; config: OpenIdClient.Configuration }> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = undefined;
      throw new OidcProviderError(`discovery at ${this.settings.issuer} failed: ${describe(error)}`, error);
    });
    return this.discovered;
  }

  private async discover(): Promise<{ lib: OpenId; config: OpenIdClient.Configuration }> {
    const lib = await importEsm();
    const issuer = new URL(this.settings.issuer);
    const execute = [lib.enableNonRepudiationChecks];
    if (issuer.protocol === 'http:') {
      this.logger.warn(`OIDC_ISSUER ${issuer.href} is plain http: use https outside local testing`);
      execute.push(lib.allowInsecureRequests);
    }
    const config = await lib.discovery(issuer, this.settings.clientId, this.settings.clientSecret, undefined, {
      execute,
      timeout: 10,
    });
    return { lib, config };
  }
}

/** The library's error, its cause and the provider's error code when there is one (never a token). */
function describe(error: unknown): string {
  const { code, error: oauthError, error_description: description, cause } = (error ?? {}) as Record<string, unknown>;
  const detail = [oauthError, description].filter((part) => typeof part === 'string').join(': ');
  const because = cause instanceof Error && cause.message !== errorMessage(error) ? `: ${cause.message}` : '';
  return [`${errorMessage(error)}${because}`, detail, typeof code === 'string' ? `(${code})` : '']
    .filter(Boolean)
    .join(' ');
}
