import { Module } from '@nestjs/common';
import { NotesController } from './notes.controller';
import { NotesModule } from './notes.module';

@Module({
  imports: [NotesModule],
  controllers: [NotesController],
})
export class NotesHttpModule {}
