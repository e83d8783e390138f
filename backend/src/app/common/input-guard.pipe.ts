import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** Deeper than any request DTO (the taxonomy's subcategory keys are 5 levels down). */
export const MAX_INPUT_DEPTH = 32;

/**
 * Global, before validation: refuses with a 400 naming the field what no DTO can hold and would otherwise end as
 * a 500 — a NUL character (U+0000) in any body, query or path string (PostgreSQL keeps no NUL in `text` or
 * `jsonb`), and JSON nested deeper than MAX_INPUT_DEPTH (class-transformer recurses and overflows the stack).
 */
@Injectable()
export class InputGuardPipe implements PipeTransform {
  transform(value: unknown, { type, data }: ArgumentMetadata): unknown {
    if (type === 'custom') return value; // uploads, headers, the current user
    const problem = inputProblem(value, data ?? '');
    if (problem) throw new BadRequestException([`${problem.field || type} ${problem.message}`]);
    return value;
  }
}

/**
 * The first problem in a value: its field path (`categories.0.name`, as class-validator names nested fields) and
 * what is wrong. Iterative, so the walk itself cannot overflow.
 */
export function inputProblem(value: unknown, root = ''): { field: string; message: string } | undefined {
  const stack: { node: unknown; path: string; depth: number }[] = [{ node: value, path: root, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, path, depth } = item;
    if (typeof node === 'string') {
      if (node.includes('\u0000')) return { field: path, message: 'must not contain NUL characters' };
    } else if (node !== null && typeof node === 'object') {
      if (depth >= MAX_INPUT_DEPTH)
        return { field: path.split('.')[0], message: `must not be nested deeper than ${MAX_INPUT_DEPTH} levels` };
      for (const [key, child] of Object.entries(node))
        stack.push({ node: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
  return undefined;
}
