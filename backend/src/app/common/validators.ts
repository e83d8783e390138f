import { ValidateBy, ValidationOptions } from 'class-validator';

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
