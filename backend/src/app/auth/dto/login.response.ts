import { UserResponse } from './user.response';

export class LoginResponse {
  /** Bearer token for the `Authorization` header. */
  accessToken!: string;
  /** Seconds until the token expires. */
  expiresIn!: number;
  user!: UserResponse;
}
