import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The lint rule that keeps the modules' direction (backend/eslint.config.mjs): an import against it fails the
 * lint (and so CI), one along it passes, and the source tree has no such import today.
 */
describe('module direction (lint)', () => {
  const backend = join(__dirname, '..', '..');

  /** Runs the ESLint CLI as the build does (from the backend project, its eslint.config.mjs); restricted imports. */
  const lint = (args: string[], input?: string) =>
    new Promise<{ file: string; message: string }[]>((resolve, reject) => {
      const child = spawn(process.execPath, [require.resolve('eslint/bin/eslint.js'), '--format', 'json', ...args], {
        cwd: backend,
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('close', (code) => {
        // 0: clean, 1: problems found; anything else is ESLint failing to run.
        if (code !== 0 && code !== 1) return reject(new Error(`eslint exited ${code}: ${err}`));
        const results: { filePath: string; messages: { ruleId: string | null; message: string }[] }[] = JSON.parse(out);
        resolve(
          results.flatMap((r) =>
            r.messages
              .filter((m) => m.ruleId === 'no-restricted-imports')
              .map((m) => ({ file: r.filePath, message: m.message })),
          ),
        );
      });
      child.stdin.end(input ?? '');
    });
  const errors = async (file: string, code: string) =>
    (await lint(['--stdin', '--stdin-filename', join(__dirname, file)], code)).map((e) => e.message);

  it('fails an import that points up or sideways', async () => {
    expect(
      await errors(
        'analysis/fixture.ts',
        "import { IssuesModule } from '../issues/issues.module';\nexport const m = IssuesModule;\n",
      ),
    ).toEqual([expect.stringMatching(/analysis must not import issues/)]);
    expect(
      await errors(
        'tickets/import/fixture.ts',
        "import type { Run } from '../../pipeline/entities/run.entity';\nexport type R = Run;\n",
      ),
    ).toEqual([expect.stringMatching(/tickets must not import pipeline/)]);
    expect(
      await errors('llm/fixture.ts', "import { x } from '@app/analysis/analyzer';\nexport const y = x;\n"),
    ).toEqual([expect.stringMatching(/llm must not import analysis/)]);
    expect(
      await errors('common/fixture.ts', "import { T } from '../tickets/tickets.module';\nexport const t = T;\n"),
    ).toEqual([expect.stringMatching(/common must not import tickets/)]);
  }, 60_000);

  it('passes imports along the direction', async () => {
    const code =
      "import { TicketsModule } from '../tickets/tickets.module';\nimport { LlmModule } from '../llm/llm.module';\n" +
      "import { errorMessage } from '../common/errors';\nexport const m = [TicketsModule, LlmModule, errorMessage];\n";
    expect(await errors('analysis/fixture.ts', code)).toEqual([]);
    expect(
      await errors('api/fixture.ts', "import { P } from '../pipeline/pipeline.module';\nexport const p = P;\n"),
    ).toEqual([]);
  }, 60_000);

  it('holds for every source file', async () => {
    expect(await lint(['src/app'])).toEqual([]);
  }, 180_000);
});
