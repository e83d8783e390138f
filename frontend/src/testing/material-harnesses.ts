import { HarnessLoader } from '@angular/cdk/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { MatTableHarness } from '@angular/material/table/testing';

/** The selector of the element with this `data-testid`. */
export const byTestId = (testId: string): string => `[data-testid="${testId}"]`;

/** The text of each body row's cells (trimmed; whitespace runs collapsed unless told), read through `MatTableHarness`. */
export async function tableRows(
  loader: HarnessLoader,
  { selector, collapse = true }: { selector?: string; collapse?: boolean } = {},
): Promise<string[][]> {
  const table = await loader.getHarness(MatTableHarness.with({ selector }));
  const rows = await table.getRows();
  return Promise.all(
    rows.map(async (row) =>
      (await row.getCellTextByIndex()).map((text) => (collapse ? text.replace(/\s+/g, ' ').trim() : text)),
    ),
  );
}

/**
 * Opens the mat-select with this `data-testid` and clicks the options with these labels, in order; a multi-select
 * stays open (close it with the returned harness).
 */
export async function choose(loader: HarnessLoader, testId: string, labels: string[]): Promise<MatSelectHarness> {
  const select = await loader.getHarness(MatSelectHarness.with({ selector: byTestId(testId) }));
  await select.open();
  for (const label of labels) {
    await select.clickOptions({ text: label });
  }
  return select;
}

/** Puts a whole value in a field at once, as a paste does (typing key by key, jsdom trims a URL field each time). */
export async function paste(field: MatInputHarness, value: string): Promise<void> {
  const host = await field.host();
  await host.setInputValue(value);
  await host.dispatchEvent('input');
}
