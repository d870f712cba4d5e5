import { Module } from '@nestjs/common';
import { DeadlinesController } from './deadlines.controller';
import { deadlinesHandlers } from './deadlines.handlers';

/** The upcoming-and-overdue read side (read model `deadlines`). */
@Module({ controllers: [DeadlinesController], providers: [...deadlinesHandlers] })
export class DeadlinesModule {}
