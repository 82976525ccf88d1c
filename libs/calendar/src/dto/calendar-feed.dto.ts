import { ApiProperty } from '@nestjs/swagger';

/** A newly issued feed token (shown once: only its hash is stored). */
export class CalendarFeedDto {
  @ApiProperty({
    description: 'Feed id (stable across rotations)',
    format: 'uuid',
    example: '0b5f1c9e-2d3a-4c4b-8e7f-6a5b4c3d2e1f',
  })
  id: string;

  @ApiProperty({
    description: 'The secret token (256 bits, base64url); part of the URLs, shown only in this response',
    example: 'q3Jc0n8cV2m5vE1x9pZr7tYb4sKd6fHw2LgA0uNeQiM',
  })
  token: string;

  @ApiProperty({
    description: 'Feed URL to subscribe to (no authentication: the token is the credential)',
    example: 'https://api.example.com/api/v1/calendar-feed/q3Jc0n8cV2m5vE1x9pZr7tYb4sKd6fHw2LgA0uNeQiM.ics',
  })
  url: string;

  @ApiProperty({
    description: 'The same URL with the webcal: scheme (opens the subscription dialog of calendar apps)',
    example: 'webcal://api.example.com/api/v1/calendar-feed/q3Jc0n8cV2m5vE1x9pZr7tYb4sKd6fHw2LgA0uNeQiM.ics',
  })
  webcal_url: string;

  @ApiProperty({
    description: 'When this token was issued (UTC)',
    format: 'date-time',
    example: '2026-01-19T10:30:00.000Z',
  })
  created_at: string;
}
