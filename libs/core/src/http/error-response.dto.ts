import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: 'title' }) field: string;
  @ApiProperty({ example: 'must not be empty' }) message: string;
}

export class ErrorBodyDto {
  @ApiProperty({ example: 'VALIDATION_ERROR', description: 'Stable machine-readable code (docs/api.md §1.8)' })
  code: string;
  @ApiProperty({ example: 'Request validation failed' }) message: string;
  @ApiPropertyOptional({ type: [ErrorDetailDto] }) details?: ErrorDetailDto[];
  @ApiProperty({ example: '8f0c3a9e-4c1e-4a44-9a3b-2f6f0b1d9c11' }) request_id: string;
}

export class ErrorResponseDto {
  @ApiProperty({ type: ErrorBodyDto }) error: ErrorBodyDto;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_ERROR (body, query, path or header invalid)',
  401: 'UNAUTHORIZED or TOKEN_EXPIRED',
  402: 'INSUFFICIENT_CREDITS',
  403: "FORBIDDEN (another user's resource) or TIER_REQUIRED",
  404: 'NOT_FOUND',
  409: 'CONFLICT, LIMIT_EXCEEDED, ARCHIVED or another state conflict',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMIT_EXCEEDED',
  503: 'A required service is unavailable',
};

/** Documents error envelopes for the given statuses (common ones are added to every operation). */
export function ApiErrors(...statuses: Array<number | [number, string]>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorResponseDto),
    ...statuses.map((entry) => {
      const [status, description] = Array.isArray(entry) ? entry : [entry, DESCRIPTIONS[entry] ?? 'Error'];
      return ApiResponse({ status, description, schema: { $ref: getSchemaPath(ErrorResponseDto) } });
    }),
  );
}
