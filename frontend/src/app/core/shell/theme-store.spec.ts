import { TestBed } from '@angular/core/testing';
import { THEME_STORAGE_KEY, ThemeStore } from './theme-store';

describe('ThemeStore', () => {
  let osPrefersDark = false;
  const originalMatchMedia = window.matchMedia;

  beforeEach(() => {
    localStorage.clear();
    document.documentElement.style.colorScheme = '';
    osPrefersDark = false;
    window.matchMedia = ((query: string) => ({
      matches: query === '(prefers-color-scheme: dark)' && osPrefersDark,
      media: query,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    })) as unknown as typeof window.matchMedia;
  });

  afterEach(() => (window.matchMedia = originalMatchMedia));

  it('follows the operating system until the user chooses', () => {
    osPrefersDark = true;
    const store = TestBed.inject(ThemeStore);

    expect(store.mode()).toBe('dark');
    expect(document.documentElement.style.colorScheme).toBe('dark');
  });

  it('defaults to light when the OS has no dark preference', () => {
    expect(TestBed.inject(ThemeStore).mode()).toBe('light');
    expect(document.documentElement.style.colorScheme).toBe('light');
  });

  it('toggles, applies and remembers the choice', () => {
    const store = TestBed.inject(ThemeStore);

    store.toggle();

    expect(store.mode()).toBe('dark');
    expect(document.documentElement.style.colorScheme).toBe('dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');

    store.toggle();
    expect(store.mode()).toBe('light');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
  });

  it('prefers the remembered choice over the OS', () => {
    osPrefersDark = true;
    localStorage.setItem(THEME_STORAGE_KEY, 'light');

    expect(TestBed.inject(ThemeStore).mode()).toBe('light');
  });
});
