import { Module } from '@nestjs/common';
import { AchievementsModule } from '@app/achievements/achievements.module';
import { FocusModule } from '@app/focus/focus.module';
import { NotesModule } from '@app/notes/notes.module';
import { QuickAddModule } from '@app/quick-add/quick-add.module';
import { RemindersModule } from '@app/reminders/reminders.module';
import { TasksModule } from '@app/tasks/tasks.module';
import { McpEndpoint } from './mcp-endpoint';
import { McpToolRunner } from './mcp-tool-runner';
import { McpTools } from './mcp-tools';

/** The MCP server (docs/mcp.md): tools over the same services as the REST API. */
@Module({
  imports: [TasksModule, RemindersModule, QuickAddModule, NotesModule, FocusModule, AchievementsModule],
  providers: [McpTools, McpToolRunner, McpEndpoint],
  exports: [McpEndpoint],
})
export class McpModule {}
