import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatProgressBar } from '@angular/material/progress-bar';
import { UserResponse } from '@pim/api-client';
import { AuthStore } from '../../core/auth/auth-store';

type LoadState = 'loading' | 'ready' | 'error';

/** The signed-in user as the API knows them (`GET /api/auth/me`). */
@Component({
  selector: 'pim-profile-page',
  imports: [DatePipe, MatCard, MatCardContent, MatProgressBar, MatButton],
  templateUrl: './profile-page.html',
  styleUrl: './profile-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProfilePage {
  private readonly auth = inject(AuthStore);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly state = signal<LoadState>('loading');
  protected readonly user = signal<UserResponse | null>(null);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.state.set('loading');
    this.auth
      .refreshUser()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (user) => {
          this.user.set(user);
          this.state.set('ready');
        },
        // The snackbar shows the server's message; the page offers a retry.
        error: () => this.state.set('error'),
      });
  }
}
