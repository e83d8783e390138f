import { Controller, Get, HttpCode, HttpException, HttpStatus, Inject, Ip, Post, Req, Res } from '@nestjs/common';
import {
  ApiFoundResponse,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { Public } from '../auth.constants';
import { AuthProvidersResponse } from '../dto/auth-providers.response';
import { LoginResponse } from '../dto/login.response';
import { UserResponse } from '../dto/user.response';
import { OidcService, SSO_FLOW_TTL_MS } from './oidc.service';
import {
  cookieOptions,
  FLOW_COOKIE,
  FLOW_COOKIE_PATH,
  publicBase,
  readCookie,
  SESSION_COOKIE,
  SESSION_COOKIE_PATH,
} from './sso-cookies';

export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';

@ApiTags('auth')
@Controller('auth')
export class OidcController {
  constructor(
    private readonly oidc: OidcService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The sign-in methods enabled: password (false in SSO-only mode) and single sign-on (OIDC) with its name. */
  @Public()
  @Get('providers')
  providers(): AuthProvidersResponse {
    return this.oidc.providers();
  }

  /**
   * Starts single sign-on: redirects (302) to the identity provider with an authorization code request (PKCE,
   * state and nonce, kept sealed in a short-lived httpOnly cookie). 404 when SSO is not configured.
   */
  @Public()
  @Get('oidc/login')
  @ApiFoundResponse({ description: 'Redirect to the identity provider' })
  @ApiServiceUnavailableResponse({ description: 'The identity provider cannot be reached' })
  async oidcLogin(@Req() request: Request, @Res() response: Response): Promise<void> {
    const redirectUri = `${publicBase(request, this.config.publicUrl)}${OIDC_CALLBACK_PATH}`;
    const { url, flow } = await this.oidc.start(redirectUri);
    response.cookie(FLOW_COOKIE, flow, cookieOptions(FLOW_COOKIE_PATH, isHttps(redirectUri), SSO_FLOW_TTL_MS));
    response.redirect(HttpStatus.FOUND, url);
  }

  /**
   * The provider's redirect back: exchanges the code (state, nonce, PKCE and the ID token's issuer, audience,
   * expiry and signature checked), provisions the user just in time, opens an SSO session (httpOnly cookie) and
   * redirects to the console's `/login?sso=1`, which fetches its bearer token from `POST /api/auth/refresh`. A
   * refusal redirects to `/login?ssoError=<message>`. Throttled like password logins (per client address).
   */
  @Public()
  @Get('oidc/callback')
  @ApiQuery({ name: 'code', type: String, required: false, description: 'The authorization code' })
  @ApiQuery({ name: 'state', type: String, required: false })
  @ApiQuery({ name: 'error', type: String, required: false, description: 'The provider’s error, when it refused' })
  @ApiFoundResponse({ description: 'Redirect to the console, signed in (or with ssoError)' })
  async oidcCallback(@Req() request: Request, @Res() response: Response, @Ip() ip: string): Promise<void> {
    const query = request.originalUrl.includes('?')
      ? request.originalUrl.slice(request.originalUrl.indexOf('?') + 1)
      : '';
    const consoleBase = this.config.publicUrl ?? '';
    const secure = isHttps(publicBase(request, this.config.publicUrl));
    response.clearCookie(FLOW_COOKIE, cookieOptions(FLOW_COOKIE_PATH, secure));
    try {
      const session = await this.oidc.finish(query, readCookie(request, FLOW_COOKIE), ip);
      const maxAge = this.config.jwt.expiresInSec * 1000;
      response.cookie(SESSION_COOKIE, session, cookieOptions(SESSION_COOKIE_PATH, secure, maxAge));
      response.redirect(HttpStatus.FOUND, `${consoleBase}/login?sso=1`);
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      const message = String((error.getResponse() as { message?: unknown }).message ?? error.message);
      response.redirect(HttpStatus.FOUND, `${consoleBase}/login?ssoError=${encodeURIComponent(message)}`);
    }
  }

  /**
   * A new bearer token for the browser's SSO session (its httpOnly cookie), after refreshing at the identity
   * provider: a user removed or disabled there gets 401 and the session ends. The console calls it after the
   * callback and whenever its short-lived token expires.
   */
  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiUnauthorizedResponse({ description: 'No SSO session, or the provider refused the refresh' })
  @ApiServiceUnavailableResponse({ description: 'The identity provider cannot be reached' })
  async refresh(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<LoginResponse> {
    try {
      const { accessToken, expiresIn, user } = await this.oidc.refresh(readCookie(request, SESSION_COOKIE));
      return { accessToken, expiresIn, user: UserResponse.from(user) };
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === HttpStatus.UNAUTHORIZED) {
        response.clearCookie(SESSION_COOKIE, cookieOptions(SESSION_COOKIE_PATH, request.secure));
      }
      throw error;
    }
  }

  /**
   * Ends the browser's SSO session (its httpOnly cookie) and clears the cookie; the console calls it on sign-out,
   * whether or not its bearer token is still valid. Always 204.
   */
  @Public()
  @Post('oidc/logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  async oidcLogout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.oidc.end(readCookie(request, SESSION_COOKIE));
    response.clearCookie(SESSION_COOKIE, cookieOptions(SESSION_COOKIE_PATH, request.secure));
  }
}

function isHttps(url: string): boolean {
  return url.startsWith('https:');
}
