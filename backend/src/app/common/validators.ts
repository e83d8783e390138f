import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDate, MaxDate, MinDate, ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';

/** Largest id the API accepts: ids are JS numbers, exact up to 2^53 − 1 (PostgreSQL's bigint goes further). */
export const MAX_ID = Number.MAX_SAFE_INTEGER;
/** PostgreSQL's `integer`: a larger parameter is an error in the query, not an empty answer. */
export const MAX_INT4 = 2_147_483_647;
/** The instants the API accepts: four-digit years (PostgreSQL refuses dates before 4713 BC; JS goes to 271821 BC). */
export const MIN_TIMESTAMP = new Date('0001-01-01T00:00:00.000Z');
export const MAX_TIMESTAMP = new Date('9999-12-31T23:59:59.999Z');

/** The date is not before the object's `property` date (when both are set): an `endDate` before its `startDate`. */
export const IsNotBefore = (property: string, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isNotBefore',
      constraints: [property],
      validator: {
        validate: (value: unknown, args) => {
          const other = (args?.object as Record<string, unknown>)[property];
          // Missing or unparsable dates are left to their own validators.
          if (!(value instanceof Date && other instanceof Date)) return true;
          if (Number.isNaN(value.getTime()) || Number.isNaN(other.getTime())) return true;
          return value.getTime() >= other.getTime();
        },
        defaultMessage: (args) => `${args?.property} must not be before ${property}`,
      },
    },
    options,
  );

/**
 * The field may be left out, but `null` is not a value for it (`@IsOptional()` lets null through to the service,
 * where a NOT NULL column turns it into a 500). Use `@IsOptional()` only where null means something.
 */
export const IsOmittable = (options?: ValidationOptions) =>
  ValidateIf((_object, value) => value !== undefined, options);

/** An ISO 8601 instant (query text or JSON string) within MIN_TIMESTAMP–MAX_TIMESTAMP. */
export const IsTimestamp = () =>
  applyDecorators(
    Type(() => Date),
    IsDate(),
    MinDate(MIN_TIMESTAMP),
    MaxDate(MAX_TIMESTAMP),
  );
