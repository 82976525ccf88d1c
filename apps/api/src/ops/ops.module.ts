import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { MetricsAccessGuard } from './metrics-access.guard';
import { MetricsPortServer } from './metrics-port.server';
import { MetricsController } from './metrics.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [HealthService, MetricsAccessGuard, MetricsPortServer],
})
export class OpsModule {}
