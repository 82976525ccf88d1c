import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/http/error-response.dto';
import { addConventions, operationId } from './swagger-conventions';

/** The OpenAPI document of the API, generated from the controllers and DTOs (committed as `openapi.json`). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Perpetua Flow API')
    .setDescription(
      'Tasks, subtasks, recurring templates, reminders, notes, an AI assistant metered by credits, Pro subscriptions, ' +
        'achievements, focus mode, notifications and an activity log. Every error uses the envelope ' +
        '`{ error: { code, message, details?, request_id } }`; every authenticated POST/PUT/PATCH needs an `Idempotency-Key`. ' +
        'A method a path does not support answers `405 METHOD_NOT_ALLOWED` with an `Allow` header ' +
        '(`#/components/responses/MethodNotAllowed`).',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorResponseDto],
    operationIdFactory: operationId,
  });
  addConventions(document);
  return document;
}

/** Swagger UI at `/docs`, the OpenAPI document at `/docs-json`. */
export function setupSwagger(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
  return document;
}
