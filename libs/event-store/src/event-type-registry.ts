import { UnknownSchemaVersionError, UnregisteredEventTypeError } from './errors';

/** Turns data stored at schema version `n` into data of version `n + 1`. Pure. */
export type Upcaster = (data: unknown) => unknown;

export interface EventTypeDefinition {
  /** Stable type name, stored with every event; never derived from a class name. */
  type: string;
  /** The schema version new events are written with. Starts at 1. */
  schemaVersion: number;
  /**
   * `upcasters[n]` turns version `n` into `n + 1`; one for every version below the current one.
   * Old events are upcast on read; stored events are never rewritten.
   */
  upcasters?: Readonly<Record<number, Upcaster>>;
}

export interface UpcastResult {
  data: unknown;
  schemaVersion: number;
}

/**
 * The event types a store may write, with their schema versions and upcasters.
 * Appending an unregistered type is refused; reading one is allowed (it is passed on as stored).
 */
export class EventTypeRegistry {
  private readonly definitions = new Map<string, EventTypeDefinition>();

  constructor(definitions: Iterable<EventTypeDefinition> = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: EventTypeDefinition): this {
    const { type, schemaVersion, upcasters = {} } = definition;
    if (!/^[A-Za-z][A-Za-z0-9.:_-]{0,199}$/.test(type)) {
      throw new Error(
        `Event type name "${type}" must start with a letter and use letters, digits, . : _ -`,
      );
    }
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
      throw new Error(`Event type "${type}": schemaVersion must be a whole number from 1`);
    }
    for (let version = 1; version < schemaVersion; version++) {
      if (typeof upcasters[version] !== 'function') {
        throw new Error(
          `Event type "${type}": missing upcaster from schema version ${version} to ${version + 1}`,
        );
      }
    }
    const existing = this.definitions.get(type);
    if (existing && existing !== definition) {
      throw new Error(`Event type "${type}" is registered twice`);
    }
    this.definitions.set(type, definition);
    return this;
  }

  has(type: string): boolean {
    return this.definitions.has(type);
  }

  /** The schema version new events of this type are written with. */
  currentSchemaVersion(type: string): number {
    const definition = this.definitions.get(type);
    if (!definition) throw new UnregisteredEventTypeError(type);
    return definition.schemaVersion;
  }

  /** Brings stored data up to the current schema version of its type. */
  upcast(type: string, storedSchemaVersion: number, data: unknown): UpcastResult {
    const definition = this.definitions.get(type);
    if (!definition || storedSchemaVersion === definition.schemaVersion) {
      return { data, schemaVersion: storedSchemaVersion };
    }
    if (storedSchemaVersion > definition.schemaVersion) {
      throw new UnknownSchemaVersionError(type, storedSchemaVersion, definition.schemaVersion);
    }
    let current = data;
    for (let version = storedSchemaVersion; version < definition.schemaVersion; version++) {
      current = definition.upcasters![version]!(current);
    }
    return { data: current, schemaVersion: definition.schemaVersion };
  }

  types(): string[] {
    return [...this.definitions.keys()];
  }
}
