import { Module } from '@nestjs/common';
import { TasksModule } from './tasks.module';
import { TemplatesController } from './templates/templates.controller';

/** Its own module so that the API lists the reminder routes (a higher lib) between tasks' and templates'. */
@Module({
  imports: [TasksModule],
  controllers: [TemplatesController],
})
export class TemplatesHttpModule {}
