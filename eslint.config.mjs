// ESLint with typescript-eslint's recommended rules for lib/, scripts/ and tests/. Formatting is
// Prettier's job (npm run format), so no stylistic rules here. assembly/ is AssemblyScript, which the
// TypeScript parser cannot read (decorators on functions, v128 intrinsics); its compiler checks it.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["node_modules/", "dist/", "build/", "reports/", "data/", "assembly/", "scripts/build-wasm.js"],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain CommonJS scripts run by Node before the TypeScript build exists.
    files: ["scripts/**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", __dirname: "readonly", console: "readonly", process: "readonly" },
    },
  },
  {
    rules: {
      // Unused arguments prefixed with _ document an interface's parameter that one implementation ignores.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    rules: {
      // Optional and lazily loaded packages (tfjs-node, the wasm backend, danfojs) are required at run
      // time so that a missing one is a clear message, not a failed import of the whole library.
      "@typescript-eslint/no-require-imports": "off",
    },
  },
);
