import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserResponseDto } from './dto/user-response.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'Get the current user' })
  @ApiDataResponse(UserResponseDto)
  async getMe(@CurrentUser() user: AuthUser): Promise<DataEnvelope<UserResponseDto>> {
    return ok(await this.users.getMe(user.id));
  }

  @Patch('me')
  @ApiOperation({ summary: 'Update the name or time zone of the current user' })
  @ApiDataResponse(UserResponseDto)
  @ApiErrors(400)
  async updateMe(@CurrentUser() user: AuthUser, @Body() dto: UpdateUserDto): Promise<DataEnvelope<UserResponseDto>> {
    return ok(await this.users.updateMe(user.id, dto));
  }
}
