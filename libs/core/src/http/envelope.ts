import { applyDecorators, HttpStatus, Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export interface DataEnvelope<T> {
  data: T;
}

export interface Pagination {
  offset: number;
  limit: number;
  total: number;
  has_more: boolean;
}

export interface ListEnvelope<T> {
  data: T[];
  pagination: Pagination;
}

export function ok<T>(data: T): DataEnvelope<T> {
  return { data };
}

export function paginated<T>(data: T[], page: { offset: number; limit: number }, total: number): ListEnvelope<T> {
  return {
    data,
    pagination: { offset: page.offset, limit: page.limit, total, has_more: page.offset + data.length < total },
  };
}

export class PaginationDto {
  @ApiProperty({ example: 0 }) offset: number;
  @ApiProperty({ example: 25 }) limit: number;
  @ApiProperty({ example: 42 }) total: number;
  @ApiProperty({ example: true }) has_more: boolean;
}

export class DeletedDto {
  @ApiProperty({ format: 'uuid', description: 'Id of the deleted resource' }) id: string;
  @ApiProperty({ example: true, enum: [true], enumName: 'DeletedFlag' }) deleted: true;
}

/** Documents `{ data: Model }` as the response of `status`. */
export function ApiDataResponse(
  model: Type<unknown>,
  status: number = HttpStatus.OK,
  description?: string,
): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({
      status,
      description: description ?? 'Success',
      schema: { type: 'object', required: ['data'], properties: { data: { $ref: getSchemaPath(model) } } },
    }),
  );
}

/** Documents `{ data: Model[] }` (a bounded collection, no pagination). */
export function ApiCollectionResponse(model: Type<unknown>, description?: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({
      status: HttpStatus.OK,
      description: description ?? 'Success',
      schema: {
        type: 'object',
        required: ['data'],
        properties: { data: { type: 'array', items: { $ref: getSchemaPath(model) } } },
      },
    }),
  );
}

/** Documents `{ data: Model[], pagination }`. */
export function ApiListResponse(model: Type<unknown>, description?: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(model, PaginationDto),
    ApiResponse({
      status: HttpStatus.OK,
      description: description ?? 'Success',
      schema: {
        type: 'object',
        required: ['data', 'pagination'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(model) } },
          pagination: { $ref: getSchemaPath(PaginationDto) },
        },
      },
    }),
  );
}
