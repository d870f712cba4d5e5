import { Module } from '@nestjs/common';
import { DeadlinesController } from './deadlines.controller';
import { DeadlinesReader } from './deadlines.service';

/** The upcoming-and-overdue read side (read model `deadlines`). */
@Module({ controllers: [DeadlinesController], providers: [DeadlinesReader] })
export class DeadlinesModule {}
