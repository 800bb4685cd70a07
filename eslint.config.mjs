// ESLint: typescript-eslint (type-aware) with Pulumi's rules (no Output in template literals).
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default tseslint.config({ ignores: ["node_modules/**", ".artifacts/**", "eslint.config.mjs"] }, ...tseslint.configs.recommended, {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname } },
    plugins: { "@pulumi": pulumi },
    rules: {
        "@pulumi/no-output-in-template-literal": "error",
        "@pulumi/no-output-instance-in-template-literal": "error",
        "@typescript-eslint/no-floating-promises": "error",
        "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
});
