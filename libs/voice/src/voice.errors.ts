import { DomainError } from '@app/core/errors/domain-error';

/** Speech provider unconfigured, disabled or failing (docs/integrations.md §3): nothing is charged. */
export class TranscriptionUnavailableError extends DomainError {
  constructor(message = 'The transcription service is unavailable; nothing was charged') {
    super('TRANSCRIPTION_SERVICE_UNAVAILABLE', message);
  }
}

/** Audio longer than 300 s or than declared (docs/api.md §10.4). */
export class AudioDurationExceededError extends DomainError {
  constructor(message: string) {
    super('AUDIO_DURATION_EXCEEDED', message, { details: [{ field: 'duration_seconds', message }] });
  }
}
