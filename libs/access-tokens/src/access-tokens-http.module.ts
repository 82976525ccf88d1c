import { Module } from '@nestjs/common';
import { AccessTokensController } from './access-tokens.controller';
import { AccessTokensModule } from './access-tokens.module';

@Module({
  imports: [AccessTokensModule],
  controllers: [AccessTokensController],
  // The api app registers BearerAuthGuard as APP_GUARD in its own module, which must see its dependencies.
  exports: [AccessTokensModule],
})
export class AccessTokensHttpModule {}
