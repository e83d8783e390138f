import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The lint rule that keeps the modules' direction (backend/eslint.config.mjs): an import against it fails the
 * lint (and so CI), one along it passes, and the source tree has no such import today.
 */
describe('module direction (lint)', () => {
  const backend = join(__dirname, '..', '..');

  /** Runs the ESLint CLI as the build does (from the backend project, its eslint.config.mjs); the rule's findings. */
  const lint = (args: string[], input?: string, rule = 'no-restricted-imports') =>
    new Promise<{ file: string; message: string }[]>((resolve, reject) => {
      // The report goes to a file: the Nx boundary rule may print a warning on stdout before ESLint's JSON.
      const report = join(mkdtempSync(join(tmpdir(), 'pim-lint-')), 'report.json');
      const child = spawn(
        process.execPath,
        [require.resolve('eslint/bin/eslint.js'), '--format', 'json', '--output-file', report, ...args],
        { cwd: backend, stdio: ['pipe', 'ignore', 'pipe'] },
      );
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('close', (code) => {
        // 0: clean, 1: problems found; anything else is ESLint failing to run.
        if (code !== 0 && code !== 1) return reject(new Error(`eslint exited ${code}: ${err}`));
        try {
          const results: { filePath: string; messages: { ruleId: string | null; message: string }[] }[] = JSON.parse(
            readFileSync(report, 'utf8'),
          );
          resolve(
            results.flatMap((r) =>
              r.messages.filter((m) => m.ruleId === rule).map((m) => ({ file: r.filePath, message: m.message })),
            ),
          );
        } catch (e) {
          reject(e);
        } finally {
          rmSync(dirname(report), { recursive: true, force: true });
        }
      });
      child.stdin.end(input ?? '');
    });
  const errors = async (file: string, code: string, rule?: string) =>
    (await lint(['--stdin', '--stdin-filename', join(__dirname, file)], code, rule)).map((e) => e.message);

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

  it('asks for the alias when an import leaves its module by a relative path, everywhere', async () => {
    const aliasErrors = (file: string, from: string) =>
      errors(file, `import { x } from '${from}';\nexport const y = x;\n`, 'no-restricted-syntax');
    const alias = /through its alias, `@app\/<module>\/…`/;
    expect(await aliasErrors('analysis/fixture.ts', '../tickets/tickets.module')).toEqual([
      expect.stringMatching(alias),
    ]);
    expect(await aliasErrors('tickets/import/fixture.ts', '../../common/errors')).toEqual([
      expect.stringMatching(alias),
    ]);
    // Inside the module, to another module by its alias, and to the shared test support: fine.
    expect(await aliasErrors('tickets/import/fixture.ts', '../tickets.module')).toEqual([]);
    expect(await aliasErrors('analysis/fixture.ts', '@app/tickets/tickets.module')).toEqual([]);
    expect(await aliasErrors('issues/fixture.e2e.spec.ts', '../../testing/test-app')).toEqual([]);
    expect(await lint(['src/app'], undefined, 'no-restricted-syntax')).toEqual([]);
  }, 180_000);
});
