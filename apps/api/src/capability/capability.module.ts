import { Module } from '@nestjs/common';
import { CapabilityQueriesController } from './capability-queries.controller';
import { CapabilityReader } from './capability-reader.service';

/** The capability read side: counters, timelines, "why" and the dashboard by region. */
@Module({ controllers: [CapabilityQueriesController], providers: [CapabilityReader] })
export class CapabilityModule {}
