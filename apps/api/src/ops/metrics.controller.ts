import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/http/error-response.dto';
import { Public } from '@app/core/http/auth-user';
import { SkipRateLimit } from '@app/http/rate-limit-bucket.decorator';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { MetricsAccessGuard } from './metrics-access.guard';

@ApiTags('Operations')
@Public()
@SkipRateLimit()
@UseGuards(MetricsAccessGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics',
    description: 'Open unless `METRICS_TOKEN` is set (then bearer `METRICS_TOKEN`); 404 when `METRICS_PORT` serves it',
  })
  @ApiBearerAuth()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition', schema: { type: 'string' } })
  @ApiErrors(
    [401, 'UNAUTHORIZED (`METRICS_TOKEN` set and not presented)'],
    [404, 'NOT_FOUND (`METRICS_PORT` set: served on that port only)'],
  )
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
