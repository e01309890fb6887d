// Typed lint for the whole package. See STYLE.md section 8.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/** Stages in data-flow order; a folder may import only from folders before it. */
const stages = ['core', 'dsl', 'plan', 'engine', 'workflows', 'plugins', 'storage', 'messaging', 'snapshots', 'client', 'cloud', 'agent', 'manager', 'cli', 'web'];

/** Composition roots may import anything that precedes them. */
function restrictionsFor(stage) {
  const index = stages.indexOf(stage);
  const later = stages.slice(index + 1);
  return {
    files: [`src/${stage}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: later.map((name) => ({
            group: [`**/${name}/**`, `**/${name}`, `../${name}/*`],
            message: `src/${stage} must not import from src/${name} (dependencies follow the data flow; see ARCHITECTURE.md).`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'src/web/app/**', 'test-output/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'], package: 'node:test' }] },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
    },
  },
  ...stages.filter((s) => !['manager', 'cli', 'web'].includes(s)).map(restrictionsFor),
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
