import { Injectable } from '@nestjs/common';

/**
 * Fields modules above issues add to cluster answers (issues may not import them: they register a decorator here,
 * e.g. the trackers' `externalIssue`). A decorator gets cluster ids and returns each one's extra fields.
 */
export type ClusterDecorator = (ids: string[]) => Promise<Map<string, Record<string, unknown>>>;

@Injectable()
export class ClusterDecorations {
  private readonly decorators: ClusterDecorator[] = [];

  register(decorator: ClusterDecorator): void {
    this.decorators.push(decorator);
  }

  /** The items with the registered fields added (new objects: cached answers stay as they were). */
  async apply<T extends { id: string }>(items: T[]): Promise<T[]> {
    if (!this.decorators.length || !items.length) return items;
    const ids = items.map((i) => i.id);
    const extras = await Promise.all(this.decorators.map((d) => d(ids)));
    return items.map((item) => Object.assign({}, item, ...extras.map((e) => e.get(item.id) ?? {})));
  }
}
