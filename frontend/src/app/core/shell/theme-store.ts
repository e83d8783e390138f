import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { DOCUMENT } from '@angular/common';

export type ThemeMode = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'pim.theme';

/**
 * Light or dark. Follows the operating system until the user picks one with the toolbar toggle;
 * that choice is kept in localStorage. Applied as `color-scheme` on <html>, which switches the
 * Material theme's `light-dark()` colours.
 */
@Injectable({ providedIn: 'root' })
export class ThemeStore {
  private readonly document = inject(DOCUMENT);
  private readonly view = this.document.defaultView;
  private readonly preference = signal<ThemeMode | null>(this.readPreference());
  private readonly osPrefersDark = signal(false);

  readonly mode = computed<ThemeMode>(() => this.preference() ?? (this.osPrefersDark() ? 'dark' : 'light'));

  constructor() {
    const query = this.view?.matchMedia?.('(prefers-color-scheme: dark)');
    if (query) {
      this.osPrefersDark.set(query.matches);
      const onChange = (event: MediaQueryListEvent) => {
        this.osPrefersDark.set(event.matches);
        this.apply();
      };
      query.addEventListener?.('change', onChange);
      inject(DestroyRef).onDestroy(() => query.removeEventListener?.('change', onChange));
    }
    this.apply();
  }

  toggle(): void {
    const next: ThemeMode = this.mode() === 'dark' ? 'light' : 'dark';
    this.preference.set(next);
    try {
      this.view?.localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Storage disabled: the choice lasts until the page closes.
    }
    this.apply();
  }

  private apply(): void {
    this.document.documentElement.style.colorScheme = this.mode();
  }

  private readPreference(): ThemeMode | null {
    try {
      const stored = this.view?.localStorage.getItem(THEME_STORAGE_KEY);
      return stored === 'light' || stored === 'dark' ? stored : null;
    } catch {
      return null;
    }
  }
}
