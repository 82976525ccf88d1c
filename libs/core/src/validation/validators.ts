import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsInt,
  IsString,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateIf,
  ValidationArguments,
} from 'class-validator';

/** Any 8-4-4-4-12 hex id, any case and version (docs/api.md §1.3); matching nothing is a 404, not a 400. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Length in Unicode code points, as PostgreSQL counts (docs/api.md §1.2). */
export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** The field may be omitted; when present it must not be null (non-nullable PATCH fields, docs/api.md §1.7). */
export const OptionalNotNull = (): PropertyDecorator =>
  ValidateIf((object: object, value: unknown) => value !== undefined);

/** The field may be omitted or null (null clears it). */
export const OptionalNullable = (): PropertyDecorator =>
  ValidateIf((object: object, value: unknown) => value !== undefined && value !== null);

function CodePointLength(min: number, max: number): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'codePointLength',
      target: target.constructor,
      propertyName: propertyName.toString(),
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && codePointLength(value) >= min && codePointLength(value) <= max,
        defaultMessage: (args: ValidationArguments) =>
          min === 1 && codePointLength(String(args.value ?? '')) === 0
            ? 'must not be empty'
            : `must be between ${min} and ${max} characters`,
      },
    });
}

/** The Swagger facts a field decorator passes through to `@ApiProperty`. */
export interface ApiFieldOptions {
  description?: string;
  example?: unknown;
  required?: boolean;
  nullable?: boolean;
  default?: unknown;
}

export interface TextFieldOptions extends ApiFieldOptions {
  min?: number;
  max: number;
  /** Trim surrounding whitespace before checking (default true). */
  trim?: boolean;
}

/** A string trimmed of surrounding whitespace whose length (code points) lies in [min, max]. */
export function TextField({ min = 1, max, trim = true, ...api }: TextFieldOptions): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, minLength: min, maxLength: max, ...api }),
    ...(trim ? [Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))] : []),
    IsString({ message: 'must be a string' }),
    CodePointLength(min, max),
  );
}

/** A UUID (any version, any case), returned lowercased. */
export function UuidField(api: ApiFieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, format: 'uuid', ...api }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value)),
    IsString({ message: 'must be a UUID' }),
    Matches(UUID_PATTERN, { message: 'must be a UUID' }),
  );
}

const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a request timestamp (docs/api.md §1.3): ISO 8601 date-time, `Z` or numeric offset, no offset
 * meaning UTC; digits beyond milliseconds truncated. Returns undefined when unparsable.
 */
export function parseTimestamp(value: string): Date | undefined {
  const match = TIMESTAMP_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = '00', fraction = '', zone = 'Z'] = match;
  const millis = (fraction.slice(1) + '000').slice(0, 3);
  const offset = /^[Zz]$/.test(zone) ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}.${millis}${offset}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  // Reject calendar overflow such as February 30 (Date would roll it over silently).
  const check = new Date(date.getTime() + offsetMinutes(offset) * 60_000);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() + 1 !== Number(mo)) return undefined;
  return date;
}

function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

/** A request timestamp, converted to a Date (invalid input stays as is and fails IsDate). */
export function TimestampField(api: ApiFieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, format: 'date-time', example: '2026-01-19T10:30:00.000Z', ...api }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (parseTimestamp(value) ?? value) : value,
    ),
    IsDate({ message: 'must be an ISO 8601 date-time' }),
  );
}

/** `true`/`false`/`1`/`0` in a query string (docs/api.md §1.6); anything else fails. */
export function QueryBooleanField(api: ApiFieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: Boolean, required: false, ...api }),
    Transform(({ value }: { value: unknown }) => {
      if (value === 'true' || value === '1' || value === true) return true;
      if (value === 'false' || value === '0' || value === false) return false;
      return value;
    }),
    IsBoolean({ message: 'must be true, false, 1 or 0' }),
  );
}

/** An integer in a query string, in [min, max]. */
export function QueryIntField(min: number, max: number, api: ApiFieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: Number, required: false, minimum: min, maximum: max, ...api }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value,
    ),
    IsInt({ message: 'must be an integer' }),
    Min(min),
    Max(max),
  );
}
