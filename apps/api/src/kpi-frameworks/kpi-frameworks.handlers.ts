import {
  publishChildrensHomesPreset,
  PublishChildrensHomesPreset,
  publishFrameworkVersion,
  PublishFrameworkVersion,
} from '@kpi/features/kpi-frameworks';
import { commandHandler } from '../http/buses';

/** The handlers of the framework commands: each carries out its feature function. */
export const kpiFrameworksHandlers = [
  commandHandler(PublishFrameworkVersion, publishFrameworkVersion),
  commandHandler(PublishChildrensHomesPreset, publishChildrensHomesPreset),
];
