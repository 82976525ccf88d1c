import { UuidField } from '@app/core/validation/validators';

export class VoiceSessionIdParam {
  @UuidField({ description: 'Voice session id' })
  id: string;
}
