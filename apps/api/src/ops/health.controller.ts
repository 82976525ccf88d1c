import { Controller, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/core/http/auth-user';
import { SkipRateLimit } from '@app/http/rate-limit-bucket.decorator';
import type { Response } from 'express';
import { HealthResponseDto, LivenessResponseDto } from './health.dto';
import { HealthService } from './health.service';

@ApiTags('Operations')
@Public()
@SkipRateLimit()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process serves HTTP (never touches dependencies)' })
  @ApiOkResponse({ type: LivenessResponseDto })
  live(): LivenessResponseDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Readiness: database, migrations, job runner heartbeat, configuration and Redis' })
  @ApiOkResponse({
    type: HealthResponseDto,
    description: '`ok`, or `degraded` when only job_runner/configuration/redis report problems',
  })
  @ApiServiceUnavailableResponse({
    type: HealthResponseDto,
    description: '`error`: the database or migrations check failed',
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthResponseDto> {
    const report = await this.health.readiness();
    if (report.status === 'error') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
