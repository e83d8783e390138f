import { Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { SessionCache } from './session-cache';
import { AuditLog } from './entities/audit-log.entity';
import { RevokedToken } from './entities/revoked-token.entity';
import { User } from './entities/user.entity';
import { JwtAuthGuard } from './jwt-auth.guard';
import { LoginThrottle } from './login-throttle';
import { OidcController } from './oidc/oidc.controller';
import { OidcService } from './oidc/oidc.service';
import { SsoSessionRepository } from './repositories/sso-session.repository';
import { RolesGuard } from './roles.guard';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, AuditLog, RevokedToken]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        // A KeyObject, not the string: jsonwebtoken otherwise tries (and fails) to parse the string as a public
        // key on every verify, which was the largest single cost of an authenticated request.
        const key = createSecretKey(Buffer.from(config.jwt.secret, 'utf8'));
        return { secretOrKeyProvider: () => key, signOptions: { algorithm: 'HS256' } };
      },
    }),
  ],
  controllers: [AuthController, OidcController, UsersController, AuditController],
  providers: [
    AuthService,
    UsersService,
    AuditService,
    SessionCache,
    LoginThrottle,
    OidcService,
    SsoSessionRepository,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AuditService, UsersService, AuthService],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { generatedPassword } = await this.users.ensureFirstAdmin(
      this.config.admin.email,
      this.config.admin.password,
      !this.config.isProduction,
    );
    if (generatedPassword) {
      // Printed once, on purpose not through the logger: it is a secret and must not land in log storage.
      process.stdout.write(
        `\n  First admin created: ${this.config.admin.email}\n  Password (shown once): ${generatedPassword}\n` +
          `  Set ADMIN_PASSWORD to choose it yourself.\n\n`,
      );
    }
  }
}
