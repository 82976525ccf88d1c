import type { Type } from '@nestjs/common';
import { createValidationPipe } from '@app/core/validation/validation.pipe';

const pipe = createValidationPipe();

/**
 * Checks a tool's arguments with the REST endpoint's own DTO and pipe, so a tool accepts exactly
 * what the endpoint accepts and fails with the same `VALIDATION_ERROR` details. Query DTOs read
 * strings, as a query string carries them.
 */
export async function asBody<T>(dto: Type<T>, value: object): Promise<T> {
  return (await pipe.transform(value, { type: 'body', metatype: dto })) as T;
}

export async function asQuery<T>(dto: Type<T>, value: Record<string, unknown>): Promise<T> {
  const query = Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .map(([name, field]) => [name, String(field)]),
  );
  return (await pipe.transform(query, { type: 'query', metatype: dto })) as T;
}
