import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsObject, ValidateNested, ValidationError } from 'class-validator';

/**
 * Nested members of request bodies. The ValidationPipe refuses a member a body does not declare
 * (`forbidNonWhitelisted`), but only where it validates: an object or list inside a body is
 * looked into only when its shape is declared as a class of its own. These decorators declare
 * it, so `indicators[0].colour` is refused by name as `colour` is at the top level.
 */

/** An object whose members are those `type` declares (and checks). */
export function NestedObject(type: () => new () => object): PropertyDecorator {
  return applyDecorators(IsObject(), ValidateNested({ message: 'must be an object' }), Type(type));
}

/**
 * A list of objects, each with the members `type` declares; `item` says what each must be.
 * (A value that is no list fails IsArray and ValidateNested alike: only IsArray's words are
 * said, see toFieldErrors.)
 */
export function NestedList(type: () => new () => object, item: string): PropertyDecorator {
  return applyDecorators(
    IsArray(),
    // Said of an item that is no object, named by its index (`indicators[2]`).
    ValidateNested({ message: item }),
    Type(type),
  );
}

const MAP_SHAPES = 'kpi:mapShapes';

type MapShapes = Map<string, readonly (readonly string[])[]>;

/**
 * A map whose keys are the caller's (indicator code → value, KPI code → figures), so its
 * members cannot be declared; but each value that is an object must have the members of one of
 * `shapes`. A member of none is refused by name (`values.EDU.colour`) by the ValidationPipe of
 * this app (RequestValidationPipe), which reads this. Everything else about the values (types,
 * which keys the map may have) is left to the checks that know the framework.
 */
export function MapOfObjectsShaped(...shapes: (readonly string[])[]): PropertyDecorator {
  return (target, property) => {
    // A copy: a subclass adds its maps to those it inherits, not to its parent's.
    const maps: MapShapes = new Map(mapShapesOf(target));
    maps.set(String(property), shapes);
    Reflect.defineMetadata(MAP_SHAPES, maps, target);
  };
}

/**
 * The members of the maps of `body` (declared with {@link MapOfObjectsShaped}) that fit no
 * shape, as class-validator's errors (`values` › `EDU` › `colour`), so they are reported with
 * the others. Each object value is held to the shape it shares most members with.
 */
export function unknownMapMembers(body: object): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const [property, shapes] of mapShapesOf(body)) {
    const map: unknown = (body as Record<string, unknown>)[property];
    if (!isPlainObject(map)) continue;
    const entries: ValidationError[] = [];
    for (const [key, value] of Object.entries(map)) {
      if (!isPlainObject(value)) continue;
      const members = Object.keys(value);
      const shape = closestShape(shapes, members);
      const unknown = members.filter((member) => !shape.includes(member));
      if (unknown.length === 0) continue;
      entries.push(
        fieldError(
          key,
          value,
          unknown.map((member) =>
            fieldError(member, value[member], [], {
              unknownMember: `is not a known field here: give ${shape.join(' and ')} only`,
            }),
          ),
        ),
      );
    }
    if (entries.length > 0) errors.push(fieldError(property, map, entries));
  }
  return errors;
}

function mapShapesOf(target: object): MapShapes {
  return (Reflect.getMetadata(MAP_SHAPES, target) as MapShapes | undefined) ?? new Map();
}

function closestShape(
  shapes: readonly (readonly string[])[],
  members: string[],
): readonly string[] {
  let closest = shapes[0] ?? [];
  let shared = -1;
  for (const shape of shapes) {
    const count = members.filter((member) => shape.includes(member)).length;
    if (count > shared) [closest, shared] = [shape, count];
  }
  return closest;
}

function fieldError(
  property: string,
  value: unknown,
  children: ValidationError[],
  constraints?: Record<string, string>,
): ValidationError {
  return Object.assign(new ValidationError(), { property, value, children, constraints });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
