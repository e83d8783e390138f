import { applyDecorators, type Type as Class } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { CommaList } from './comma-list';
import { IsNotBefore, IsOmittable, IsTimestamp } from './validators';

/*
 * The rules optional DTO fields share, written once. Bounds (`@Min`, `@Max`, `@MaxLength`, `@ArrayMaxSize`, `@IsIn`)
 * stay on the field itself: the OpenAPI plugin reads them only there, so the document keeps stating them.
 */

/** An optional whole number (a query's text is converted first); its bounds follow as `@Min`/`@Max`. */
export const OptionalInt = () =>
  applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt(),
  );

/** An optional text; its length limit follows as `@MaxLength`. */
export const OptionalText = () => applyDecorators(IsOptional(), IsString());

/** An optional comma-separated list (or repeated parameter); what its items may be follows (`@IsIn(…, each)`). */
export const OptionalList = () => applyDecorators(IsOptional(), CommaList());

/** An optional list of texts (`a,b` or repeated); its limits follow (`@ArrayMaxSize`, `@MaxLength(…, each)`). */
export const OptionalTextList = () => applyDecorators(OptionalList(), IsString({ each: true }));

/** An optional ISO 8601 instant; with `notBefore`, not before that field's instant (an `endDate` after `startDate`). */
export const OptionalTimestamp = (notBefore?: string) =>
  applyDecorators(IsOptional(), IsTimestamp(), ...(notBefore ? [IsNotBefore(notBefore)] : []));

/** An object of `type`, validated field by field, that may be left out (not null): a request's optional section. */
export const OmittableNested = (type: () => Class) => applyDecorators(IsOmittable(), ValidateNested(), Type(type));
