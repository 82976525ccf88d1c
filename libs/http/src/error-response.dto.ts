import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/** Every `error.code` the API answers, with its HTTP status: the table of docs/api.md §1.8. */
export const ERROR_CODES = {
  VALIDATION_ERROR: 400,
  INVALID_ACTION: 400,
  AUDIO_DURATION_EXCEEDED: 400,
  UNAUTHORIZED: 401,
  TOKEN_EXPIRED: 401,
  INVALID_REFRESH_TOKEN: 401,
  GOOGLE_AUTH_FAILED: 401,
  INVALID_SIGNATURE: 401,
  INSUFFICIENT_CREDITS: 402,
  FORBIDDEN: 403,
  TIER_REQUIRED: 403,
  INSUFFICIENT_SCOPE: 403,
  SESSION_REQUIRED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 409,
  ARCHIVED: 409,
  ALREADY_COMPLETED: 409,
  ALREADY_PRO: 409,
  NO_ACTIVE_SUBSCRIPTION: 409,
  TEMPLATE_INACTIVE: 409,
  TEMPLATE_EXHAUSTED: 409,
  IDEMPOTENCY_CONFLICT: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  CURSOR_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMIT_EXCEEDED: 429,
  AI_TASK_LIMIT_REACHED: 429,
  STREAM_LIMIT_REACHED: 429,
  INTERNAL_ERROR: 500,
  AI_SERVICE_UNAVAILABLE: 503,
  TRANSCRIPTION_SERVICE_UNAVAILABLE: 503,
  PAYMENT_SERVICE_UNAVAILABLE: 503,
  AUTH_PROVIDER_UNAVAILABLE: 503,
  WEBHOOK_NOT_CONFIGURED: 503,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

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
