import { Module } from '@nestjs/common';
import { McpController } from './mcp.controller';
import { McpModule } from './mcp.module';

@Module({
  imports: [McpModule],
  controllers: [McpController],
})
export class McpHttpModule {}
