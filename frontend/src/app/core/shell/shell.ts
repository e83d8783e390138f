import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatIconButton } from '@angular/material/button';
import { MatDivider } from '@angular/material/divider';
import { MatListItem, MatListItemIcon, MatListItemMeta, MatListItemTitle, MatNavList } from '@angular/material/list';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatSidenav, MatSidenavContainer, MatSidenavContent } from '@angular/material/sidenav';
import { MatToolbar } from '@angular/material/toolbar';
import { MatTooltip } from '@angular/material/tooltip';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';
import { AlertsBadge } from '../../features/alerts/alerts-badge';
import { Icon } from '../../shared/icon/icon';
import { AuthStore } from '../auth/auth-store';
import { NAV_ITEMS } from './nav-items';
import { PRODUCT_NAME } from './page-title-strategy';
import { ThemeStore } from './theme-store';

/** At and above this width the navigation stays open beside the page (a 1280px laptop included). */
export const WIDE_LAYOUT = '(min-width: 1024px)';

@Component({
  selector: 'pim-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatToolbar,
    MatIconButton,
    MatTooltip,
    MatMenu,
    MatMenuItem,
    MatMenuTrigger,
    MatDivider,
    MatSidenavContainer,
    MatSidenav,
    MatSidenavContent,
    MatNavList,
    MatListItem,
    MatListItemIcon,
    MatListItemTitle,
    MatListItemMeta,
    Icon,
    AlertsBadge,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly breakpoints = inject(BreakpointObserver);

  protected readonly productName = PRODUCT_NAME;
  protected readonly theme = inject(ThemeStore);
  protected readonly user = this.auth.user;
  protected readonly isWide = toSignal(this.breakpoints.observe(WIDE_LAYOUT).pipe(map((state) => state.matches)), {
    initialValue: this.breakpoints.isMatched(WIDE_LAYOUT),
  });
  /** Open beside the page on wide screens; closed (an overlay on demand) on narrow ones. */
  protected readonly navOpen = linkedSignal(() => this.isWide());
  protected readonly navItems = computed(() =>
    NAV_ITEMS.filter((item) => !item.roles || this.auth.hasRole(...item.roles)),
  );

  constructor() {
    // The stored user may be stale (renamed, role changed): refresh it once per visit. A revoked
    // token answers 401 here, and the auth interceptor sends the user to the login page.
    this.auth
      .refreshUser()
      .pipe(takeUntilDestroyed())
      .subscribe({ error: () => undefined });
  }

  protected toggleNav(): void {
    this.navOpen.update((open) => !open);
  }

  protected closeNavOnNarrow(): void {
    if (!this.isWide()) {
      this.navOpen.set(false);
    }
  }

  protected signOut(): void {
    this.auth.logout();
    void this.router.navigate(['/login']);
  }
}
