import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { TASK_PRIORITIES } from '@app/core/database/enums';
import { TextField } from '@app/core/validation/validators';

/** The Pro description limit; the caller's tier limit is checked by the service (docs/rules.md §1). */
export const MAX_DESCRIPTION_LENGTH = 2000;

/** Field decorators shared by task and template bodies (create and update). */
export const TitleField = (required: boolean): PropertyDecorator =>
  TextField({
    max: 200,
    required,
    description: 'Title, 1–200 characters after trimming',
    example: 'Write the quarterly report',
  });

export const DescriptionField = (): PropertyDecorator =>
  TextField({
    min: 0,
    max: MAX_DESCRIPTION_LENGTH,
    trim: false,
    required: false,
    nullable: true,
    description: 'Description; null means "". At most 1000 characters (free) or 2000 (Pro)',
    example: 'Include the churn numbers',
  });

export const PriorityField = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      enum: TASK_PRIORITIES,
      enumName: 'TaskPriority',
      required: false,
      description: 'Priority (default medium)',
      example: 'high',
    }),
    IsIn(TASK_PRIORITIES, { message: `must be one of ${TASK_PRIORITIES.join(', ')}` }),
  );

export const EstimatedDurationField = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      type: Number,
      required: false,
      nullable: true,
      minimum: 1,
      maximum: 720,
      description: 'Estimate in minutes (1–720); null clears',
      example: 90,
    }),
    IsInt({ message: 'must be an integer' }),
    Min(1, { message: 'must be between 1 and 720' }),
    Max(720, { message: 'must be between 1 and 720' }),
  );
