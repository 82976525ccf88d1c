import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, ValidateBy } from 'class-validator';
import { REMINDER_METHODS, REMINDER_TYPES } from '@app/core/database/enums';
import { MAX_REMINDER_OFFSET_MINUTES } from '../reminder-rules';

export const ReminderTypeField = (required: boolean): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      enum: REMINDER_TYPES,
      enumName: 'ReminderType',
      required,
      description: 'before/after the due date, or absolute',
      example: 'before',
    }),
    IsIn(REMINDER_TYPES, { message: `must be one of ${REMINDER_TYPES.join(', ')}` }),
  );

/** Signed, non-zero, |value| ≤ 43 200; the sign is ignored and the magnitude stored (docs/api.md §9). */
export const OffsetMinutesField = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      type: Number,
      required: false,
      description: `Minutes from the due date for before/after (non-zero, |value| ≤ ${MAX_REMINDER_OFFSET_MINUTES}; sign ignored). Ignored for absolute`,
      example: 30,
    }),
    IsInt({ message: 'must be an integer' }),
    ValidateBy({
      name: 'reminderOffset',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && value !== 0 && Math.abs(value) <= MAX_REMINDER_OFFSET_MINUTES,
        defaultMessage: () => `must be non-zero with an absolute value of at most ${MAX_REMINDER_OFFSET_MINUTES}`,
      },
    }),
  );

export const ReminderMethodField = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      enum: REMINDER_METHODS,
      enumName: 'ReminderMethod',
      required: false,
      description: 'Delivery (default in_app)',
      example: 'in_app',
    }),
    IsIn(REMINDER_METHODS, { message: `must be one of ${REMINDER_METHODS.join(', ')}` }),
  );
