import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/core/http/error-response.dto';

type Operation = {
  parameters?: Array<Record<string, unknown>>;
  responses?: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
};

const MUTATIONS = ['post', 'put', 'patch'];
const IDEMPOTENCY_EXEMPT = /^\/api\/v1\/(auth|webhooks)\//;
const PUBLIC_PATHS = /^\/(health|metrics|docs|\.well-known)|^\/api\/v1\/(auth|webhooks|health|\.well-known)\//;
/** Paths also served under `/api/v1` (docs/api.md §1.1); the app rewrites them to the unversioned routes. */
export const VERSIONED_ALIASES = ['/health/live', '/health/ready', '/.well-known/jwks.json'];

/** Swagger UI at `/docs`, the OpenAPI document at `/docs-json`, generated from the DTOs. */
export function setupSwagger(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Perpetua Flow API')
    .setDescription(
      'Tasks, subtasks, recurring templates, reminders, notes, an AI assistant metered by credits, Pro subscriptions, ' +
        'achievements, focus mode, notifications and an activity log. Every error uses the envelope ' +
        '`{ error: { code, message, details?, request_id } }`; every authenticated POST/PUT/PATCH needs an `Idempotency-Key`.',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] });
  addConventions(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
  return document;
}

/** Applies the cross-cutting conventions every operation shares, so controllers only document their own. */
function addConventions(document: OpenAPIObject): void {
  const errorRef = { $ref: '#/components/schemas/ErrorResponseDto' };
  const errorResponse = (description: string): Record<string, unknown> => ({
    description,
    content: { 'application/json': { schema: errorRef } },
  });
  for (const alias of VERSIONED_ALIASES) {
    if (document.paths[alias]) document.paths[`/api/v1${alias}`] = document.paths[alias];
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item)) {
      const operation = value as Operation;
      if (!operation || typeof operation !== 'object' || !operation.responses) continue;
      const isPublic = PUBLIC_PATHS.test(path);
      if (!isPublic) {
        operation.security = [{ bearer: [] }];
        operation.responses['401'] ??= errorResponse('UNAUTHORIZED or TOKEN_EXPIRED');
        operation.responses['429'] ??= errorResponse('RATE_LIMIT_EXCEEDED (X-RateLimit-* and Retry-After headers)');
      }
      if (path.startsWith('/api/v1')) {
        operation.responses['400'] ??= errorResponse('VALIDATION_ERROR');
        operation.responses['500'] ??= errorResponse('INTERNAL_ERROR');
      }
      const mutation = MUTATIONS.includes(method) || method === 'delete';
      if (mutation && !isPublic && !IDEMPOTENCY_EXEMPT.test(path)) {
        operation.parameters = [
          ...(operation.parameters ?? []),
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: method !== 'delete',
            description:
              'Client-chosen key (1–255 printable ASCII, a UUID v4 recommended) making the request safe to retry for 24 h',
            schema: { type: 'string', maxLength: 255 },
          },
        ];
        operation.responses['409'] ??= errorResponse('IDEMPOTENCY_CONFLICT or IDEMPOTENCY_IN_PROGRESS');
      }
    }
  }
}
