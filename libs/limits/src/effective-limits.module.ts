import { Module } from '@nestjs/common';
import { EffectiveLimitsService } from './effective-limits.service';

/** Effective limits (tier + perks) for every feature's limit checks. */
@Module({
  providers: [EffectiveLimitsService],
  exports: [EffectiveLimitsService],
})
export class EffectiveLimitsModule {}
