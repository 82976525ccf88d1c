import { Module } from '@nestjs/common';
import { UsersModule } from '@app/users/users.module';
import { AccessTokenVerifier } from './access-token.verifier';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { DevLoginEnabledGuard } from './dev-login-enabled.guard';
import { GoogleIdTokenVerifier } from './google-id-token.verifier';
import { JwtKeysService } from './jwt-keys.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { TokenService } from './token.service';

@Module({
  imports: [UsersModule],
  providers: [
    JwtKeysService,
    TokenService,
    RefreshTokensRepository,
    GoogleIdTokenVerifier,
    AuthService,
    AccessTokenVerifier,
    AuthGuard,
    DevLoginEnabledGuard,
  ],
  exports: [AuthGuard, AccessTokenVerifier, AuthService, JwtKeysService, TokenService, DevLoginEnabledGuard],
})
export class AuthModule {}
