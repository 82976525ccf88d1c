import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { AuthModule } from './auth.module';
import { JwksController } from './jwks.controller';

@Module({
  imports: [AuthModule],
  controllers: [AuthController, JwksController],
  // The api app registers AuthGuard as APP_GUARD in its own module, which must see the verifier.
  exports: [AuthModule],
})
export class AuthHttpModule {}
