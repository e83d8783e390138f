import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { MAX_ID } from './validators';

/** `@Param('id', UuidPipe)`: a UUID, else a 400 naming the parameter. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string, { data }: ArgumentMetadata): string {
    if (!isUUID(value)) throw new BadRequestException(`${data ?? 'id'} must be a UUID`);
    return value;
  }
}

/**
 * `@Param('zendeskId', BigintIdPipe)`: a bigint id as a number from 1 to MAX_ID, else a 400 naming the parameter
 * (`ParseIntPipe` passes 99999999999999999999 on, and PostgreSQL's bigint refuses it with a 500).
 */
@Injectable()
export class BigintIdPipe implements PipeTransform<string, number> {
  transform(value: string, { data }: ArgumentMetadata): number {
    const id = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
    if (!(id >= 1 && id <= MAX_ID))
      throw new BadRequestException(`${data ?? 'id'} must be an integer from 1 to ${MAX_ID}`);
    return id;
  }
}
