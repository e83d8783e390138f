import { ApiProperty } from '@nestjs/swagger';
import { ISSUE_TYPES, SEVERITIES, Taxonomy } from '../taxonomy.types';
import { pick } from '@app/common/pick';

export class SubcategoryResponse {
  key!: string;
  name!: string;
  description!: string;
  /** Earlier keys: issues stored under them belong here. */
  aliases!: string[];
}

export class CategoryResponse {
  key!: string;
  name!: string;
  description!: string;
  aliases!: string[];
  subcategories!: SubcategoryResponse[];
}

export class IssueTypeResponse {
  @ApiProperty({ enum: ISSUE_TYPES, enumName: 'IssueType' })
  key!: string;
  description!: string;
}

export class SeverityResponse {
  @ApiProperty({ enum: SEVERITIES, enumName: 'Severity' })
  key!: string;
  description!: string;
}

export class RedactionResponse {
  email!: boolean;
  phone!: boolean;
  card!: boolean;
  iban!: boolean;
  ip!: boolean;
  url!: boolean;
}

export class TaxonomyRenameResponse {
  at!: string;
  /** User id of the admin who renamed. */
  by!: string | null;
  @ApiProperty({ enum: ['category', 'subcategory'] })
  kind!: string;
  /** Old key (`category/subcategory` for subcategories). */
  from!: string;
  to!: string;
}

export class TaxonomyResponse {
  /** Increases with every change. */
  version!: number;
  updatedAt!: Date | null;
  updatedBy!: string | null;
  categories!: CategoryResponse[];
  issueTypes!: IssueTypeResponse[];
  severities!: SeverityResponse[];
  productContext!: string;
  redaction!: RedactionResponse;
  /** Renames, oldest first. */
  history!: TaxonomyRenameResponse[];

  static from(t: Taxonomy): TaxonomyResponse {
    return Object.assign(new TaxonomyResponse(), {
      ...pick(t, ['version', 'updatedAt', 'updatedBy']),
      categories: t.categories.map((c) => ({
        ...pick(c, ['key', 'name', 'description', 'aliases']),
        subcategories: c.subcategories.map((s) => pick(s, ['key', 'name', 'description', 'aliases'])),
      })),
      issueTypes: t.issueTypes.map((x) => pick(x, ['key', 'description'])),
      severities: t.severities.map((x) => pick(x, ['key', 'description'])),
      productContext: t.productContext,
      redaction: { ...t.redaction },
      history: t.history.map((h) => ({ ...h })),
    });
  }
}
