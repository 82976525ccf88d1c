import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { codesNamedIn, ErrorBodyDto, errorResponseSchema } from '@app/http/error-response.dto';
import { TaskResponseDto } from './task-response.dto';

class TaskConflictErrorBodyDto extends ErrorBodyDto {
  @ApiProperty({ required: false, description: 'Stored version (stale `version` only)', example: 7 })
  current_version?: number;

  @ApiProperty({
    required: false,
    type: TaskResponseDto,
    description: 'The current task (stale `version` only), to merge',
  })
  current?: TaskResponseDto;
}

/** 409 body of task writes: a stale version carries `current_version`, its detail and `current`. */
export class TaskConflictResponseDto {
  @ApiProperty({ type: TaskConflictErrorBodyDto })
  error: TaskConflictErrorBodyDto;
}

export function ApiTaskConflict(codes: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(TaskConflictResponseDto),
    ApiResponse({
      status: 409,
      description: codes,
      schema: errorResponseSchema(codesNamedIn(409, codes), getSchemaPath(TaskConflictResponseDto)),
    }),
  );
}
