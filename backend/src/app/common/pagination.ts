import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `page` (1-based) and `perPage` (1–200) of every list endpoint. */
export class PageQuery {
  /** 1-based page number. */
  @ApiPropertyOptional({ minimum: 1, default: 1, description: '1-based page number' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number = 1;

  /** Items per page, 1–200. */
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Items per page, 1–200' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  perPage?: number = 50;
}

export function pageWindow(query: PageQuery): { skip: number; take: number; page: number; perPage: number } {
  const page = query.page ?? 1;
  const perPage = query.perPage ?? 50;
  return { skip: (page - 1) * perPage, take: perPage, page, perPage };
}
