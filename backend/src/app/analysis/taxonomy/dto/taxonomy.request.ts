import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ISSUE_TYPES, IssueType, SEVERITIES, Severity } from '../taxonomy.types';

const KEY = /^[a-z][a-z0-9_]{0,63}$/;
const KEY_MESSAGE = '$property must be lower-case letters, digits and underscores, starting with a letter (≤ 64)';

export class SubcategoryRequest {
  /** Stable identifier stored on issues, e.g. `invoices`. */
  @Matches(KEY, { message: KEY_MESSAGE })
  key!: string;

  @IsString()
  @Length(1, 100)
  name!: string;

  /** One line: what belongs here (the analyzer reads it). */
  @IsString()
  @Length(1, 300)
  description!: string;

  /** The key this subcategory had before: existing issues keep the old key, which becomes an alias. */
  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  renamedFrom?: string;
}

export class CategoryRequest {
  @Matches(KEY, { message: KEY_MESSAGE })
  key!: string;

  @IsString()
  @Length(1, 100)
  name!: string;

  @IsString()
  @Length(1, 300)
  description!: string;

  /** The key this category had before (a rename). */
  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  renamedFrom?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(40)
  @ValidateNested({ each: true })
  @Type(() => SubcategoryRequest)
  subcategories!: SubcategoryRequest[];
}

export class IssueTypeRequest {
  @IsIn(ISSUE_TYPES)
  key!: IssueType;

  @IsString()
  @Length(1, 300)
  description!: string;
}

export class SeverityRequest {
  @IsIn(SEVERITIES)
  key!: Severity;

  @IsString()
  @Length(1, 300)
  description!: string;
}

/** Which kinds of personal data are replaced by placeholders before any text is sent to the Anthropic API. */
export class RedactionRequest {
  @IsBoolean()
  email!: boolean;

  @IsBoolean()
  phone!: boolean;

  @IsBoolean()
  card!: boolean;

  @IsBoolean()
  iban!: boolean;

  @IsBoolean()
  ip!: boolean;

  /** URLs carrying secrets (token, key, password, secret, sig… query parameters). */
  @IsBoolean()
  url!: boolean;
}

/** The whole taxonomy (PUT replaces it). Issue types and severities are fixed sets; their descriptions are editable. */
export class UpdateTaxonomyRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => CategoryRequest)
  categories!: CategoryRequest[];

  /** All six issue types, each once. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => IssueTypeRequest)
  issueTypes!: IssueTypeRequest[];

  /** All four severities, each once. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SeverityRequest)
  severities!: SeverityRequest[];

  /** What the product is and who uses it (given to the analyzer). */
  @IsString()
  @MaxLength(6000)
  productContext!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => RedactionRequest)
  redaction!: RedactionRequest;
}
