import { Body, Controller, Get, HttpCode, HttpStatus, Ip, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from './auth.constants';
import { AuthService } from './auth.service';
import { AuthenticatedUser, BearerToken, CurrentUser } from './authenticated-user';
import { ChangePasswordRequest } from './dto/change-password.request';
import { LoginRequest } from './dto/login.request';
import { LoginResponse } from './dto/login.response';
import { UserResponse } from './dto/user.response';
import { cookieOptions, SESSION_COOKIE, SESSION_COOKIE_PATH } from './oidc/sso-cookies';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /**
   * Exchanges email and password for a bearer token. Failures are throttled per account from one client address
   * and per address (429); an account under attack answers more slowly. In SSO-only mode (SSO_ONLY) only the
   * break-glass admin (ADMIN_EMAIL) may sign in with a password; everyone else gets 403.
   */
  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiUnauthorizedResponse({ description: 'Invalid email or password' })
  @ApiForbiddenResponse({ description: 'Password sign-in is disabled (SSO only)' })
  @ApiTooManyRequestsResponse({ description: 'Too many login attempts' })
  async login(@Body() body: LoginRequest, @Ip() ip: string): Promise<LoginResponse> {
    const { accessToken, expiresIn, user } = await this.auth.login(body.email, body.password, ip);
    return { accessToken, expiresIn, user: UserResponse.from(user) };
  }

  /**
   * Signs out: this token is refused from now on, by every replica (others within a few seconds). A single sign-on
   * session ends too (it cannot be refreshed any more).
   */
  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  async logout(
    @CurrentUser() user: AuthenticatedUser,
    @BearerToken() token: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.auth.logout(user, token);
    response.clearCookie(SESSION_COOKIE, cookieOptions(SESSION_COOKIE_PATH, request.secure));
  }

  /** The signed-in user. */
  @ApiBearerAuth()
  @Get('me')
  async me(@CurrentUser() user: AuthenticatedUser): Promise<UserResponse> {
    return UserResponse.from(await this.auth.me(user.id));
  }

  /**
   * Changes the signed-in user's password; every token issued before stops working. A wrong current password
   * counts as a failed login of the account.
   */
  @ApiBearerAuth()
  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiUnauthorizedResponse({ description: 'currentPassword is wrong' })
  @ApiTooManyRequestsResponse({ description: 'Too many login attempts' })
  async changePassword(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: ChangePasswordRequest,
    @Ip() ip: string,
  ): Promise<void> {
    await this.auth.changePassword(user, body.currentPassword, body.newPassword, ip);
  }
}
