import { UuidField } from '@app/core/validation/validators';

export class AccessTokenIdParamDto {
  @UuidField({ description: 'Personal access token id' })
  id: string;
}
