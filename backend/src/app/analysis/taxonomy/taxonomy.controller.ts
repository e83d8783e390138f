import { Body, Get, Put } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser } from '@app/auth/authenticated-user';
import { UpdateTaxonomyRequest } from './dto/taxonomy.request';
import { TaxonomyResponse } from './dto/taxonomy.response';
import { TaxonomyService } from './taxonomy.service';
import { AdminRoute, ApiController } from '@app/common/api-controller';

@ApiController('settings', 'settings/taxonomy')
export class TaxonomyController {
  constructor(private readonly taxonomy: TaxonomyService) {}

  /** The taxonomy issues are classified into: categories, issue types, severities, product context, redaction. */
  @Get()
  async getTaxonomy(): Promise<TaxonomyResponse> {
    return TaxonomyResponse.from(await this.taxonomy.get());
  }

  /**
   * Replaces the taxonomy (admins). Existing issues keep their stored category strings; a key changed with
   * `renamedFrom` becomes an alias and is recorded in `history`. Applies to analyses from the next run on.
   */
  @AdminRoute(Put())
  async updateTaxonomy(
    @Body() body: UpdateTaxonomyRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<TaxonomyResponse> {
    return TaxonomyResponse.from(await this.taxonomy.update(body, user));
  }
}
