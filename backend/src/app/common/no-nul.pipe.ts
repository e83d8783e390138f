import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/**
 * Global: a NUL character (U+0000) anywhere in a body, query or path value is a 400 naming the field. PostgreSQL
 * keeps no NUL in `text` or `jsonb`, so such a value could only end as a 500 at whatever query it reached.
 */
@Injectable()
export class NoNulPipe implements PipeTransform {
  transform(value: unknown, { type, data }: ArgumentMetadata): unknown {
    if (type === 'custom') return value; // uploads, headers, the current user
    const field = nulField(value, data ?? '');
    if (field !== undefined) throw new BadRequestException([`${field || type} must not contain NUL characters`]);
    return value;
  }
}

/** The path (`categories.0.name`, as class-validator names nested fields) of the first string holding a NUL. */
export function nulField(value: unknown, root = ''): string | undefined {
  // Iterative: a deeply nested body must not overflow the stack.
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [node, path] = stack.pop() as [unknown, string];
    if (typeof node === 'string') {
      if (node.includes('\u0000')) return path;
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return undefined;
}
