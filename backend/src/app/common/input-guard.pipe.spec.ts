import { BadRequestException } from '@nestjs/common';
import { InputGuardPipe, inputProblem, MAX_INPUT_DEPTH } from './input-guard.pipe';

describe('InputGuardPipe', () => {
  const pipe = new InputGuardPipe();
  const nested = (depth: number): unknown => (depth === 0 ? 'x' : [nested(depth - 1)]);

  it('names the nested field that holds a NUL, as class-validator would', () => {
    expect(inputProblem({ categories: [{ name: 'ok' }, { name: 'a\u0000b' }] })).toEqual({
      field: 'categories.1.name',
      message: 'must not contain NUL characters',
    });
    expect(inputProblem({ categories: [{ name: 'ok' }], search: 'plain' })).toBeUndefined();
  });

  it('refuses nesting past the limit without overflowing, at any depth', () => {
    expect(inputProblem({ pmNotes: nested(MAX_INPUT_DEPTH - 2) })).toBeUndefined();
    expect(inputProblem({ pmNotes: nested(MAX_INPUT_DEPTH) })?.field).toBe('pmNotes');
    expect(inputProblem({ pmNotes: JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) })?.message).toContain(
      'nested deeper',
    );
  });

  it('answers 400 naming the path parameter or the body, and leaves uploads and headers alone', () => {
    const error = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as BadRequestException;
      }
      throw new Error('no error');
    };
    expect(error(() => pipe.transform('a\u0000', { type: 'param', data: 'zendeskId' })).getResponse()).toMatchObject({
      message: ['zendeskId must not contain NUL characters'],
    });
    expect(error(() => pipe.transform('\u0000', { type: 'body' })).getResponse()).toMatchObject({
      message: ['body must not contain NUL characters'],
    });
    expect(pipe.transform('\u0000', { type: 'custom' })).toBe('\u0000');
  });
});
