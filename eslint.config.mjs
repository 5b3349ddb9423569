// Lint: typescript-eslint's recommended rules, plus the one rule that guards synth speed.
import tseslint from 'typescript-eslint';

const PROVIDERS = ['aws', 'google', 'azurerm', 'kubernetes', 'helm'];

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', '.gen/', '.tools/', 'coverage/', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          // A provider's root module loads every resource class of that provider: ~10 s and 1.3 GB per synth.
          paths: PROVIDERS.map((provider) => ({
            name: `@cdktf/provider-${provider}`,
            message: `Import the class by deep path instead, e.g. '@cdktf/provider-${provider}/lib/<resource>'.`,
          })),
          patterns: [
            {
              regex: '^@cdktf/provider-[a-z]+/lib/?$',
              message: "Import the class by deep path instead, e.g. '@cdktf/provider-aws/lib/s3-bucket'.",
            },
          ],
        },
      ],
    },
  },
);
