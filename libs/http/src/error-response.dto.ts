import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ERROR_CODES, ErrorCode } from '@app/core/errors/error-codes';

export class ErrorDetailDto {
  @ApiProperty({ example: 'title' }) field: string;
  @ApiProperty({ example: 'must not be empty' }) message: string;
}

export class ErrorBodyDto {
  @ApiProperty({
    enum: Object.keys(ERROR_CODES),
    enumName: 'ErrorCode',
    example: 'VALIDATION_ERROR',
    description: 'Stable machine-readable code (docs/api.md §1.8); each response lists the codes it can carry',
  })
  code: ErrorCode;
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
  403: "FORBIDDEN (another user's resource)",
  404: 'NOT_FOUND',
  409: 'CONFLICT, LIMIT_EXCEEDED, ARCHIVED or another state conflict',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMIT_EXCEEDED',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** The codes of `status` that a response description names (`'ARCHIVED or LIMIT_EXCEEDED (…)'`). */
export function codesNamedIn(status: number, description: string): ErrorCode[] {
  const words = new Set(description.match(/\b[A-Z][A-Z_]+\b/g));
  return (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => ERROR_CODES[code] === status && words.has(code));
}

/**
 * The error envelope of one response (`envelope`: ErrorResponseDto or a subclass' schema), its
 * `error.code` narrowed to the codes that response can carry.
 */
export function errorResponseSchema(
  codes: readonly string[],
  envelope: string = getSchemaPath(ErrorResponseDto),
): Record<string, unknown> {
  return {
    allOf: [
      { $ref: envelope },
      {
        type: 'object',
        properties: { error: { type: 'object', properties: { code: { type: 'string', enum: [...codes] } } } },
      },
    ],
  };
}

/**
 * Documents error envelopes for the given statuses (common ones are added to every operation).
 * A description names the codes the response carries (docs/api.md §1.8); they become its `code` enum.
 */
export function ApiErrors(...statuses: Array<number | [number, string]>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorResponseDto),
    ...statuses.map((entry) => {
      const [status, description] = Array.isArray(entry) ? entry : [entry, DESCRIPTIONS[entry] ?? 'Error'];
      const codes = codesNamedIn(status, description);
      if (codes.length === 0) throw new Error(`ApiErrors: "${description}" names no ${status} code of ERROR_CODES`);
      return ApiResponse({ status, description, schema: errorResponseSchema(codes) });
    }),
  );
}
