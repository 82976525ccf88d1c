import { Global, Module } from '@nestjs/common';
import { PRO_ACTIVATION } from '@app/auth/pro-activation.port';
import { BillingModule } from './billing.module';
import { DevProActivationService } from './dev-pro-activation.service';

/**
 * Provides the auth feature's optional `PRO_ACTIVATION` port (dev login with `tier: "pro"`).
 * Global so that AuthModule sees it without depending on billing.
 */
@Global()
@Module({
  imports: [BillingModule],
  providers: [{ provide: PRO_ACTIVATION, useExisting: DevProActivationService }],
  exports: [PRO_ACTIVATION],
})
export class ProActivationModule {}
