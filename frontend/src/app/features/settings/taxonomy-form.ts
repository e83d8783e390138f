import { HttpErrorResponse } from '@angular/common/http';
import { AbstractControl, FormArray, FormControl, FormGroup, NonNullableFormBuilder, Validators } from '@angular/forms';
import {
  CategoryRequest,
  CategoryResponse,
  IssueTypeRequest,
  RedactionResponse,
  SeverityRequest,
  SubcategoryResponse,
  TaxonomyResponse,
  UpdateTaxonomyRequest,
} from '@pim/api-client';

/** The API's key rule (`categories.*.key`, `subcategories.*.key`). */
export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
export const PRODUCT_CONTEXT_MAX = 6000;

export const REDACTION_LABELS: Record<keyof RedactionResponse, string> = {
  email: 'Email addresses',
  phone: 'Phone numbers',
  card: 'Card numbers',
  iban: 'IBANs',
  ip: 'IP addresses',
  url: 'URLs carrying secrets (token, key, password… parameters)',
};

export type SubcategoryForm = FormGroup<{
  key: FormControl<string>;
  name: FormControl<string>;
  description: FormControl<string>;
  /** The key when loaded (null for a new one): a changed key is sent as a rename. */
  originalKey: FormControl<string | null>;
}>;

export type CategoryForm = FormGroup<{
  key: FormControl<string>;
  name: FormControl<string>;
  description: FormControl<string>;
  originalKey: FormControl<string | null>;
  subcategories: FormArray<SubcategoryForm>;
}>;

export type DescribedForm<K extends string> = FormGroup<{ key: FormControl<K>; description: FormControl<string> }>;

export type RedactionForm = FormGroup<Record<keyof RedactionResponse, FormControl<boolean>>>;

export type TaxonomyForm = FormGroup<{
  productContext: FormControl<string>;
  categories: FormArray<CategoryForm>;
  issueTypes: FormArray<DescribedForm<IssueTypeRequest['key']>>;
  severities: FormArray<DescribedForm<SeverityRequest['key']>>;
  redaction: RedactionForm;
}>;

/**
 * The taxonomy as a form whose control paths match the request's field paths (`categories.0.subcategories.1.key`),
 * so a 400 naming a field lands on that field.
 */
export function taxonomyForm(fb: NonNullableFormBuilder, taxonomy: TaxonomyResponse): TaxonomyForm {
  const redaction = Object.fromEntries(
    (Object.keys(taxonomy.redaction) as (keyof RedactionResponse)[]).map((key) => [
      key,
      fb.control(taxonomy.redaction[key]),
    ]),
  ) as Record<keyof RedactionResponse, FormControl<boolean>>;
  return fb.group({
    productContext: fb.control(taxonomy.productContext, Validators.maxLength(PRODUCT_CONTEXT_MAX)),
    categories: fb.array(taxonomy.categories.map((category) => categoryForm(fb, category))),
    issueTypes: fb.array(
      taxonomy.issueTypes.map((type) =>
        fb.group({ key: fb.control(type.key), description: fb.control(type.description, describedValidators) }),
      ),
    ),
    severities: fb.array(
      taxonomy.severities.map((severity) =>
        fb.group({ key: fb.control(severity.key), description: fb.control(severity.description, describedValidators) }),
      ),
    ),
    redaction: fb.group(redaction),
  });
}

const describedValidators = [Validators.required, Validators.maxLength(300)];
const keyValidators = [Validators.required, Validators.pattern(KEY_PATTERN)];
const nameValidators = [Validators.required, Validators.maxLength(100)];

export function categoryForm(fb: NonNullableFormBuilder, category?: CategoryResponse): CategoryForm {
  return fb.group({
    key: fb.control(category?.key ?? '', keyValidators),
    name: fb.control(category?.name ?? '', nameValidators),
    description: fb.control(category?.description ?? '', describedValidators),
    originalKey: new FormControl<string | null>(category?.key ?? null),
    subcategories: fb.array(
      category ? category.subcategories.map((sub) => subcategoryForm(fb, sub)) : [subcategoryForm(fb)],
    ),
  });
}

export function subcategoryForm(fb: NonNullableFormBuilder, subcategory?: SubcategoryResponse): SubcategoryForm {
  return fb.group({
    key: fb.control(subcategory?.key ?? '', keyValidators),
    name: fb.control(subcategory?.name ?? '', nameValidators),
    description: fb.control(subcategory?.description ?? '', describedValidators),
    originalKey: new FormControl<string | null>(subcategory?.key ?? null),
  });
}

/** The PUT body: the form's values, with `renamedFrom` where a loaded key was changed. */
export function taxonomyRequest(form: TaxonomyForm): UpdateTaxonomyRequest {
  const value = form.getRawValue();
  return {
    productContext: value.productContext,
    redaction: value.redaction,
    issueTypes: value.issueTypes,
    severities: value.severities,
    categories: value.categories.map((category): CategoryRequest => ({
      key: category.key.trim(),
      name: category.name.trim(),
      description: category.description.trim(),
      ...renamedFrom(category.originalKey, category.key.trim()),
      subcategories: category.subcategories.map((sub) => ({
        key: sub.key.trim(),
        name: sub.name.trim(),
        description: sub.description.trim(),
        ...renamedFrom(sub.originalKey, sub.key.trim()),
      })),
    })),
  };
}

function renamedFrom(originalKey: string | null, key: string): { renamedFrom?: string } {
  return originalKey && originalKey !== key ? { renamedFrom: originalKey } : {};
}

/**
 * Puts a 400's messages on the fields they name (`categories.0.name must be …` → that control's `server`
 * error) and returns the messages no field took.
 */
export function applyServerErrors(form: AbstractControl, error: unknown): string[] {
  const messages = serverMessages(error);
  const unplaced: string[] = [];
  for (const message of messages) {
    const match = /^([A-Za-z]\w*(?:\.\w+)*)\s+(.+)$/.exec(message);
    const control = match ? closestControl(form, match[1]) : null;
    if (control && control !== form && match) {
      control.setErrors({ ...(control.errors ?? {}), server: message });
      control.markAsTouched();
    } else {
      unplaced.push(message);
    }
  }
  return unplaced;
}

function closestControl(form: AbstractControl, path: string): AbstractControl | null {
  const parts = path.split('.');
  while (parts.length) {
    const control = form.get(parts.join('.'));
    if (control) {
      // A message about a whole group (`issueTypes must list each…`) is shown above the form instead.
      return control instanceof FormControl ? control : null;
    }
    parts.pop();
  }
  return null;
}

function serverMessages(error: unknown): string[] {
  if (!(error instanceof HttpErrorResponse) || typeof error.error !== 'object' || error.error === null) {
    return [];
  }
  const message: unknown = (error.error as { message?: unknown }).message;
  if (typeof message === 'string') {
    return [message];
  }
  return Array.isArray(message) ? message.filter((m): m is string => typeof m === 'string') : [];
}
