import { ApiPropertyOptional } from '@nestjs/swagger';
import { Max, Min } from 'class-validator';
import { OptionalInt } from './dto-decorators';

/** The last page a list serves: its offset stays an exact number well inside PostgreSQL's bigint. */
export const MAX_PAGE = 1_000_000;

/** `page` (1-based, up to MAX_PAGE) and `perPage` (1–200) of every list endpoint. */
export class PageQuery {
  /** 1-based page number. */
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1, description: '1-based page number' })
  @OptionalInt()
  @Min(1)
  @Max(MAX_PAGE)
  page?: number = 1;

  /** Items per page, 1–200. */
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Items per page, 1–200' })
  @OptionalInt()
  @Min(1)
  @Max(200)
  perPage?: number = 50;
}

export function pageWindow(query: PageQuery): { skip: number; take: number; page: number; perPage: number } {
  const page = query.page ?? 1;
  const perPage = query.perPage ?? 50;
  return { skip: (page - 1) * perPage, take: perPage, page, perPage };
}
