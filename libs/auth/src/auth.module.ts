import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { UsersModule } from '@app/users/users.module';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { DevLoginEnabledGuard } from './dev-login-enabled.guard';
import { GoogleIdTokenVerifier } from './google-id-token.verifier';
import { JwtKeysService } from './jwt-keys.service';
import { JwtStrategy } from './jwt.strategy';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { TokenService } from './token.service';

@Module({
  imports: [PassportModule, UsersModule],
  providers: [
    JwtKeysService,
    TokenService,
    RefreshTokensRepository,
    GoogleIdTokenVerifier,
    AuthService,
    JwtStrategy,
    AuthGuard,
    DevLoginEnabledGuard,
  ],
  exports: [AuthGuard, AuthService, JwtKeysService, TokenService, JwtStrategy, DevLoginEnabledGuard],
})
export class AuthModule {}
