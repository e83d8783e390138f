import { LoginResponse, UserResponse } from '@pim/api-client';
import { SESSION_STORAGE_KEY } from '../app/core/auth/auth-store';

export function aUser(overrides: Partial<UserResponse> = {}): UserResponse {
  return {
    id: '7f0c2b5e-4a1e-4d6b-9c52-2f3f1d0a9b11',
    email: 'pat@example.com',
    name: 'Pat Product',
    role: 'editor',
    disabled: false,
    lastLoginAt: '2025-03-04T09:15:00.000Z',
    createdAt: '2025-01-02T08:00:00.000Z',
    ...overrides,
  };
}

export function aLoginResponse(overrides: Partial<LoginResponse> = {}): LoginResponse {
  return {
    accessToken: 'header.payload.signature',
    expiresIn: 3600,
    user: aUser(),
    ...overrides,
  };
}

/**
 * Stores a session the way `AuthStore` does, so a store created afterwards starts signed in.
 * Call before anything injects `AuthStore`.
 */
export function storeSession(
  user: UserResponse = aUser(),
  options: { token?: string; expiresInMs?: number } = {},
): void {
  localStorage.setItem(
    SESSION_STORAGE_KEY,
    JSON.stringify({
      accessToken: options.token ?? 'stored.jwt.token',
      expiresAt: Date.now() + (options.expiresInMs ?? 60 * 60 * 1000),
      user,
    }),
  );
}
