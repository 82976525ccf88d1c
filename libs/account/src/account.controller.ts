import { Body, Controller, Delete } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, DeletedDto, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { TokenScope } from '@app/http/token-scope.decorator';
import { AccountDeletionService } from './account-deletion.service';
import { DeleteAccountDto } from './dto/delete-account.dto';

@ApiTags('users')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('users')
export class AccountController {
  constructor(private readonly deletion: AccountDeletionService) {}

  @Delete('me')
  @TokenScope('session')
  @ApiOperation({
    summary:
      'Delete your account and all its data at once (confirm with your email address); tokens stop working, the subscription is cancelled',
  })
  @ApiDataResponse(DeletedDto)
  @ApiErrors([400, 'VALIDATION_ERROR (confirm missing or not the account email)'])
  async delete(@CurrentUser() user: AuthUser, @Body() dto: DeleteAccountDto): Promise<DataEnvelope<DeletedDto>> {
    return ok(await this.deletion.delete(user.id, dto.confirm));
  }
}
