import type { Projection } from '../projection';
import { tenantActivityProjection } from './tenant-activity.projection';

/** Every read model the worker keeps up to date. */
export const allProjections: readonly Projection[] = [tenantActivityProjection];
