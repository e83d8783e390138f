import { BadRequestException, UnauthorizedException } from '@nestjs/common';

/**
 * The token of an `Authorization: Bearer <token>` header: 401 when there is none, 400 naming the header when it
 * holds characters no token has (RFC 6750 tokens are printable ASCII; a Latin-1 `é` is not a wrong password).
 */
export function bearerToken(header: unknown): string {
  const token = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  if (!token) throw new UnauthorizedException('Missing bearer token');
  if (!/^[\x21-\x7e]+$/.test(token))
    throw new BadRequestException('authorization must be a bearer token of printable ASCII characters');
  return token;
}
