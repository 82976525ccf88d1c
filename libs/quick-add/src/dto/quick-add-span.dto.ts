import { ApiProperty } from '@nestjs/swagger';
import { QUICK_ADD_SPAN_KINDS, QuickAddSpan, QuickAddSpanKind } from '../quick-add-parser';

/** A recognised part of the text, for highlighting (docs/quick-add.md). */
export class QuickAddSpanDto {
  @ApiProperty({ description: 'Start offset in the text (UTF-16 code units, inclusive)', example: 9 })
  start: number;

  @ApiProperty({ description: 'End offset (exclusive)', example: 21 })
  end: number;

  @ApiProperty({
    description: 'What the span sets',
    enum: QUICK_ADD_SPAN_KINDS,
    enumName: 'QuickAddSpanKind',
    example: 'date',
  })
  kind: QuickAddSpanKind;

  @ApiProperty({ description: 'The recognised words', example: 'tomorrow 5pm' })
  text: string;

  @ApiProperty({
    description:
      'date: ISO instant; recurrence: RRULE; priority: low/medium/high; duration: minutes; reminder: before:<min>, after:<min> or at:<ISO instant>',
    example: '2026-12-04T22:00:00.000Z',
  })
  value: string;
}

export function toSpanResponse(span: QuickAddSpan): QuickAddSpanDto {
  return { start: span.start, end: span.end, kind: span.kind, text: span.text, value: span.value };
}
