import { Body, Controller, Get, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Public } from './auth.constants';
import { AuthService } from './auth.service';
import { AuthenticatedUser, CurrentUser } from './authenticated-user';
import { ChangePasswordRequest } from './dto/change-password.request';
import { LoginRequest } from './dto/login.request';
import { LoginResponse } from './dto/login.response';
import { UserResponse } from './dto/user.response';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Exchanges email and password for a bearer token. Throttled per account and per client address. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiUnauthorizedResponse({ description: 'Invalid email or password' })
  @ApiTooManyRequestsResponse({ description: 'Too many login attempts' })
  async login(@Body() body: LoginRequest): Promise<LoginResponse> {
    const { accessToken, expiresIn, user } = await this.auth.login(body.email, body.password);
    return { accessToken, expiresIn, user: UserResponse.from(user) };
  }

  /** The signed-in user. */
  @ApiBearerAuth()
  @Get('me')
  async me(@CurrentUser() user: AuthenticatedUser): Promise<UserResponse> {
    return UserResponse.from(await this.auth.me(user.id));
  }

  /** Changes the signed-in user's password; every token issued before stops working. */
  @ApiBearerAuth()
  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  async changePassword(@CurrentUser() user: AuthenticatedUser, @Body() body: ChangePasswordRequest): Promise<void> {
    await this.auth.changePassword(user, body.currentPassword, body.newPassword);
  }
}
