import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';
import { IssuesCacheService } from './issues-cache.service';

/**
 * Sends an answer that came from the issues cache as its JSON computed once, instead of serialising the same
 * object on every request (summary, trends and first list pages are read far more often than they change).
 */
@Injectable()
export class CachedJsonInterceptor implements NestInterceptor {
  constructor(private readonly cache: IssuesCacheService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value) => {
        const json = this.cache.jsonOf(value);
        if (json === undefined) return value;
        context.switchToHttp().getResponse<Response>().type('application/json');
        return json;
      }),
    );
  }
}
