import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS } from '@angular/material/form-field';
import { provideRouter, TitleStrategy, withComponentInputBinding } from '@angular/router';
import { provideApiConfiguration } from '@pim/api-client';
import { appRoutes } from './app.routes';
import { authInterceptor } from './core/auth/auth-interceptor';
import { httpErrorInterceptor } from './core/http/http-error-interceptor';
import { pagingInterceptor } from './core/http/paging';
import { PageTitleStrategy } from './core/shell/page-title-strategy';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(appRoutes, withComponentInputBinding()),
    { provide: TitleStrategy, useClass: PageTitleStrategy },
    // The auth interceptor runs first, so it sees a 401 before the error snackbar (which skips it).
    provideHttpClient(withInterceptors([authInterceptor, pagingInterceptor, httpErrorInterceptor])),
    // The console and the API share one origin: the generated client calls `/api/...` relative to it.
    provideApiConfiguration(''),
    {
      provide: MAT_FORM_FIELD_DEFAULT_OPTIONS,
      useValue: { appearance: 'outline' },
    },
  ],
};
