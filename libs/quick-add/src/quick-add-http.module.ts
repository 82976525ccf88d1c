import { Module } from '@nestjs/common';
import { QuickAddController } from './quick-add.controller';
import { QuickAddModule } from './quick-add.module';

@Module({
  imports: [QuickAddModule],
  controllers: [QuickAddController],
})
export class QuickAddHttpModule {}
