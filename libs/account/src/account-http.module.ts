import { Module } from '@nestjs/common';
import { AccountController } from './account.controller';
import { AccountModule } from './account.module';
import { DataExportController } from './data-export.controller';

@Module({
  imports: [AccountModule],
  controllers: [AccountController, DataExportController],
})
export class AccountHttpModule {}
