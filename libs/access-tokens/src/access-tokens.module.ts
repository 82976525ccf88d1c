import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth/auth.module';
import { AccessTokenAuthenticator } from './access-token.authenticator';
import { AccessTokensRepository } from './access-tokens.repository';
import { AccessTokensService } from './access-tokens.service';
import { BearerAuthGuard } from './bearer-auth.guard';

/** Personal access tokens (docs/access-tokens.md) and the bearer guard that accepts them. */
@Module({
  imports: [AuthModule],
  providers: [AccessTokensRepository, AccessTokensService, AccessTokenAuthenticator, BearerAuthGuard],
  exports: [AccessTokensService, AccessTokenAuthenticator, BearerAuthGuard, AuthModule],
})
export class AccessTokensModule {}
