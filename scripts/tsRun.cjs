/**
 * `node scripts/tsRun.cjs <script.ts> [args]`: runs a TypeScript CLI of this project with the smallest loader
 * that can, for `npm run plan`. It compiles only this project's `.ts` files (TypeScript's own transpiler,
 * with tsconfig.json's options), caches each result by content in node_modules/.cache, and leaves every
 * other module to Node.
 *
 * Why not tsx, as the other scripts use: tsx hooks every module Node loads, lexes each node_modules file to
 * tell ESM from CommonJS and turns source maps on, which parses the maps @pulumi/aws and @pulumi/pulumi ship
 * for hundreds of files. Measured here, that was over half of `npm run plan`'s time. Stack traces from this
 * loader point at the compiled lines (no source maps); the plan prints none for a configuration problem.
 */
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS loader, written in CommonJS so Node runs it as is */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const Module = require("module");

const ROOT = path.resolve(__dirname, "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "msk-s3-sink-ts");
const TSCONFIG = fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8");

let compilerOptions;
/** tsconfig.json's options for emitting CommonJS (TypeScript is loaded only when something is not cached). */
function options(ts) {
    if (compilerOptions === undefined) {
        const json = JSON.parse(TSCONFIG).compilerOptions;
        compilerOptions = {
            ...ts.convertCompilerOptionsFromJson(json, ROOT).options,
            noEmit: false,
            module: ts.ModuleKind.CommonJS,
            sourceMap: false,
        };
    }
    return compilerOptions;
}

/** The compiled JavaScript of a project file, from the cache when its text (and the compiler setup) is unchanged. */
function compiled(file) {
    const source = fs.readFileSync(file, "utf8");
    const version = require("typescript/package.json").version;
    const key = crypto.createHash("sha256").update(`${version}\0${TSCONFIG}\0${file}\0${source}`).digest("hex");
    const cached = path.join(CACHE, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        const ts = require("typescript");
        const output = ts.transpileModule(source, { fileName: file, compilerOptions: options(ts), reportDiagnostics: false }).outputText;
        try {
            fs.mkdirSync(CACHE, { recursive: true });
            fs.writeFileSync(`${cached}.${process.pid}`, output);
            fs.renameSync(`${cached}.${process.pid}`, cached);
        } catch {
            // A cache that cannot be written (a read-only node_modules) only costs the next run the compile.
        }
        return output;
    }
}

Module._extensions[".ts"] = function loadTypeScript(module, file) {
    if (!file.startsWith(ROOT + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`)) {
        throw new Error(`tsRun compiles this project's files only, not ${file}`);
    }
    module._compile(compiled(file), file);
};

const entry = process.argv[2];
if (!entry || !entry.endsWith(".ts")) {
    process.stderr.write("usage: node scripts/tsRun.cjs <script.ts> [args]\n");
    process.exit(2);
}
process.argv.splice(1, 2, path.resolve(entry)); // the script sees `node <script> [args]`, as under tsx
require(path.resolve(entry));
