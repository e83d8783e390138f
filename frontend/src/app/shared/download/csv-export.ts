import { inject, signal } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { StrictHttpResponse } from '@pim/api-client';
import { Observable } from 'rxjs';
import { saveCsv } from './save-file';

/**
 * A CSV export of a list page (`export*$Response` of the client, fetched with the session's token): `busy` while
 * it runs, then the file is saved and a snackbar says so. On an error the snackbar shows the server's message.
 *
 * Create it in a field initialiser of the page (it needs an injection context).
 */
export class CsvExport {
  private readonly snackBar = inject(MatSnackBar);
  readonly busy = signal(false);

  constructor(
    private readonly fileName: string,
    private readonly doneMessage: string,
  ) {}

  run(request: Observable<StrictHttpResponse<unknown>>): void {
    this.busy.set(true);
    request.subscribe({
      next: (response) => {
        saveCsv(response, this.fileName);
        this.busy.set(false);
        this.snackBar.open(this.doneMessage, undefined, { duration: 4000 });
      },
      // The snackbar shows the server's message.
      error: () => this.busy.set(false),
    });
  }
}
