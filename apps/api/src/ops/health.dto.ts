import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessResponseDto {
  @ApiProperty({ example: 'ok', enum: ['ok'], enumName: 'LivenessStatus' }) status: 'ok';
}

export class HealthCheckDto {
  @ApiProperty({ example: 'ok', enum: ['ok', 'error'], enumName: 'HealthCheckStatus' }) status: 'ok' | 'error';
  @ApiPropertyOptional({ example: 'no heartbeat for 5 minutes', description: 'Why the check fails' }) message?: string;
  @ApiPropertyOptional({ example: ['payments'], description: 'Integrations left unset (configuration check only)' })
  disabled?: string[];
}

export class HealthChecksDto {
  @ApiProperty() database: HealthCheckDto;
  @ApiProperty() migrations: HealthCheckDto;
  @ApiProperty() job_runner: HealthCheckDto;
  @ApiProperty() configuration: HealthCheckDto;
  @ApiPropertyOptional({ description: 'Only when `REDIS_URL` is set; `error` = counters in process memory (degraded)' })
  redis?: HealthCheckDto;
}

export class HealthResponseDto {
  @ApiProperty({ example: 'ok', enum: ['ok', 'degraded', 'error'], enumName: 'ReadinessStatus' }) status:
    'ok' | 'degraded' | 'error';
  @ApiProperty() checks: HealthChecksDto;
}
